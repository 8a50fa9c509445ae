"""The customer's world: bsconnects.toml [simulator] and the run-time setters reach the integration.

A project of its own (whose entry is the reference integration, so its page starts whichever
project the server builds from) is served by an in-process server: the toolkit's serve app with
its project. The plain-JS example integration reports what the requests answer; one test runs
the Python reference integration's after-call state against the project's reason codes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Page, Route

from bsconnects.project import CONFIG_NAME, load_project
from tools.webserver import ServeOptions, build_app

from .conftest import EXAMPLE, Sim

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
WORLD = """
[integration]
entry = "integration.app.reference:main"
source-dir = "{source_dir}"
on-demand-packages = ["phonenumberslite"]

""" + (ROOT / "tests" / "fixtures" / "simulator_world.toml").read_text(encoding="utf-8")
ACW = [{"id": 1, "label": "Break"}, {"id": 12, "label": "After Call Work"}]


class ProjectServer:
    """The serve app for one project folder, on a free loopback port, in a thread."""

    def __init__(self, root: Path) -> None:
        config = uvicorn.Config(build_app(ServeOptions(project=load_project(root))), host="127.0.0.1", port=0,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the project's server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("project"), WORLD)


def write_project(folder: Path, text: str) -> Path:
    source_dir = Path(os.path.relpath(ROOT, folder)).as_posix()
    (folder / CONFIG_NAME).write_text(text.replace("{source_dir}", source_dir), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def project_url(project_dir: Path) -> Iterator[str]:
    with ProjectServer(project_dir) as url:
        yield url


@pytest.fixture
def world(page: Page, project_url: str) -> Sim:
    """The simulator of the configured project, one tab of the example integration, ready."""
    return Sim(page, project_url).open()


def answer(sim: Sim, name: str, *args: Any) -> Any:
    result = sim.cil(name, *args)
    assert result["ok"], result
    return result["value"]


def settings_of(answer_value: Any) -> dict[str, str]:
    """getCustomSettings' answer as {key: value}."""
    if isinstance(answer_value, dict):
        return answer_value
    return {entry["key"]: entry["value"] for entry in answer_value}


def test_the_integration_meets_the_projects_reason_codes(world: Sim) -> None:
    assert answer(world, "getReasonCodeList", "voice", "NotReady") == ACW
    assert answer(world, "getReasonCodeList", "voice_5001", "Logout") == [{"id": 20, "label": "End of shift"}]
    assert answer(world, "getReasonCodeList", "voice", "Wrapup") == [{"id": "w-30", "label": "Sale"}]
    world.page.select_option("#state-select", "NotReady")
    options = world.page.locator("#reason-select option").all_inner_texts()
    assert options == ["(no reason)", "Break", "After Call Work"]


def test_the_agent_channel_and_initial_state_come_from_the_project(world: Sim) -> None:
    channel = answer(world, "getChannel", "voice")
    assert {k: channel[k] for k in ("firstName", "lastName", "loginName", "extension", "teamId")} == {
        "firstName": "Maria", "lastName": "Rossi", "loginName": "mrossi", "extension": "4711", "teamId": "billing"}
    assert channel["channel"]["id"] == "voice_5001"
    assert (channel["channel"]["state"], channel["channel"]["reasonCode"], channel["channel"]["reasonCodeLabel"]) == (
        "NotReady", 12, "After Call Work")
    assert "Maria Rossi (mrossi) · extension 4711 · team billing" in world.page.inner_text("#agent-profile")
    assert "voice_5001" in world.page.inner_text("#agent-state")
    assert world.api("options")["wrapupEnabled"] is False
    assert not world.page.inner_text("#status")


def test_the_integration_reads_the_projects_settings(world: Sim) -> None:
    settings = settings_of(answer(world, "getCustomSettings"))
    assert settings["setting4"] == "state=NotReady; reason=After Call Work"
    assert settings["setting1"] == ""


def test_the_projects_reason_code_sets_the_state_by_id(world: Sim) -> None:
    world.cil("setAgentState", "voice", "NotReady", 1, "brk")
    [event] = world.wait_for("agentStateChange")
    assert (event["channelId"], event["oldReasonCodeLabel"], event["newReasonCodeLabel"]) == (
        "voice_5001", "After Call Work", "Break")


def test_query_parameters_win_over_the_project(page: Page, project_url: str) -> None:
    sim = Sim(page, project_url).open(wrapup="1", flavour="wxcc")
    assert sim.api("options")["wrapupEnabled"] is True and sim.api("options")["flavour"] == "wxcc"
    assert answer(sim, "getReasonCodeList", "voice", "NotReady") == ACW  # the project's codes still
    assert answer(sim, "getChannel", "voice")["channel"]["id"] == "voice_5001"


def test_a_broken_config_is_said_and_the_defaults_play(page: Page, tmp_path: Path) -> None:
    """serve refuses to start on a broken config; one broken while serving is said in the page."""
    root = write_project(tmp_path, WORLD)
    with ProjectServer(root) as url:
        write_project(tmp_path, WORLD.replace("initial-state", "intial-state"))
        sim = Sim(page, url).open()
        status = sim.page.inner_text("#status")
        assert "not played" in status and "simulator.intial-state: unknown key" in status
        assert answer(sim, "getChannel", "voice")["channel"]["id"] == "voice_5000"
        assert [c["label"] for c in answer(sim, "getReasonCodeList", "voice", "NotReady")][:2] == ["Break", "Lunch"]


def test_the_reference_integration_finds_after_call_work_in_the_project(page: Page, project_url: str) -> None:
    """setting4 names "After Call Work"; the project's reason codes have it: NotReady with its id."""
    sim = Sim(page, project_url)
    page.goto(f"{project_url}/static/simulator/index.html?integration=/index.html")
    page.wait_for_function("window.connectsSimulator")
    page.evaluate("connectsSimulator.whenTabsReady({timeoutMs: 90000})")
    sim.api("setState", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    sim.api("hangUp", call)
    page.wait_for_function("connectsSimulator.agent().state === 'NotReady'", timeout=15_000)
    agent = sim.api("agent")
    assert (agent["reasonCode"], agent["reasonCodeLabel"]) == (12, "After Call Work")
    [change] = [r for r in sim.prop("requestLog") if r["name"] == "setAgentState"]
    assert change["args"][:3] == ["voice_5001", "NotReady", 12]


def test_requests_wait_for_a_world_that_comes_late(bare: Sim) -> None:
    """A tab that connected before the world arrived still gets the world's answers, not the defaults."""
    held: list[Route] = []
    bare.page.route("**/simulator/world.json", lambda route: held.append(route))
    bare.page.goto(f"{bare.server_url}/static/simulator/index.html?integration={EXAMPLE}")
    bare.page.wait_for_function("connectsSimulator.tabs()[0]?.connected")
    bare.frame().evaluate("() => { window.early = cilCall('getReasonCodeList', 'voice', 'NotReady'); }")
    bare.page.wait_for_timeout(300)
    assert bare.frame().evaluate("Promise.race([window.early, new Promise(r => setTimeout(() => r('waiting'), 50))])") \
        == "waiting"
    held[0].fulfill(json={"reasonCodes": {"NotReady": ACW}})
    assert bare.frame().evaluate("window.early") == {"ok": True, "value": ACW}


# ---- setters at run time (the toolkit's own project: no [simulator], the defaults) ----

def test_setters_change_what_the_integration_and_the_panel_see(sim: Sim) -> None:
    codes = sim.api("setReasonCodes", "NotReady", [{"id": 7, "label": "After Call Work"}])
    assert codes == [{"id": 7, "label": "After Call Work"}]
    assert answer(sim, "getReasonCodeList", "voice", "NotReady") == codes
    sim.page.select_option("#state-select", "NotReady")
    assert sim.page.locator("#reason-select option").all_inner_texts() == ["(no reason)", "After Call Work"]

    profile = sim.api("setAgentProfile", {"firstName": "Kim", "extension": "2002"})
    assert (profile["firstName"], profile["lastName"], profile["extension"]) == ("Kim", "Agent", "2002")
    channel = answer(sim, "getChannel", "voice")
    assert (channel["firstName"], channel["extension"]) == ("Kim", "2002")
    sim.page.wait_for_function("document.getElementById('agent-profile').textContent.startsWith('Kim Agent')")

    assert sim.api("setChannelId", "voice_7") == "voice_7"
    assert answer(sim, "getChannel", "voice_7")["channel"]["id"] == "voice_7"

    assert sim.api("setSettings", {"setting2": "region=CH"})["setting2"] == "region=CH"
    assert settings_of(answer(sim, "getCustomSettings"))["setting2"] == "region=CH"


def test_set_initial_state_puts_the_agent_there_and_tells_the_tabs(sim: Sim) -> None:
    sim.api("setReasonCodes", "NotReady", [{"id": 7, "label": "After Call Work"}])
    assert sim.api("setInitialState", "NotReady", "after call work") == {
        "state": "NotReady", "reasonLabel": "after call work"}
    [event] = sim.wait_for("agentStateChange")
    assert (event["oldState"], event["newState"], event["newReasonCode"], event["newReasonCodeLabel"]) == (
        "Logout", "NotReady", 7, "After Call Work")
    assert sim.api("world")["initialState"]["state"] == "NotReady"


@pytest.mark.parametrize(("method", "args", "needle"), [
    ("setReasonCodes", ["WrapUp", []], 'unknown reason type "WrapUp"'),
    ("setReasonCodes", ["NotReady", [{"id": 1, "label": "A"}, {"id": 1, "label": "B"}]], "the id 1 is given more"),
    ("setReasonCodes", ["NotReady", [{"id": 1.5, "label": "A"}]], "reasonCodes.NotReady[0].id"),
    ("setAgentProfile", [{"team": "x"}], "agent: unknown key team"),
    ("setAgentProfile", [{"extension": 4711}], "agent.extension must be a string"),
    ("setChannelId", ["voice"], "is not a voice channel id"),
    ("setInitialState", ["Active"], "initialState.state"),
    ("setInitialState", ["NotReady", "Nap"], 'initialState.reasonLabel: "Nap" is not a NotReady reason code'),
    ("setWorld", [{"reasonCode": {}}], "world: unknown key reasonCode"),
])
def test_a_bad_setter_call_names_the_key_and_changes_nothing(sim: Sim, method: str, args: list, needle: str) -> None:
    before = sim.api("world")
    with pytest.raises(Exception) as caught:
        sim.api(method, *args)
    assert needle in str(caught.value)
    assert sim.api("world") == before


def test_channel_and_flavour_change_only_while_logged_out(sim: Sim) -> None:
    sim.api("login", "Ready")
    with pytest.raises(Exception) as caught:
        sim.api("setChannelId", "voice_7")
    assert "log out and end all calls" in str(caught.value)
    assert sim.api("channel")["channel"]["id"] == "voice_5000"


def test_set_world_is_recorded_and_replays(sim: Sim) -> None:
    sim.api("setWorld", {"reasonCodes": {"Logout": [{"id": 99, "label": "Home"}]}, "agent": {"teamId": "t-9"}})
    steps = [step for step in sim.api("recording") if step["action"] == "setWorld"]
    assert len(steps) == 1
    sim.page.reload()
    sim.page.wait_for_function("window.connectsSimulator")
    assert sim.api("reasonCodes", "Logout")[0]["label"] == "End of shift"
    report = sim.page.evaluate("(s) => connectsSimulator.play(s, {speed: 100})", steps)
    assert report == {"steps": 1, "errors": []}
    assert sim.api("reasonCodes", "Logout") == [{"id": 99, "label": "Home"}]
    assert sim.api("channel")["teamId"] == "t-9"
