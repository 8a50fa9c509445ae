"""The relative URLs the page's own files name, read from their text.

Two uses in `bsconnects build`: which vendored modules the page reaches (a module is shipped only
if something the page loads imports or preloads it), and a last check of the laid-out folder that
every such URL points at a file the build writes (a rewritten name that went wrong would otherwise
only show in a browser).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

LIBRARY = "cnx_connectsIntegrationLibrary.min.js"
"""The b+s Connects library, by relative URL: the vendor's file in b+s Connects, never built."""

_STATIC_IMPORT = re.compile(r"""(?:^|[;}\s])(?:import|export)\b[^;"'()]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']"""
                            r"""|^\s*import\s*["'](\.{1,2}/[^"']+)["']""", re.M)
_META_URL = re.compile(r"""new URL\(\s*["'](\.{1,2}/[^"']*)["']\s*,\s*import\.meta\.url\s*\)""")
_HTML_REF = re.compile(r"""<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)\"""")


def join(base_file: str, reference: str) -> str:
    """`reference` (relative to the file `base_file`, both from the output's root) from the root."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), reference))


def is_local(reference: str) -> bool:
    return not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", reference, re.I)


def static_imports(path: str, text: str) -> list[str]:
    """The modules a JavaScript module imports statically, from the root."""
    return [join(path, match.group(1) or match.group(2)) for match in _STATIC_IMPORT.finditer(text)]


def module_folders(path: str, text: str) -> list[str]:
    """The folders a module names with `new URL("…/", import.meta.url)`, from the root (with a slash)."""
    return [join(path, found) + "/" for found in _META_URL.findall(text) if found.endswith("/")]


def html_references(path: str, text: str) -> list[str]:
    """The local files a page's <link> and <script> elements load, from the root (not the library)."""
    return [join(path, ref) for ref in _HTML_REF.findall(text) if is_local(ref) and ref != LIBRARY]


def closure(roots: list[str], read: Callable[[str], str]) -> set[str]:
    """`roots` and every module they import statically, transitively (`read` gives a file's text)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current.endswith((".js", ".mjs")):
            todo.extend(static_imports(current, read(current)))
    return seen


def broken_references(texts: dict[str, str], written: set[str], optional_folders: set[str]) -> list[str]:
    """Every reference in `texts` (output path -> text) to a file or folder the output lacks."""
    folders = {posixpath.dirname(name) + "/" for name in written}
    broken = []
    for path, text in texts.items():
        if path.endswith(".html"):
            broken += [f"{path} -> {ref}" for ref in html_references(path, text) if ref not in written]
        elif path.endswith((".js", ".mjs")):
            broken += [f"{path} -> {ref}" for ref in static_imports(path, text) if ref not in written]
            broken += [f"{path} -> {ref}" for ref in module_folders(path, text)
                       if ref not in optional_folders and not any(folder.startswith(ref) for folder in folders)]
    return broken
