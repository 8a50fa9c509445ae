"""bsconnects.toml [simulator] -> the world JSON the simulator page plays; bad keys named, nothing served."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bsconnects.project import CONFIG_NAME, ProjectError, load_project
from tools import simulator_world
from tools.simulator_world import world_of

ROOT = Path(__file__).resolve().parents[2]
ENTRY = '[integration]\nentry = "acme.main:main"\n'
WORLD = ENTRY + (ROOT / "tests" / "fixtures" / "simulator_world.toml").read_text(encoding="utf-8")


def project(folder: Path, text: str) -> Path:
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    return folder


def test_every_key_reaches_the_world_in_the_simulators_spelling(tmp_path: Path) -> None:
    text = WORLD.replace('initial-reason = "After Call Work"', 'initial-reason = "after call work"')
    world = world_of(load_project(project(tmp_path, text)).config.simulator)
    assert world == {
        "flavour": "ucce",
        "channelId": "voice_5001",
        "wrapupEnabled": False,
        "initialState": {"state": "NotReady", "reasonLabel": "After Call Work"},
        "agent": {"firstName": "Maria", "lastName": "Rossi", "loginName": "mrossi", "extension": "4711",
                  "teamId": "billing"},
        "reasonCodes": {
            "NotReady": [{"id": 1, "label": "Break"}, {"id": 12, "label": "After Call Work"}],
            "Logout": [{"id": 20, "label": "End of shift"}],
            "Wrapup": [{"id": "w-30", "label": "Sale"}],
        },
        "settings": {"setting1": "", "setting2": "", "setting3": "",
                     "setting4": "state=NotReady; reason=After Call Work", "setting5": ""},
    }


def test_no_simulator_section_is_the_empty_world_so_the_simulator_keeps_its_defaults(tmp_path: Path) -> None:
    assert world_of(load_project(project(tmp_path, ENTRY)).config.simulator) == {}
    assert world_of(load_project(ROOT).config.simulator) == {}


def test_a_lone_initial_state_has_no_reason(tmp_path: Path) -> None:
    config = load_project(project(tmp_path, ENTRY + '[simulator]\ninitial-state = "Ready"\n')).config.simulator
    assert world_of(config) == {"initialState": {"state": "Ready", "reasonLabel": ""}}


@pytest.mark.parametrize(("text", "expected"), [
    ('[simulator]\nflavor = "ucce"\n', "simulator.flavor: unknown key"),
    ('[simulator]\nflavour = "avaya"\n', "simulator.flavour"),
    ('[simulator]\nchannel-id = "voice"\n', "simulator.channel-id: 'voice' is not a voice channel id"),
    ('[simulator]\nwrapup = "yes"\n', "simulator.wrapup"),
    ('[simulator]\ninitial-state = "Active"\n', "simulator.initial-state"),
    ('[simulator]\ninitial-state = "Ready"\ninitial-reason = "Break"\n',
     "initial-reason: needs initial-state NotReady"),
    ('[simulator]\ninitial-state = "NotReady"\ninitial-reason = "ACW"\n',
     "initial-reason: 'ACW' is not a NotReady reason code of [simulator.reason-codes] (configured: none)"),
    ('[simulator.agent]\nextension = 4711\n', "simulator.agent.extension: Input should be a valid string"),
    ('[simulator.agent]\nteam = "x"\n', "simulator.agent.team: unknown key"),
    ('[simulator.reason-codes]\nWrapUp = []\n', "simulator.reason-codes.WrapUp.[key]"),
    ('[simulator.reason-codes]\nNotReady = [{id = 1.5, label = "B"}]\n',
     "simulator.reason-codes.NotReady.0.id: 1.5 is not a reason id"),
    ('[simulator.reason-codes]\nNotReady = [{id = 1, label = ""}]\n', "simulator.reason-codes.NotReady.0.label"),
    ('[simulator.reason-codes]\nNotReady = [{id = 1, label = "B", code = 2}]\n',
     "simulator.reason-codes.NotReady.0.code: unknown key"),
    ('[simulator.reason-codes]\nNotReady = [{id = 1, label = "B"}, {id = 2, label = "b"}]\n',
     "simulator.reason-codes: NotReady: the label b is given more than once"),
    ('[simulator.settings]\nsetting6 = "x"\n', "simulator.settings.setting6.[key]"),
    ('[simulator.settings]\nsetting1 = 1\n', "simulator.settings.setting1"),
])
def test_a_bad_key_is_refused_with_its_name(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ProjectError) as caught:
        load_project(project(tmp_path, ENTRY + text))
    assert expected in str(caught.value)


def client_for(root: Path) -> TestClient:
    return TestClient(Starlette(routes=[simulator_world.route(root)]))


def test_the_route_reads_the_config_on_every_request(tmp_path: Path) -> None:
    """An edit to bsconnects.toml shows on the next page load, like an edit to the code."""
    client = client_for(project(tmp_path, WORLD))
    first = client.get(simulator_world.PATH)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert first.json()["agent"]["firstName"] == "Maria"
    project(tmp_path, WORLD.replace('"Maria"', '"Mario"'))
    assert client.get(simulator_world.PATH).json()["agent"]["firstName"] == "Mario"


def test_a_broken_config_answers_422_naming_the_key(tmp_path: Path) -> None:
    response = client_for(project(tmp_path, ENTRY + '[simulator]\nintial-state = "Ready"\n')).get(simulator_world.PATH)
    assert response.status_code == 422
    assert "simulator.intial-state: unknown key" in response.json()["error"]


def test_serve_mounts_the_world_of_its_project(tmp_path: Path) -> None:
    from tools.webserver import ServeOptions, build_app

    app = build_app(ServeOptions(project=load_project(project(tmp_path, WORLD))))
    assert TestClient(app).get(simulator_world.PATH).json()["channelId"] == "voice_5001"
    assert TestClient(build_app()).get(simulator_world.PATH).json() == {}
