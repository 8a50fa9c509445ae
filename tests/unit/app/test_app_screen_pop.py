"""Screen pop: template parameters from a work item, and the memory of popped work items."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration.app import ScreenPopConfig, ScreenPopMemory, build_session_parameters, load_settings

ALL_SOURCES = (
    "template=Incoming call; param.ani=ani; param.callId=id; param.dir=direction; "
    "param.cls=classification; param.agent=agentId; param.channel=channelId; "
    "param.caseNo=ctiData.CaseNo; param.pid=associatedParticipant.id; param.pname=associatedParticipant.name; "
    "param.ptype=associatedParticipant.recordType; param.activityId=activity.id; "
    "param.activityType=activity.recordType; param.origin=\"CTI; inbound\""
)

PAYLOAD = {
    "event": "workitemConnect",
    "id": "call-1",
    "ani": "+41446681800",
    "direction": "Incoming",
    "classification": "Customer",
    "agentId": "agent-7",
    "channelId": "telephony",
    "ctiData": {"CaseNo": "CAS-42", "Language": "de"},
    "associatedParticipant": {"id": "c-9", "name": "Ada Muster", "recordType": "contact"},
    "activity": {"id": "pc-3", "recordType": "phonecall"},
}


def config(text: str = ALL_SOURCES) -> ScreenPopConfig:
    loaded = load_settings({"setting3": text})
    assert loaded.error_messages() == []
    return loaded.screen_pop


def test_all_sources_from_an_event_payload() -> None:
    """Every documented source resolves from the camelCase payload the shim delivers."""
    assert build_session_parameters(PAYLOAD, config()) == {
        "ani": "+41446681800",
        "callId": "call-1",
        "dir": "Incoming",
        "cls": "Customer",
        "agent": "agent-7",
        "channel": "telephony",
        "caseNo": "CAS-42",
        "pid": "c-9",
        "pname": "Ada Muster",
        "ptype": "contact",
        "activityId": "pc-3",
        "activityType": "phonecall",
        "origin": "CTI; inbound",
    }


def test_missing_values_are_omitted() -> None:
    """Without a participant, activity or call variable, those parameters are left out; literals stay."""
    bare = {"id": "call-2", "ani": "", "ctiData": {}}
    assert build_session_parameters(bare, config()) == {"callId": "call-2", "ani": "", "origin": "CTI; inbound"}


def test_null_parts_are_missing_values() -> None:
    """JSON nulls (associatedParticipant: null, ctiData: null) count as missing, not as text "None"."""
    payload = {"id": "x", "associatedParticipant": None, "ctiData": None, "activity": {"id": None}}
    assert build_session_parameters(payload, config()) == {"callId": "x", "origin": "CTI; inbound"}


def test_non_text_values_become_text() -> None:
    """Numbers, booleans and nested objects in call variables become readable text."""
    payload = {"ctiData": {"n": 42, "f": 1.5, "b": True, "o": {"a": [1, "x"]}}}
    params = build_session_parameters(
        payload, config("template=T; param.n=ctiData.n; param.f=ctiData.f; param.b=ctiData.b; param.o=ctiData.o")
    )
    assert params == {"n": "42", "f": "1.5", "b": "true", "o": '{"a":[1,"x"]}'}


def test_call_variable_case_fallback() -> None:
    """An exact call-variable name wins; otherwise a single case-insensitive match is used."""
    pop = config("template=T; param.a=ctiData.caseno; param.b=ctiData.Lang")
    assert build_session_parameters({"ctiData": {"CaseNo": "1", "lang": "x", "LANG": "y"}}, pop) == {"a": "1"}


def test_typed_model_with_snake_case_attributes() -> None:
    """A typed work item (snake_case attributes, either ctiData spelling) resolves the same sources."""
    participant = SimpleNamespace(id="c-9", name="Ada", record_type="contact")
    for cti_name in ("cti_data", "ct_i_data"):
        item = SimpleNamespace(id="call-1", ani="+41", associated_participant=participant, **{cti_name: {"CaseNo": 7}})
        pop = config("template=T; param.c=ctiData.CaseNo; param.t=associatedParticipant.recordType; param.a=ani")
        assert build_session_parameters(item, pop) == {"c": "7", "t": "contact", "a": "+41"}


def test_sdk_workitem_model() -> None:
    """The SDK's Workitem model (when present) works as input, including its enums."""
    sdk = pytest.importorskip("integration.sdk")
    workitem_type = getattr(sdk, "Workitem", None)
    if workitem_type is None:
        pytest.skip("SDK does not export Workitem yet")
    item = workitem_type.model_validate(PAYLOAD)
    params = build_session_parameters(item, config())
    assert params["dir"] == "Incoming" and params["caseNo"] == "CAS-42" and params["ptype"] == "contact"


def test_no_workitem_gives_only_literals() -> None:
    """Without a work item only literal parameters remain; nothing raises."""
    assert build_session_parameters(None, config()) == {"origin": "CTI; inbound"}


def test_misbehaving_object_is_tolerated() -> None:
    """An attribute that raises on access is treated as missing."""

    class Weird:
        @property
        def ani(self) -> str:
            raise RuntimeError("no")

    assert build_session_parameters(Weird(), config("template=T; param.a=ani")) == {}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_WORKITEMS = st.one_of(
    _JSON,
    st.fixed_dictionaries(
        {},
        optional={
            "id": _JSON, "ani": _JSON, "ctiData": _JSON, "associatedParticipant": _JSON, "activity": _JSON,
            "direction": _JSON,
        },
    ),
)


@settings(max_examples=300, deadline=None)
@given(_WORKITEMS)
def test_any_payload_gives_text_parameters(payload: object) -> None:
    """Any JSON payload yields a dict of str to str with only configured names; never raises."""
    params = build_session_parameters(payload, config())
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in params.items())
    assert set(params) <= {param.name for param in config().params}


def test_memory_remembers_each_id_once() -> None:
    """remember() is True the first time for an id and False afterwards."""
    memory = ScreenPopMemory()
    assert memory.remember("call-1") is True
    assert memory.remember("call-1") is False
    assert "call-1" in memory and "call-2" not in memory


def test_memory_is_bounded_and_forgets_oldest() -> None:
    """Beyond its limit the memory forgets the oldest ids first."""
    memory = ScreenPopMemory(limit=3)
    for workitem_id in ("a", "b", "c", "d"):
        memory.remember(workitem_id)
    assert len(memory) == 3 and "a" not in memory and "d" in memory
    assert memory.remember("a") is True


def test_memory_default_limit_is_200() -> None:
    """The default memory keeps the last 200 ids."""
    memory = ScreenPopMemory(str(n) for n in range(250))
    assert len(memory) == 200 and "49" not in memory and "50" in memory


def test_memory_json_round_trip() -> None:
    """to_json/from_json restore the same ids in the same order (for sessionStorage across reloads)."""
    memory = ScreenPopMemory(["a", "b"])
    memory.remember("c")
    text = memory.to_json()
    assert json.loads(text) == {"v": 1, "ids": ["a", "b", "c"]}
    restored = ScreenPopMemory.from_json(text)
    assert restored.to_json() == text and restored.remember("b") is False


@pytest.mark.parametrize("text", [None, "", "not json", "[", "42", '{"ids": "x"}', b"\xff", '{"ids": [null, {}, 1]}'])
def test_memory_from_garbage_is_empty_or_partial(text: object) -> None:
    """Unreadable stored memory never raises; only usable ids survive."""
    memory = ScreenPopMemory.from_json(text)
    assert len(memory) <= 1


def test_memory_without_id_never_suppresses() -> None:
    """A work item without an id cannot be remembered, so it is always popped."""
    memory = ScreenPopMemory()
    assert memory.remember(None) is True and memory.remember(None) is True and len(memory) == 0


def test_memory_treats_numeric_and_text_ids_alike() -> None:
    """An id seen as 42 and later as "42" is the same work item."""
    memory = ScreenPopMemory()
    memory.remember(42)
    assert memory.remember("42") is False
