"""`bsconnects serve`: what it makes, in which order, from a project outside the toolkit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bsconnects import toolkit
from bsconnects.cli import main as bsconnects
from bsconnects.project import CONFIG_NAME, load_project


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "__init__.py").write_text("def main(integration):\n    pass\n")
    (tmp_path / CONFIG_NAME).write_text('[integration]\nentry = "acme:main"\n')
    return tmp_path


def test_serve_checks_then_makes_what_is_missing_then_serves(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Options and entry first, then runtime, bundle, snapshot for the project, then serve.py
    with the user's options; every tool runs in the toolkit's checkout, not the project."""
    calls: list[list[str]] = []
    monkeypatch.setattr(toolkit, "step", lambda arguments, what: calls.append(arguments))
    monkeypatch.setattr(toolkit, "run", lambda arguments: calls.append(arguments) or 0)
    assert bsconnects(["serve", "--project", str(project_dir), "--port", "9000"]) == 0
    root = str(project_dir)
    assert calls == [
        ["serve.py", "--project", root, "--check", "--port", "9000"],
        ["-m", "tools.runtime"],
        ["-m", "tools.bundle", "--project", root],
        ["-m", "tools.snapshot", "--project", root],
        ["serve.py", "--project", root, "--port", "9000"],
    ]
    said = capsys.readouterr().out
    assert "checking the entry acme:main" in said and "memory snapshot for acme:main" in said


def test_a_failing_step_stops_serve_and_says_which(project_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(toolkit, "run", lambda arguments: 1 if arguments == ["-m", "tools.runtime"] else 0)
    assert bsconnects(["serve", "--project", str(project_dir)]) == 2
    assert "setting up the runtime failed (exit status 1" in capsys.readouterr().err


def test_without_the_toolkits_tools_serve_says_how_to_install(project_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A toolkit installed without its own files (no tools/ where TOOLKIT_ROOT says) is named plainly."""
    monkeypatch.setattr(toolkit, "TOOLKIT_ROOT", tmp_path / "site-packages")
    assert bsconnects(["serve", "--project", str(project_dir)]) == 2
    assert "pip install <checkout>" in capsys.readouterr().err


def test_the_tools_run_with_this_python_in_the_toolkits_folder() -> None:
    """The console script's sys.path lacks the toolkit's folder: each tool gets it as working directory."""
    assert toolkit.run(["-c", "import tools.bundle, serve"]) == 0


def test_build_with_an_entry_that_does_not_import_says_why_and_makes_nothing(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bsconnects build` checks the entry first, as serve does: no tool runs, nothing is written."""
    (project_dir / "acme" / "__init__.py").write_text("RATIO = 1 / 0\n\ndef main(integration):\n    pass\n")
    calls: list[list[str]] = []
    monkeypatch.setattr(toolkit, "step", lambda arguments, what: calls.append(arguments))
    assert bsconnects(["build", "--project", str(project_dir)]) == 2
    error = capsys.readouterr().err
    assert "module acme does not import: ZeroDivisionError: division by zero" in error, error
    assert calls == []
    assert not (project_dir / "dist").exists() and not (project_dir / ".bsconnects").exists()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_terminated_command_stops_the_tool_it_runs(tmp_path: Path, stop: signal.Signals) -> None:
    """SIGTERM to `bsconnects serve` (a process manager, a test harness) stops serve.py too: it
    used to outlive its parent, holding its port. So does SIGKILL, on Linux (the kernel tells it)."""
    if stop == signal.SIGKILL and sys.platform != "linux":
        pytest.skip("a parent's death is passed on to its children by Linux only")
    pid_file = tmp_path / "tool.pid"
    child = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    parent = f"from bsconnects import toolkit; toolkit.run(['-c', {child!r}])"
    process = subprocess.Popen([sys.executable, "-c", parent])
    deadline = time.monotonic() + 20
    while not pid_file.is_file() or not pid_file.read_text():
        assert time.monotonic() < deadline and process.poll() is None, "the tool did not start"
        time.sleep(0.05)
    tool = int(pid_file.read_text())
    process.send_signal(stop)
    process.wait(timeout=toolkit.STOP_WAIT_S + 5)
    deadline = time.monotonic() + 5
    while _alive(tool):
        assert time.monotonic() < deadline, "the tool outlived the command"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a stopped child not yet reaped is a zombie: gone
        return stat.read().split(") ")[-1][0] != "Z"


def test_the_smoke_test_sets_up_the_runtime_first(project_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh install runs `bsconnects test` before any serve: the smoke test fetches the runtime
    as serve does (serve.py refused to start without it)."""
    from bsconnects import testing_command

    order: list[str] = []
    monkeypatch.setattr(testing_command, "smoke_unavailable", lambda: None)
    monkeypatch.setattr(toolkit, "step", lambda arguments, what: order.append(" ".join(arguments)))
    monkeypatch.setattr(testing_command, "smoke_test", lambda project: order.append("smoke") or "ready")
    assert testing_command.run_smoke_test(load_project(project_dir)) == 0
    assert order == ["-m tools.runtime", "smoke"]
    assert "[test] smoke test passed: ready" in capsys.readouterr().out


def test_serve_help_names_every_option_the_server_takes() -> None:
    """`bsconnects serve --help` lists what it passes on to serve.py: none missing, none made up."""
    import re

    from bsconnects.cli import EPILOGS

    usage = subprocess.run([sys.executable, "serve.py", "--help"], cwd=toolkit.toolkit_root(), capture_output=True,
                           text=True, check=True).stdout
    server = set(re.findall(r"(--[a-z-]+)", usage)) - {"--help", "--project", "--check"}
    assert server and server == set(re.findall(r"(--[a-z-]+)", EPILOGS["serve"]))
