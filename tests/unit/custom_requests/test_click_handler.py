"""The example page's button protocol: a click becomes a dispatch message, or an error message."""

from __future__ import annotations

import json
from typing import Any

import pytest

from integration.custom_requests import ClickHandler
from integration.sdk import _contract


def click(action: Any, args: Any, **extra: Any) -> str:
    return json.dumps({"bsc": "custom-requests", "kind": "click", "action": action, "args": args, **extra})


@pytest.fixture
def posted() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def handler(posted: list[dict[str, Any]]) -> ClickHandler:
    def post(text: str) -> None:
        assert isinstance(text, str)  # JSON text only across the boundary
        posted.append(json.loads(text))
    return ClickHandler(post)


def test_ping_is_answered_with_hello(handler: ClickHandler, posted: list[dict[str, Any]]) -> None:
    """The page pings until Python answers: each ping gets a hello."""
    handler.handle('{"bsc":"custom-requests","kind":"ping"}')
    assert posted == [{"bsc": "custom-requests", "kind": "hello"}]


@pytest.mark.parametrize("text", [
    None, 5, "", "hello", "{not json", '{"kind":"ping"}', '[1]', '{"bsc":2,"kind":"ping"}',
    '{"bsc":1,"kind":"ping"}'])
def test_foreign_messages_are_ignored(handler: ClickHandler, posted: list[dict[str, Any]], text: Any) -> None:
    """PyScript's own traffic and unmarked messages get no answer."""
    handler.handle(text)
    assert posted == []


@pytest.mark.parametrize(("action", "args", "detail"), [
    ("setAgentState", {"channelId": "voice", "state": "NotReady", "reasonCode": "2"},
     {"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "2"}),
    ("setAgentState", {"channelId": "voice", "state": "Ready"},
     {"request": "setAgentState", "channelId": "voice", "state": "Ready", "reasonCode": ""}),
    ("writeLog", {"logMessage": "hi", "logLevel": "Error"},
     {"request": "writeLog", "logMessage": "hi", "logLevel": "Error"}),
    ("createSession", {"templateName": "t", "templateParameters": '{"a": 1}'},
     {"request": "createSession", "templateName": "t", "templateParameters": {"a": 1}}),
    ("createSession", {"templateName": "t", "templateParameters": "  "},
     {"request": "createSession", "templateName": "t"}),
    ("clickToDial", {"value": "+4144", "entityLogicalName": "contact", "entityId": "1"},
     {"value": "+4144", "entityLogicalName": "contact", "entityId": "1"}),
])
def test_click_becomes_a_dispatch(
    handler: ClickHandler, posted: list[dict[str, Any]], action: str, args: dict[str, Any], detail: dict[str, Any]
) -> None:
    """Each button's click is validated and posted as one dispatch on integrationapi."""
    handler.handle(click(action, args))
    assert posted == [{"bsc": "custom-requests", "kind": "dispatch", "event": "integrationapi", "detail": detail}]


def test_click_can_choose_ci_click_to_act(handler: ClickHandler, posted: list[dict[str, Any]]) -> None:
    """The page's event choice reaches the dispatch."""
    handler.handle(click("clickToDial", {"value": "1"}, event="CIClickToAct"))
    assert posted[0]["event"] == "CIClickToAct"


@pytest.mark.parametrize(("action", "args", "field"), [
    ("setAgentState", {"channelId": "phone", "state": "Ready"}, "channelId"),
    ("setAgentState", {"channelId": "voice", "state": "Busy"}, "state"),
    ("writeLog", {"logMessage": "x", "logLevel": "Info"}, "logLevel"),
    ("createSession", {"templateName": ""}, "templateName"),
    ("createSession", {"templateName": "t", "templateParameters": "{a"}, "templateParameters"),
    ("createSession", {"templateName": "t", "templateParameters": "[1]"}, "templateParameters"),
    ("clickToDial", {"value": " "}, "value"),
    ("clickToDial", {"value": "1", "number": "2"}, "number"),
    ("dialOrConsult", {"address": "1"}, "action"),
    ("writeLog", ["x"], "args"),
])
def test_refused_click_is_answered_with_an_error(
    handler: ClickHandler, posted: list[dict[str, Any]], action: str, args: Any, field: str
) -> None:
    """A refused argument is posted back as text naming the field, and nothing is dispatched."""
    handler.handle(click(action, args))
    assert len(posted) == 1
    assert posted[0]["kind"] == "error" and posted[0]["action"] == action
    assert posted[0]["error"].startswith(f"{field}: ")


def test_unknown_event_is_answered_with_an_error(handler: ClickHandler, posted: list[dict[str, Any]]) -> None:
    """A misspelt event name is refused before anything is dispatched."""
    handler.handle(click("writeLog", {"logMessage": "x"}, event="integrationAPI"))
    assert posted[0]["kind"] == "error" and posted[0]["error"].startswith("event: ")


def test_every_message_posted_has_its_kinds_fields(handler: ClickHandler, posted: list[dict[str, Any]]) -> None:
    """hello, dispatch and error carry the Custom Requests marker and the contract's fields."""
    handler.handle('{"bsc":"custom-requests","kind":"ping"}')
    handler.handle(click("writeLog", {"logMessage": "hi"}))
    handler.handle(click("writeLog", {"logMessage": "x", "logLevel": "Info"}))
    assert [message["kind"] for message in posted] == ["hello", "dispatch", "error"]
    for message in posted:
        assert message["bsc"] == _contract.CUSTOM_REQUESTS_MARK
        assert _contract.field_problems(message, _contract.CUSTOM_REQUESTS_FROM_WORKER[message["kind"]]) == []
