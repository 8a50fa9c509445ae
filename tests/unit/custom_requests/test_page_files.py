"""The example page's worker config ships every module integration.custom_requests needs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "static" / "custom-requests"


def test_worker_config_lists_the_package_and_the_sdk() -> None:
    """[files] holds integration/__init__.py, every SDK module and every custom_requests module, nothing else."""
    config = tomllib.loads((PAGE / "pyscript.toml").read_text())
    listed = {target.removeprefix("./") for target in config["files"].values()}
    wanted = {"integration/__init__.py"} | {
        str(p.relative_to(ROOT)) for folder in ("sdk", "custom_requests") for pattern in ("*.py", "py.typed")
        for p in (ROOT / "integration" / folder).glob(pattern)}
    assert listed == wanted
    for source, target in config["files"].items():
        assert (PAGE / source).resolve() == (ROOT / target).resolve(), source


def test_worker_config_uses_the_local_interpreter_without_micropip() -> None:
    """Same interpreter as /pyscript.toml and example.js; packages resolve through the local lock."""
    config = tomllib.loads((PAGE / "pyscript.toml").read_text())
    root = tomllib.loads((ROOT / "pyscript.toml").read_text())
    assert (PAGE / config["interpreter"]).resolve() == (ROOT / root["interpreter"]).resolve()
    script = (PAGE / "example.js").read_text()
    assert re.search(r'INTERPRETER = "([^"]+)"', script).group(1) == config["interpreter"]  # type: ignore[union-attr]
    assert config["packages"] == ["pydantic"] and config["packages_cache"] == "passthrough"


def test_example_page_has_no_inline_script() -> None:
    """serve.py's CSP forbids inline scripts: the page only loads its module file."""
    html = (PAGE / "example.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<!--.*?-->", "", html, flags=re.S))  # no onclick=...


def test_the_start_failure_message_carries_the_custom_requests_marker() -> None:
    """worker.py writes the marker out (importing the contract may be what failed): it must be the contract's."""
    from integration.sdk._contract import CUSTOM_REQUESTS_MARK

    assert f'{{"bsc": "{CUSTOM_REQUESTS_MARK}", "kind": "failed"' in (PAGE / "worker.py").read_text()
