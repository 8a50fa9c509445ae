"""docs/testing.md runs: its Python blocks are executed in order and each test in them passes."""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), flags=re.S | re.M)


def guide_namespace() -> dict[str, Any]:
    """The blocks run one after the other in one module namespace, as one test file would."""
    namespace: dict[str, Any] = {"__name__": "testing_guide"}
    for index, block in enumerate(BLOCKS, 1):
        exec(compile(block, f"{GUIDE.name} (python block {index})", "exec"), namespace)  # noqa: S102
    return namespace


TESTS = sorted(name for name in guide_namespace() if name.startswith("test_"))


TOPICS = ("An incoming call", "A dial", "Two tabs", "Reason codes", "Failures")


def test_each_topic_of_the_guide_has_a_runnable_example():
    """Incoming call, dial, two tabs, reason codes, failures: each section holds a test that runs."""
    sections = {section.split("\n", 1)[0]: section for section in GUIDE.read_text(encoding="utf-8").split("\n## ")}
    for topic in TOPICS:
        found = [body for title, body in sections.items() if title.startswith(topic)]
        assert found and re.search(r"```python\n(?:.*\n)*?async def test_", found[0]), topic


def test_the_guide_uses_only_public_names():
    """No ``_private`` module, name or attribute of the toolkit appears in the examples."""
    private = []
    for block in BLOCKS:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                parts = [*(node.module or "").split("."), *(alias.name for alias in node.names)]
                private += [part for part in parts if part.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                private.append(node.attr)
    assert private == []


@pytest.mark.parametrize("name", TESTS)
def test_guide_example(name: str) -> None:
    """One of the guide's tests, run as written."""
    function = guide_namespace()[name]
    if inspect.iscoroutinefunction(function):
        asyncio.run(function())
    else:
        function()
