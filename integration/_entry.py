"""The integration's entry: which function a start runs, read from the project, and found.

The project names its entry in bsconnects.toml (``entry = "package.module:function"``). The
toolkit writes what the worker needs of that configuration into the bundle as
``integration/_project.json`` (tools/bundle.py), so nothing about a project is written in code:
the worker start (integration/_worker_start.py) reads it, imports the entry and hands it to
``integration.sdk.run``. ``bsconnects serve`` and ``build`` run the same ``load_entry`` under
CPython first (bsconnects/entry.py), so a wrong entry is reported before anything is served.

Plain Python, no Pyodide: it runs in the browser's worker and under CPython alike.
"""

from __future__ import annotations

import importlib
import json
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MANIFEST_NAME", "EntryError", "Manifest", "describe_failure", "load_entry", "read_manifest"]

MANIFEST_NAME = "_project.json"
"""Next to this module in the bundle: what the worker knows of the project's configuration."""


class EntryError(Exception):
    """The configured entry cannot be run; the message names it and says why."""


@dataclass(frozen=True)
class Manifest:
    """The project's ``[integration]`` as the worker needs it (made by bsconnects/project_config.py)."""

    entry: str
    modules: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    on_demand_packages: tuple[str, ...] = field(default=())

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        return cls(entry=str(data["entry"]), modules=tuple(data.get("modules", ())),
                   packages=tuple(data.get("packages", ())),
                   on_demand_packages=tuple(data.get("onDemandPackages", ())))


def read_manifest(folder: str | None = None) -> Manifest:
    """The bundle's ``_project.json`` (by default next to this module)."""
    path = os.path.join(folder or os.path.dirname(os.path.abspath(__file__)), MANIFEST_NAME)
    try:
        with open(path, encoding="utf-8") as source:
            return Manifest.from_json(source.read())
    except (OSError, ValueError, KeyError) as error:
        raise EntryError(f"the bundle's {MANIFEST_NAME} is missing or unreadable ({error}): "
                         "the toolkit makes it from bsconnects.toml (bsconnects serve / build)") from error


BROWSER_ONLY = ("js", "pyodide", "pyodide_js", "pyscript")
"""Modules only the browser's Pyodide has: imported at the top of a module, they make it
unusable under CPython (tests, ``bsconnects serve``'s check)."""


def _describe(error: BaseException) -> str:
    text = str(error)
    described = f"{type(error).__name__}: {text}" if text else type(error).__name__
    if isinstance(error, ModuleNotFoundError) and (error.name or "").split(".")[0] in BROWSER_ONLY:
        described += " (a browser-only module: import it inside the function that uses it)"
    return described


def _missing_is_the_entry(error: ModuleNotFoundError, module: str) -> bool:
    """True when the module not found is the entry's own module or one of its packages (not
    something the entry imports)."""
    missing = error.name or ""
    return missing == module or module.startswith(missing + ".")


def load_entry(spec: str) -> Callable[..., Any]:
    """Import ``spec``'s module and return its function; :class:`EntryError` says which part
    failed: the module is not there, it raised while importing (the cause is chained), or it has
    no such function, or the name is not callable."""
    module_name, _, function_name = spec.partition(":")
    where = f'the integration\'s entry "{spec}"'
    if not module_name or not function_name:
        raise EntryError(f'{where} is not of the form "package.module:function"')
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if _missing_is_the_entry(error, module_name):
            raise EntryError(f"{where}: module {module_name} not found (is its package under source-dir, "
                             f"and listed in modules?)") from error
        raise EntryError(f"{where}: module {module_name} does not import: {_describe(error)}") from error
    except BaseException as error:  # noqa: BLE001 - whatever the module raised while importing
        raise EntryError(f"{where}: module {module_name} does not import: {_describe(error)}") from error
    try:
        function = getattr(module, function_name)
    except AttributeError:
        raise EntryError(f"{where}: module {module_name} has no {function_name}") from None
    if not callable(function):
        raise EntryError(f"{where}: {module_name}.{function_name} is not callable "
                         f"(it is a {type(function).__name__})")
    return function  # type: ignore[no-any-return]


def _toolkit_frame(filename: str) -> bool:
    """The import machinery's frames and the worker start's: they say nothing about the mistake."""
    name = filename.replace("\\", "/")
    return (name.startswith("<frozen ") or "/importlib/" in name
            or name.endswith(("integration/_entry.py", "integration/_worker_start.py")))


def describe_failure(error: BaseException, limit: int = 4000) -> str:
    """An entry's failure for a person: for an :class:`EntryError`, its message first, then the
    traceback of what it reported in the project's own frames (none when the entry's module is
    not there at all); anything else, its whole traceback. At most `limit` characters (a
    traceback's end is kept)."""
    if not isinstance(error, EntryError):
        return "".join(traceback.format_exception(type(error), error, error.__traceback__))[-limit:]
    head, cause = str(error), error.__cause__
    frames = [frame for frame in traceback.extract_tb(cause.__traceback__) if not _toolkit_frame(frame.filename)] \
        if cause is not None else []
    if cause is None or not frames:
        return head[:limit]
    tail = ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
            + "".join(traceback.format_exception_only(type(cause), cause)))
    return f"{head}\n\n{tail[-max(0, limit - len(head) - 2):]}"
