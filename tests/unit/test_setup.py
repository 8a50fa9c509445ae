"""The set-up's Chromium step: found, installed with apt as root, or one line before any test runs.

The machine (Chromium lookup, root, apt-get, the commands run) is a fake: nothing is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tools import setup_browser
from tools.setup_browser import Machine, NoChromium, ensure_chromium

ROOT = Path(__file__).resolve().parents[2]


class FakeMachine(Machine):
    """A machine without Chromium until `apt-get install chromium` runs (if `installs`)."""

    def __init__(self, root: bool = True, apt: bool = True, installs: bool = True, fails: str = "",
                 environ: dict[str, str] | None = None, present: bool = False) -> None:
        self.ran: list[list[str]] = []
        self.installed = present

        def run(command: list[str]) -> int:
            self.ran.append(command)
            if fails and fails in command:
                return 100
            if command[:2] == ["apt-get", "install"] and installs:
                self.installed = True
            return 0

        super().__init__(
            find=lambda: "/usr/bin/chromium" if self.installed else None,
            is_root=lambda: root,
            which=lambda name: f"/usr/bin/{name}" if apt and name == "apt-get" else None,
            run=run,
            environ=environ or {},
        )


def test_a_chromium_that_is_there_is_used_and_nothing_runs() -> None:
    machine = FakeMachine(present=True)
    assert ensure_chromium(machine, say=lambda _: None) == "/usr/bin/chromium"
    assert machine.ran == []


def test_root_with_apt_installs_debians_chromium_after_an_update() -> None:
    machine = FakeMachine()
    said: list[str] = []
    assert ensure_chromium(machine, say=said.append) == "/usr/bin/chromium"
    assert [command[:2] for command in machine.ran] == [["apt-get", "update"], ["apt-get", "install"]]
    assert "-y" in machine.ran[1] and machine.ran[1][-1] == "chromium"
    assert any("installing" in line for line in said) and any("installed" in line for line in said)


@pytest.mark.parametrize("machine", [FakeMachine(root=False), FakeMachine(apt=False)], ids=["not root", "no apt"])
def test_without_root_or_apt_nothing_runs_and_one_line_says_what_to_install(machine: FakeMachine) -> None:
    with pytest.raises(NoChromium) as missing:
        ensure_chromium(machine, say=lambda _: None)
    assert machine.ran == []
    message = str(missing.value)
    assert "\n" not in message and "apt-get install chromium" in message and "CHROMIUM" in message


def test_a_chromium_variable_that_names_nothing_is_reported_not_replaced_by_an_install() -> None:
    machine = FakeMachine(environ={"CHROMIUM": "/opt/nowhere/chrome"})
    with pytest.raises(NoChromium, match="CHROMIUM=/opt/nowhere/chrome is not a file"):
        ensure_chromium(machine, say=lambda _: None)
    assert machine.ran == []


@pytest.mark.parametrize("fails", ["update", "install"])
def test_a_failing_apt_get_stops_with_the_command_that_failed(fails: str) -> None:
    machine = FakeMachine(fails=fails)
    with pytest.raises(NoChromium, match=f"apt-get {fails}"):
        ensure_chromium(machine, say=lambda _: None)


def test_an_install_that_brings_no_chromium_is_an_error_not_a_pass() -> None:
    with pytest.raises(NoChromium, match="no Chromium is found"):
        ensure_chromium(FakeMachine(installs=False), say=lambda _: None)


def test_the_command_stops_make_test_but_lets_make_serve_go_on(capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 1 for `make test`; exit 0 with `--optional` (`make serve`), saying what is missing."""
    assert setup_browser.main([], FakeMachine(root=False)) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert setup_browser.main(["--optional"], FakeMachine(root=False)) == 0
    assert "without the interpreter snapshot" in capsys.readouterr().err
    assert setup_browser.main([], FakeMachine()) == 0


def test_chromium_variable_is_the_only_candidate_when_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tools.browser import chromium_path

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "missing"))
    assert chromium_path() is None
    browser = tmp_path / "chrome"
    browser.write_text("")
    monkeypatch.setenv("CHROMIUM", str(browser))
    assert chromium_path() == str(browser)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["test", "serve"])
def test_make_finds_chromium_before_the_snapshot_and_the_tests(target: str) -> None:
    """`make -n` lists the recipe in order: the browser step comes before the snapshot and pytest."""
    plan = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = plan.splitlines()
    browser = next(i for i, line in enumerate(lines) if "tools.setup_browser" in line)
    snapshot = next(i for i, line in enumerate(lines) if "tools.snapshot" in line)
    assert browser < snapshot
    assert ("--optional" in lines[browser]) == (target == "serve")
    if target == "test":
        assert browser < next(i for i, line in enumerate(lines) if "pytest" in line)
