"""bsconnects.toml: a valid file loads; every mistake is reported with its key, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from bsconnects.project import CONFIG_NAME, ProjectError, load_project

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, text: str) -> Path:
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    return folder


def test_the_toolkit_itself_is_a_project_whose_entry_is_the_reference_integration():
    project = load_project(ROOT)
    assert project.config.integration.entry == "integration.app.reference:main"
    assert project.config.integration.shipped_modules == ["integration"]


def test_defaults_fill_everything_but_the_entry(tmp_path):
    project = load_project(write(tmp_path, '[integration]\nentry = "acme.main:main"\n'))
    integration = project.config.integration
    assert (integration.entry_module, integration.entry_function) == ("acme.main", "main")
    assert integration.shipped_modules == ["acme"] and project.source_dir == tmp_path.resolve()
    assert project.config.simulator.channel_id is None  # the simulator keeps its own default


@pytest.mark.parametrize(("text", "expected"), [
    ('[integration]\nentry = "acme.main"\n', "integration.entry"),
    ('[integration]\nentry = "acme.main:main"\nentyr = 1\n', "integration.entyr: unknown key"),
    ('[integration]\nentry = "a:main"\npackages = "pydantic"\n', "integration.packages"),
    ('[integration]\nentry = "a:main"\n[simulator]\ninitial-state = 3\n', "simulator.initial-state"),
    ('[integration]\nentry = "a:main"\n[simulator.reason-codes]\nNotReady = [{id = 1.5, label = "B"}]\n',
     "simulator.reason-codes.NotReady.0.id"),
    ('[simulator]\nchannels = ["voice"]\n', "integration: Field required"),
    ('[integration\n', "not valid TOML"),
])
def test_a_mistake_names_its_key(tmp_path, text, expected):
    with pytest.raises(ProjectError) as caught:
        load_project(write(tmp_path, text))
    assert expected in str(caught.value)


def test_a_missing_file_or_source_folder_is_said_plainly(tmp_path):
    with pytest.raises(ProjectError, match="not found"):
        load_project(tmp_path)
    with pytest.raises(ProjectError, match="is not a folder"):
        load_project(write(tmp_path, '[integration]\nentry = "a:main"\nsource-dir = "src"\n'))
