"""`bsconnects new` makes a working project; `bsconnects test` runs its tests: the template cannot rot."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from bsconnects.cli import main as cli
from bsconnects.project import TOOLKIT_ROOT, load_project

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_JS = TOOLKIT_ROOT / "static" / "simulator" / "scenario.js"
FILES = {".gitignore", "README.md", "bsconnects.toml", "pytest.ini", "acme_connects/__init__.py",
         "acme_connects/dial_rules.py", "acme_connects/main.py", "scenarios/first-call.json", "tests/test_main.py"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project made by `bsconnects new acme_connects DIR`."""
    folder = tmp_path_factory.mktemp("projects") / "acme"
    assert cli(["new", "acme_connects", str(folder)]) == 0
    return folder


def files_in(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and ".pytest_cache" not in path.parts}


def test_new_writes_the_project_and_says_what_to_run_next(tmp_path, capsys, monkeypatch):
    """The files named in the brief are there; the output lists them and the next commands."""
    monkeypatch.chdir(tmp_path)
    assert cli(["new", "acme_connects"]) == 0
    assert files_in(tmp_path / "acme_connects") == FILES
    out = capsys.readouterr().out
    assert "acme_connects/main.py" in out and "cd acme_connects" in out
    assert all(command in out for command in ("bsconnects test", "bsconnects serve", "bsconnects build"))


def test_no_placeholder_is_left(project):
    """Every file (and name) has the project's name where the template had its placeholder."""
    assert not [name for name in files_in(project) if "__NAME__" in name or "__NAME__" in (project / name).read_text()]
    assert 'entry = "acme_connects.main:main"' in (project / "bsconnects.toml").read_text()


def test_the_configuration_loads_with_after_call_work(project):
    """The toolkit reads the project's config; the simulator knows NotReady "After Call Work"."""
    loaded = load_project(project)
    assert loaded.config.integration.entry == "acme_connects.main:main"
    assert loaded.source_dir == project.resolve()
    labels = [code.label for code in loaded.config.simulator.reason_codes["NotReady"]]
    assert "After Call Work" in labels


def test_the_project_uses_only_public_names(project):
    """No import of a module or a name that starts with "_" from the toolkit."""
    private = []
    for name in files_in(project):
        if not name.endswith(".py"):
            continue
        for node in ast.walk(ast.parse((project / name).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("integration"):
                names = [*node.module.split("."), *(alias.name for alias in node.names)]  # type: ignore[union-attr]
                private += [f"{name}: {node.module}.{part}" for part in names if part.startswith("_")]
            elif isinstance(node, ast.Import):
                private += [f"{name}: {alias.name}" for alias in node.names
                            if alias.name.startswith("integration") and "._" in alias.name]
    assert private == []


def test_the_scenario_uses_the_simulators_actions(project):
    """The scenario is a list of timed steps whose actions the simulator's player knows."""
    actions = set(re.findall(r"^  (\w+): \(api", SCENARIO_JS.read_text(), flags=re.M))
    assert {"incomingCall", "accept", "agentDial"} <= actions
    steps = json.loads((project / "scenarios" / "first-call.json").read_text())
    assert steps and all(step["action"] in actions and isinstance(step.get("args", {}), dict) for step in steps)
    assert [step["at"] for step in steps] == sorted(step["at"] for step in steps)


def test_the_projects_tests_pass_through_bsconnects_test(project, capfd):
    """`bsconnects test` runs the generated tests with pytest in the project; they pass."""
    assert cli(["test", "--project", str(project), "--no-smoke", "-p", "no:cacheprovider"]) == 0
    out = capfd.readouterr().out
    assert re.search(r"\b\d+ passed\b", out) and "failed" not in out and "smoke" not in out


def test_the_tutorials_edit_gives_the_counts_it_shows(tmp_path, capfd):
    """docs/first-integration.md, steps 2 and 3: its two edits made to a new project, the test
    counts are the ones it prints (the failing one first: the test case without the rule)."""
    tutorial = (ROOT / "docs" / "first-integration.md").read_text(encoding="utf-8")
    rule, case = re.findall(r"```python\n(.*?)\n```", tutorial, re.S)[:2]
    shown = [match.group(0) for match in re.finditer(r"(1 failed, )?\d+ passed", tutorial)]
    folder = tmp_path / "acme"
    assert cli(["new", "acme_connects", str(folder)]) == 0
    tests, rules = folder / "tests" / "test_main.py", folder / "acme_connects" / "dial_rules.py"
    existing, added = '("0900 123 456", True), ', '("0906 123 456", True), '
    assert case.strip().startswith(existing + added) and existing in tests.read_text()
    tests.write_text(tests.read_text().replace(existing, existing + added, 1))
    capfd.readouterr()
    assert cli(["test", "--project", str(folder), "--no-smoke", "-q", "-p", "no:cacheprovider"]) == 1
    failed = re.search(r"1 failed, \d+ passed", capfd.readouterr().out)
    text = rules.read_text()
    rules.write_text(re.sub(r"^BLOCKED_PREFIXES = .*$", rule.strip(), text, flags=re.M))
    assert cli(["test", "--project", str(folder), "--no-smoke", "-q", "-p", "no:cacheprovider"]) == 0
    passed = re.search(r"\d+ passed", capfd.readouterr().out)
    assert failed and passed and [passed.group(0), failed.group(0)] == shown


def test_the_exit_status_is_pytests(tmp_path, capfd):
    """A broken integration fails its own tests, and `bsconnects test` says so with pytest's status."""
    folder = tmp_path / "broken"
    assert cli(["new", "broken_app", str(folder)]) == 0
    main = folder / "broken_app" / "main.py"
    main.write_text(main.read_text().replace('AFTER_CALL_REASON = "After Call Work"', 'AFTER_CALL_REASON = "Lunch"'))
    assert cli(["test", "--project", str(folder), "--no-smoke", "-p", "no:cacheprovider",
                "-k", "after_call_work"]) == 1
    assert "1 failed" in capfd.readouterr().out


@pytest.mark.parametrize(("name", "why"), [
    ("acme-connects", "not a valid Python package name"),
    ("1st_line", "not a valid Python package name"),
    ("class", "keyword"),
    ("match", "keyword"),
    ("json", "would hide"),
    ("integration", "would hide"),
    ("bsconnects", "would hide"),
    ("_acme", "would hide"),
])
def test_a_bad_name_is_refused_and_nothing_written(tmp_path, capsys, monkeypatch, name, why):
    """The message names the problem; the exit status is 2; no folder appears."""
    monkeypatch.chdir(tmp_path)
    assert cli(["new", name]) == 2
    assert why in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("existing", ["folder", "file"])
def test_an_existing_target_is_refused_and_left_alone(tmp_path, capsys, existing):
    """`new` into a folder (even empty) or onto a file that exists changes nothing."""
    target = tmp_path / "acme"
    target.mkdir() if existing == "folder" else target.write_text("mine")
    assert cli(["new", "acme_connects", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["acme"]
    assert (list(target.iterdir()) == []) if existing == "folder" else target.read_text() == "mine"


def test_a_project_inside_the_toolkits_checkout_is_refused(capsys):
    """A project lives in a folder of its own, not inside the toolkit's repository."""
    target = TOOLKIT_ROOT / "acme_connects"
    assert cli(["new", "acme_connects", str(target)]) == 2
    assert "inside the toolkit" in capsys.readouterr().err and not target.exists()


def test_test_without_a_project_says_so(tmp_path, capsys):
    """`bsconnects test` in a folder without bsconnects.toml stops with exit status 2 and the reason."""
    assert cli(["test", "--project", str(tmp_path)]) == 2
    assert "bsconnects.toml: not found" in capsys.readouterr().err
