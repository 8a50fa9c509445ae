"""After-call state: reason label resolution, the reason-code cache, and which calls trigger it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from integration.app import AfterCallConfig, ReasonCodeCache, load_settings, resolve_reason

CODES = [
    {"id": 11, "label": "Break"},
    {"id": 12, "label": "After Call Work"},
    {"id": "13", "label": "Lunch"},
    {"id": -1, "label": "None"},
]


def test_label_resolves_case_insensitively() -> None:
    """The label matches exactly but ignoring case and surrounding spaces."""
    result = resolve_reason("  after call work ", CODES)
    assert result.ok and result.reason_id == 12


def test_ids_keep_their_type() -> None:
    """A text id stays text, a number stays a number (setAgentState gets what the list gave)."""
    assert resolve_reason("Lunch", CODES).reason_id == "13"


def test_objects_with_id_and_label_work() -> None:
    """SDK ReasonCode models (attributes id/label) are accepted like mappings."""
    codes = [SimpleNamespace(id=5, label="After Call Work")]
    assert resolve_reason("After Call Work", codes).reason_id == 5


def test_unknown_label_lists_what_is_available() -> None:
    """A label that is not there names the label, the reason type and the available labels."""
    result = resolve_reason("Afer Call Work", CODES)
    assert not result.ok and result.reason_id is None
    assert result.error == (
        'reason "Afer Call Work" not found among NotReady reason codes (available: Break, After Call Work, Lunch)'
    )


def test_negative_ids_are_not_reason_codes() -> None:
    """Entries with negative ids mean "no reason code" and are never chosen."""
    assert not resolve_reason("None", CODES).ok


def test_ambiguous_label_is_an_error() -> None:
    """Two different ids under one label are reported instead of guessing."""
    result = resolve_reason("Break", CODES + [{"id": 99, "label": "break"}])
    assert result.error == 'reason "Break" is ambiguous: ids 11, 99'


def test_same_id_twice_is_not_ambiguous() -> None:
    """A duplicated entry with the same id still resolves."""
    assert resolve_reason("Break", CODES + [{"id": 11, "label": "Break"}]).reason_id == 11


@pytest.mark.parametrize("codes", [[], None, "Break", [None, 3, {"id": True, "label": "Break"}]])
def test_no_usable_codes(codes: object) -> None:
    """Empty or malformed lists give a precise error, never an exception."""
    result = resolve_reason("Break", codes)
    assert result.error == 'no NotReady reason codes available to find "Break"'


@pytest.mark.parametrize("label", ["", "   ", None, 5])
def test_missing_label(label: object) -> None:
    """Without a label there is nothing to resolve."""
    assert resolve_reason(label, CODES).error == "no reason label given (expected a reason code label)"


def test_reason_type_appears_in_message() -> None:
    """The reason type passed in names the list that was searched."""
    assert "among Wrapup reason codes" in (resolve_reason("x", CODES, reason_type="Wrapup").error or "")


async def test_cache_fetches_once_per_channel_and_type() -> None:
    """The cache calls fetch once per (channel, reason type) and serves later requests from memory."""
    cache = ReasonCodeCache()
    calls: list[str] = []

    async def fetch() -> list[dict[str, object]]:
        calls.append("fetch")
        return CODES

    assert await cache.get_or_fetch("voice", "NotReady", fetch) == tuple(CODES)
    assert await cache.get_or_fetch("voice", "NotReady", fetch) == tuple(CODES)
    await cache.get_or_fetch("voice", "Logout", fetch)
    await cache.get_or_fetch("telephony", "NotReady", fetch)
    assert len(calls) == 3


async def test_cache_does_not_keep_failures() -> None:
    """A failing fetch propagates and is retried next time."""
    cache = ReasonCodeCache()

    async def failing() -> list[object]:
        raise RuntimeError("offline")

    async def working() -> list[object]:
        return [{"id": 1, "label": "A"}]

    with pytest.raises(RuntimeError):
        await cache.get_or_fetch("voice", "NotReady", failing)
    assert cache.get("voice", "NotReady") is None
    assert await cache.get_or_fetch("voice", "NotReady", working) == ({"id": 1, "label": "A"},)


def test_cache_put_get_clear() -> None:
    """put/get are keyed by (channel, type); clear forgets everything; odd values store nothing usable."""
    cache = ReasonCodeCache()
    cache.put("voice", "NotReady", CODES)
    cache.put("voice", "Wrapup", None)  # type: ignore[arg-type]
    assert cache.get("voice", "NotReady") == tuple(CODES)
    assert cache.get("voice", "Wrapup") == ()
    cache.clear()
    assert cache.get("voice", "NotReady") is None


def test_applies_to_configured_classifications_only() -> None:
    """Only work items of the configured classifications trigger the state change (Customer by default)."""
    default = load_settings({"setting4": "state=NotReady; reason=After Call Work"}).after_call
    assert default.applies_to("Customer") and default.applies_to("customer")
    assert not default.applies_to("Consultation") and not default.applies_to(None)
    several = load_settings({"setting4": "state=Ready; classifications=Customer, Transfer"}).after_call
    assert several.applies_to("Transfer") and not several.applies_to("Internal")


def test_off_or_broken_applies_to_nothing() -> None:
    """With state=off or a broken setting4, no call triggers a state change."""
    assert not AfterCallConfig().applies_to("Customer")
    broken = load_settings({"setting4": "state=NotReady; classifications=Customr"}).after_call
    assert not broken.ok and not broken.applies_to("Customer")
