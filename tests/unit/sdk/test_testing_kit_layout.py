"""The test kit is a tool apart from the SDK: its own package, no import cycle, parts composed."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import integration.testing as kit
from integration.sdk import testing as old_path
from integration.testing import Alert, FakeConnects, RecordedRequest

ROOT = Path(__file__).resolve().parents[3]
SDK = ROOT / "integration" / "sdk"
KIT = ROOT / "integration" / "testing"


def _imports(path: Path, package: str) -> set[str]:
    """The modules a file imports (relative imports resolved against ``package``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level else ""
            module = f"{base}.{node.module}" if base and node.module else (node.module or base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_the_old_import_path_gives_the_same_objects():
    """``integration.sdk.testing`` stays a working path to the very same classes."""
    assert (old_path.FakeConnects, old_path.Alert, old_path.RecordedRequest) == (FakeConnects, Alert, RecordedRequest)
    assert set(old_path.__all__) == set(kit.__all__)


def test_no_sdk_module_but_the_old_path_imports_the_kit():
    """The SDK the browser loads never needs the kit: only the re-export module names it."""
    users = sorted(path.name for path in SDK.glob("*.py")
                   if any(name.startswith("integration.testing") for name in _imports(path, "integration.sdk")))
    assert users == ["testing.py"]
    assert not list(SDK.glob("_fake_*.py"))


def test_the_kits_modules_import_each_other_without_a_cycle():
    """Each part imports only parts below it, so the modules form no cycle."""
    modules = {path.stem: path for path in KIT.glob("*.py")}
    graph = {name: {other for other in modules if other != name and f"integration.testing.{other}"
                    in _imports(path, "integration.testing")} for name, path in modules.items()}
    assert graph["_fake"] and graph["__init__"] == {"_fake", "_records"}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name not in done:
            for other in graph[name]:
                visit(other, (*trail, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_fake_connects_is_composed_not_mixed_in():
    """FakeConnects inherits nothing; its parts hold explicit references, not ``self: FakeConnects``."""
    assert FakeConnects.__bases__ == (object,)
    source = "".join(inspect.getsource(__import__(f"integration.testing.{path.stem}", fromlist=["_"]))
                     for path in KIT.glob("_*.py"))
    assert "self: FakeConnects" not in source


def test_state_set_on_the_fake_is_what_its_parts_use():
    """Setting an attribute of the fake changes the part that answers (one picture, not two)."""
    fake = FakeConnects()
    fake.state, fake.primary_tab = "Logout", False
    fake.fail["showInfo"] = "busy"
    assert fake.desk.state == "Logout" and fake.desk.primary_tab is False
    assert fake.answers.fail == {"showInfo": "busy"}
    fake.dial("voice", "+41441111111", "r-1")
    assert fake.workitems == {} and fake.outbox.pending[-1].payload["message"].startswith("Cannot dial")
