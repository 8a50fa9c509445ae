"""Python's messages and names follow the one contract (integration/sdk/_contract.py), and the
browser's generated copies of it are current. The shim's messages are checked against the same
contract by tests/js/contract.test.mjs.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from integration.sdk import _contract
from integration.sdk._enums import EventName, RequestName
from integration.sdk._messages import FROM_WORKER, TO_WORKER, Unknown
from integration.sdk._messages import KINDS as MESSAGE_TYPES
from integration.sdk._protocol import _WIRE, decode, encode
from tools import contract as tool

ROOT = Path(__file__).resolve().parents[3]
KINDS = {**_contract.FROM_WORKER, **_contract.TO_WORKER}
SAMPLES = {"int": 7, "bool": True, "str": "x", "array": [], "object": {}, "any": {"a": [1]}}
problems = _contract.field_problems


def test_the_generated_browser_files_are_current() -> None:
    """static/shim/contract.js and connects-library.js's block are what `python -m tools.contract` writes."""
    assert tool.stale() == [], "run: python -m tools.contract"


def test_a_change_to_the_contract_makes_the_generated_files_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_contract, "CONTRACT", {**_contract.CONTRACT, "events": (*_contract.EVENTS, "newEvent")})
    monkeypatch.setattr(_contract, "EVENTS", (*_contract.EVENTS, "newEvent"))
    assert set(tool.stale()) == {tool.MODULE, tool.LIBRARY}


def test_python_knows_exactly_the_contracts_kinds_in_each_direction() -> None:
    assert FROM_WORKER == tuple(_contract.FROM_WORKER) and TO_WORKER == tuple(_contract.TO_WORKER)
    assert set(MESSAGE_TYPES) == set(KINDS) and not set(FROM_WORKER) & set(TO_WORKER)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kinds_python_message_has_the_contracts_fields(kind: str) -> None:
    """The dataclass names the contract's fields; a message with every field round-trips to the same fields."""
    spec = KINDS[kind]
    assert [_WIRE.get(item.name, item.name) for item in fields(MESSAGE_TYPES[kind])] == list(spec)
    full = {"bsc": _contract.MARK, "kind": kind, **{name: SAMPLES[kind.rstrip("?")] for name, kind in spec.items()}}
    if kind == "events":
        full["events"] = [{"seq": 1, "name": "error", "payload": {}}]
    message = decode(encode(decode(_json(full))))  # type: ignore[arg-type]
    assert type(message) is MESSAGE_TYPES[kind]
    body = _body(message)
    assert problems(body, spec) == []
    required = {name: value for name, value in full.items() if not spec.get(name, "").endswith("?")}
    assert problems(_body(decode(_json(required))), spec) == []  # type: ignore[arg-type]


def test_the_field_check_can_fail() -> None:
    assert problems({"seq": "1", "extra": 1}, {"seq": "int", "id": "int", "note": "str?"}) == [
        "extra is not in the contract", "seq is not int: '1'", "id missing"]
    assert problems({"ok": 1}, {"ok": "bool"}) == ["ok is not bool: 1"]
    assert problems({"n": True}, {"n": "int"}) == ["n is not int: True"]


def test_a_kind_outside_the_contract_decodes_as_unknown() -> None:
    assert isinstance(decode('{"bsc":1,"kind":"future"}'), Unknown)
    assert decode('{"bsc":"custom-requests","kind":"ready"}') is None


def test_the_enums_of_names_are_the_contracts() -> None:
    assert EventName.known_values() == _contract.EVENTS
    assert RequestName.known_values() == _contract.REQUESTS
    assert set(_contract.ON_DEMAND_EVENTS) <= set(_contract.EVENTS)


def test_an_enum_that_drifts_from_the_contract_fails_its_check() -> None:
    with pytest.raises(AssertionError, match="RequestName"):
        _contract.require_values(RequestName, (*_contract.REQUESTS, "newRequest"))


def _documented(section: str) -> dict[str, str]:
    """kind -> its fields column, from one of docs/protocol.md's two tables."""
    text = (ROOT / "docs" / "protocol.md").read_text()
    table = text.split(f"## {section}")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| `([a-z]+)` \| (.*?) \|", table, flags=re.MULTILINE))


@pytest.mark.parametrize(("section", "kinds"), [("Worker → main thread", _contract.FROM_WORKER),
                                                ("Main thread → worker", _contract.TO_WORKER)])
def test_docs_list_each_kind_with_its_fields(section: str, kinds: dict[str, dict[str, str]]) -> None:
    documented = _documented(section)
    assert list(documented) == list(kinds)
    for kind, spec in kinds.items():
        assert set(re.findall(r"`(\w+)`", documented[kind])) >= set(spec), kind


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body)


def _body(message: Any) -> dict[str, Any]:
    return dict(json.loads(encode(message)))
