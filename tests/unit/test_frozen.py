"""integration/_frozen.py: a frozen copy of the integration is used only while its sources are unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

from integration import _frozen


def _modules(tmp_path: Path) -> dict[str, ModuleType]:
    modules: dict[str, ModuleType] = {}
    for name, text in [("integration", ""), ("integration.sdk", "X = 1\n"), ("integration.app", "Y = 2\n")]:
        path = tmp_path / f"{name}.py"
        path.write_text(text)
        module = ModuleType(name)
        module.__file__ = str(path)
        modules[name] = module
    modules["pydantic"] = ModuleType("pydantic")
    modules["integration_other"] = ModuleType("integration_other")  # not ours, despite the prefix
    modules["integration_other"].__file__ = str(tmp_path / "integration.py")
    return modules


def test_the_sources_of_our_modules_are_recorded_on_the_package(tmp_path: Path) -> None:
    modules = _modules(tmp_path)
    sources = _frozen.record_sources(modules)
    assert set(sources) == {"integration", "integration.sdk", "integration.app"}
    path, digest = sources["integration.sdk"]
    assert digest == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert getattr(modules["integration"], _frozen.ATTRIBUTE) is sources


def test_unchanged_sources_keep_every_frozen_module(tmp_path: Path) -> None:
    modules = _modules(tmp_path)
    _frozen.record_sources(modules)
    assert _frozen.discard_stale(modules) == []
    assert {"integration", "integration.sdk", "integration.app", "pydantic"} <= set(modules)


def test_one_changed_source_drops_every_frozen_integration_module(tmp_path: Path) -> None:
    """A changed module's unchanged neighbours may hold its old classes: all are imported again."""
    modules = _modules(tmp_path)
    _frozen.record_sources(modules)
    (tmp_path / "integration.sdk.py").write_text("X = 3\n")
    assert _frozen.discard_stale(modules) == ["integration.sdk"]
    assert set(modules) == {"pydantic", "integration_other"}


def test_a_missing_source_counts_as_changed(tmp_path: Path) -> None:
    modules = _modules(tmp_path)
    _frozen.record_sources(modules)
    (tmp_path / "integration.app.py").unlink()
    assert _frozen.discard_stale(modules) == ["integration.app"]
    assert "integration" not in modules


def test_without_a_snapshot_nothing_is_dropped(tmp_path: Path) -> None:
    """Imported from source (no snapshot): no record, so nothing to compare."""
    modules = _modules(tmp_path)
    assert _frozen.discard_stale(modules) == []
    assert len(modules) == 5


def test_a_projects_own_modules_are_checked_like_the_toolkits(tmp_path: Path) -> None:
    """An integrator's package frozen with the SDK: its changed module drops every frozen one."""
    modules = _modules(tmp_path)
    path = tmp_path / "acme.main.py"
    path.write_text("def main(integration): pass\n")
    modules["acme.main"] = ModuleType("acme.main")
    modules["acme.main"].__file__ = str(path)
    assert "acme.main" in _frozen.record_sources(modules, tops=["acme"])
    path.write_text("def main(integration): return 1\n")
    assert _frozen.discard_stale(modules) == ["acme.main"]
    assert set(modules) == {"pydantic", "integration_other"}
