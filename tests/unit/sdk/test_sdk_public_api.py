"""The public surface: ``__all__`` is exactly the public names, each documented; exception tree."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import integration.sdk as sdk
from integration.sdk import (
    ConnectsError,
    EventTimeout,
    InvalidRequest,
    ProtocolError,
    RequestFailed,
    RequestTimeout,
    _exceptions,
)


def test_all_is_exactly_the_public_names():
    """Every public attribute is in __all__ and vice versa (like httpx's test_exported_members)."""
    public = {
        name
        for name, value in vars(sdk).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    exported = set(sdk.__all__) - {"__version__"}
    assert exported == public
    assert sdk.__all__ == sorted(sdk.__all__, key=lambda n: (n.startswith("_"), n))
    assert len(sdk.__all__) == len(set(sdk.__all__))


def test_every_public_name_is_listed_in_the_package_docstring():
    """The package docstring names each public name, so the list stays the documentation."""
    missing = [name for name in sdk.__all__ if name != "__version__" and name not in sdk.__doc__]
    assert missing == []


def test_every_public_name_has_its_entry_in_the_reference_page():
    """docs/sdk.md renders each public name from its docstring (mkdocstrings); none is left out."""
    page = (Path(__file__).resolve().parents[3] / "docs" / "sdk.md").read_text(encoding="utf-8")
    missing = [name for name in sdk.__all__ if name != "__version__" and f"::: integration.sdk.{name}\n" not in page]
    assert missing == []


def test_testing_module_exports():
    """The test kit exports FakeConnects and its record types."""
    from integration import testing

    assert set(testing.__all__) == {"FakeConnects", "RecordedRequest", "Alert"}


@pytest.mark.parametrize(
    ("exception", "bases"),
    [
        (InvalidRequest, (ConnectsError, ValueError)),
        (RequestFailed, (ConnectsError,)),
        (RequestTimeout, (ConnectsError, TimeoutError)),
        (EventTimeout, (ConnectsError, TimeoutError)),
        (ProtocolError, (ConnectsError,)),
    ],
)
def test_exception_tree(exception, bases):
    """Each exception sits where the tree in the module docstring draws it."""
    assert all(issubclass(exception, base) for base in bases)
    assert exception.__name__ in _exceptions.__doc__


def test_sdk_modules_do_not_import_js():
    """Nothing in the SDK except the worker transport imports js/pyodide at module level."""
    import pathlib
    import re

    root = pathlib.Path(sdk.__file__).parent
    offenders = [
        path.name
        for path in root.glob("*.py")
        if path.name != "_worker_transport.py"
        and re.search(r"^(import|from) (js|pyodide)\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []
