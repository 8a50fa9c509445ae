"""bsconnects.toml: a valid file loads; every mistake is reported with its key, before any work."""

from __future__ import annotations

import re
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
    ('[simulator]\nchannel-id = "voice_1"\n', "integration: Field required"),
    ('[integration\n', "not valid TOML"),
    ('[integration]\nentry = "a:main"\npackages = ["numpy"]\n', "integration.packages: 'numpy' is not a "
                                                                 "package of the pinned runtime (available: "),
    ('[integration]\nentry = "a:main"\non-demand-packages = ["nope"]\n', "integration.on-demand-packages"),
    ('[integration]\nentry = "a:main"\npackages = ["phonenumberslite"]\non-demand-packages = ["phonenumberslite"]\n',
     "phonenumberslite also in packages"),
    ('[integration]\nentry = "a:main"\nmodules = ["a.b"]\n', "integration.modules"),
    ('[integration]\nentry = "acme-connects.main:main"\n', "'-' cannot be in a Python name"),
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


def test_the_worker_gets_the_entry_and_packages_by_pyodides_names(tmp_path):
    """The manifest the bundle carries: packages by lock key, pydantic always first."""
    project = load_project(write(tmp_path, '[integration]\nentry = "acme.main:main"\n'
                                           'packages = ["Typing_Extensions", "pydantic"]\n'
                                           'on-demand-packages = ["PhoneNumbersLite"]\n'))
    assert project.config.integration.manifest() == {
        "entry": "acme.main:main", "modules": ["acme"], "packages": ["pydantic", "typing-extensions"],
        "onDemandPackages": ["phonenumberslite"]}


def test_what_a_start_runs_has_a_digest_that_follows_the_entry(tmp_path):
    """The snapshot is made again when the entry or its packages change, not for the simulator's world."""
    first = load_project(write(tmp_path, '[integration]\nentry = "acme.main:main"\n')).entry_digest
    world = '[simulator]\ninitial-state = "Ready"\n'
    same = load_project(write(tmp_path, '[integration]\nentry = "acme.main:main"\n' + world))
    other = load_project(write(tmp_path, '[integration]\nentry = "acme.main:run"\n'))
    assert same.entry_digest == first != other.entry_digest


@pytest.mark.parametrize("document", ["docs/project.md", "docs/simulator.md"])
def test_every_bsconnects_toml_example_in_the_docs_loads(tmp_path: Path, document: str) -> None:
    """A documented example an integrator pastes is a valid configuration (with an entry in front
    where the example shows only [simulator])."""
    text = (ROOT / document).read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```toml\n(.*?)```", text, re.S)
                if "[integration]" in block or "[simulator" in block]
    assert examples, f"{document} has no bsconnects.toml example"
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "__init__.py").write_text("")
    for block in examples:
        head = "" if "[integration]" in block else '[integration]\nentry = "acme.main:main"\n\n'
        project = load_project(write(tmp_path, head + block))
        assert project.config.integration.entry
