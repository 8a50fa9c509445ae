"""The interpreter snapshot end to end: used when it fits, a normal start whenever it does not.

The snapshot is made by the set-up step (`python -m tools.snapshot`, run by `make test`). Each
fallback is forced by rewriting what the browser receives, so every test here can fail.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from tools import bench_browser, bundle, snapshot_delta

from .conftest import wait_ready
from .test_foundation import use_minimal_library

ROOT = Path(__file__).resolve().parents[2]
POINTER = ROOT / "static" / "snapshot" / "snapshot.json"


@pytest.fixture(scope="module")
def pointer() -> dict:
    if not POINTER.is_file():
        pytest.fail("no interpreter snapshot: the set-up step makes it (`make test`, or `python -m tools.snapshot`)")
    return json.loads(POINTER.read_text())


def snapshot_memory(pointer: dict) -> bytes:
    """The memory as stored (the long runs of zeros between the parts are not), checked whole."""
    memory = bytearray(pointer["size"])
    for part in pointer["parts"]:
        memory[part["offset"]:part["offset"] + part["size"]] = (POINTER.parent / part["file"]).read_bytes()
    assert hashlib.sha256(memory).hexdigest() == pointer["sha256"]
    return bytes(memory)


def start_line(page: Page) -> str:
    """The status panel's "start" row: how the worker's Python started. Python sends its status
    after it said ready (the two may arrive in separate messages): waited for."""
    page.wait_for_function("document.getElementById('integration-details').innerText.split('\\n').includes('start')")
    text = page.inner_text("#integration-details")
    lines = text.splitlines()
    return lines[lines.index("start") + 1] if "start" in lines else text


def load(page: Page, server_url: str) -> str:
    use_minimal_library(page, server_url)
    page.goto(f"{server_url}/index.html")
    assert wait_ready(page) == "ready", page.inner_text("body")
    return start_line(page)


def test_the_integration_starts_from_the_snapshot_without_downloading_its_wheels(
    page: Page, server_url: str, pointer: dict
) -> None:
    """With a current snapshot, the worker restores it and no wheel is downloaded at start: the
    modules a start imports are in memory, every other file of the snapshot's wheels is read from
    them on demand (the vendored wheels are only for a normal start)."""
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url.removeprefix(server_url)))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot") and "wheels" not in line, line
    assert all(f"/static/snapshot/{part['file']}" in fetched for part in pointer["parts"])
    assert f"/static/snapshot/{pointer['site_packages']['file']}" in fetched
    assert [f"/static/snapshot/{native['file']}" for native in pointer["native"]] == [
        url for url in fetched if url.startswith("/static/snapshot/native-")]
    assert not any(url.endswith(".whl") for url in fetched), fetched
    # The stdlib's index comes with the snapshot (cached like it); the archive is not read at all.
    assert f"/static/snapshot/{pointer['stdlib_index']['file']}" in fetched
    assert not any(url.endswith("python_stdlib.zip") for url in fetched)


# Before worker_main runs: a pydantic module the snapshot lacks, and the package's metadata.
IMPORT_ON_DEMAND = """import js, sys, importlib.metadata
try:
    from pydantic import dataclasses as _dataclasses
    js.console.log(f"on demand: {_dataclasses.__name__} {importlib.metadata.version('pydantic')} "
                   f"{importlib.metadata.distribution('pydantic').read_text('INSTALLER').strip()}")
except Exception as error:
    js.console.log(f"on demand failed: {type(error).__name__}: {error}")
"""


def test_a_module_the_snapshot_lacks_is_read_from_its_wheel_by_range(
    page: Page, server_url: str, pointer: dict
) -> None:
    """Importing a pydantic module no start imports reads it (and the package's metadata) from the
    stored wheel, in ranges: not the whole wheel."""
    wheel = f"{server_url}/static/snapshot/pydantic-2.14.3-py3-none-any.whl"
    ranges: list[str | None] = []
    sizes: list[int] = []
    page.on("requestfinished", lambda request: (ranges.append(request.headers.get("range")),
                                                sizes.append(request.sizes()["responseBodySize"]))
            if request.url == wheel else None)
    line, said = load_with_probe(page, server_url, IMPORT_ON_DEMAND, "on demand")
    assert line.startswith("from the memory snapshot"), line
    assert said == ["on demand: pydantic.dataclasses 2.14.3 pyodide.loadPackage"]
    assert "pydantic.dataclasses" not in pointer["modules"]
    assert ranges and all(r and r.startswith("bytes=") for r in ranges), ranges
    wheel_size = (ROOT / "static" / "snapshot" / "pydantic-2.14.3-py3-none-any.whl").stat().st_size
    assert sum(sizes) < wheel_size / 4, sizes


def test_without_a_snapshot_the_integration_starts_normally(page: Page, server_url: str, pointer: dict) -> None:
    """snapshot.json missing (404): a plain Pyodide start from the vendored runtime, and ready."""
    page.route(f"{server_url}/static/snapshot/snapshot.json", lambda route: route.fulfill(status=404, body=""))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (no snapshot (HTTP 404))"), line


def test_a_corrupted_snapshot_falls_back_to_a_normal_start(page: Page, server_url: str, pointer: dict) -> None:
    """Bytes that are not a snapshot (right size, wrong content) are refused, and Python still starts."""
    def zeros(size: int) -> Callable[[Route], None]:
        return lambda route: route.fulfill(status=200, body=bytes(size), content_type="application/octet-stream")

    for part in pointer["parts"]:
        page.route(f"{server_url}/static/snapshot/{part['file']}", zeros(part["size"]))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored:"), line
    assert "magic" in line


def test_a_truncated_snapshot_falls_back_to_a_normal_start(page: Page, server_url: str, pointer: dict) -> None:
    """The snapshot streams into a buffer of the recorded size: a short download (of its last
    part) is refused."""
    last = pointer["parts"][-1]
    half = (ROOT / "static" / "snapshot" / last["file"]).read_bytes()[: last["size"] // 2]
    page.route(f"{server_url}/static/snapshot/{last['file']}",
               lambda route: route.fulfill(status=200, body=half, content_type="application/octet-stream"))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored: snapshot truncated"), line


def test_snapshot_parts_out_of_order_fall_back_to_a_normal_start(page: Page, server_url: str, pointer: dict) -> None:
    """Parts may leave zeros between them, never overlap or go back: such a pointer is refused."""
    moved = {**pointer, "parts": list(reversed(pointer["parts"]))}
    page.route(f"{server_url}/static/snapshot/snapshot.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(moved)))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored: snapshot parts do not fit"), line


def failing_first(attempts: list[str]) -> Callable[[Route], None]:
    """A route handler that aborts the first request and lets the others through, recording each."""
    def handle(route: Route) -> None:
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.abort()
        else:
            route.continue_()

    return handle


def test_without_the_snapshots_lock_file_it_falls_back(page: Page, server_url: str, pointer: dict) -> None:
    """The lock names the snapshot's wheels Pyodide installs: without it, a normal start."""
    page.route(f"{server_url}/static/snapshot/pyodide-lock.json", lambda route: route.fulfill(status=404, body=""))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored: snapshot lock file missing (HTTP 404)"), line


def test_a_snapshot_stored_whole_is_restored(page: Page, server_url: str, pointer: dict) -> None:
    """tools/snapshot_parts.py stores the memory's start whole (no `delta`) when the wasm's data
    cannot be worked out: the restore then takes the bytes as they are. (Served here as one part:
    undone, the zeros the parts leave out are the wasm's data again.)"""
    wasm = (ROOT / "static" / "vendor" / f"pyodide-{pointer['pyodide']}" / "pyodide.asm.wasm").read_bytes()
    whole, record = snapshot_delta.xor_into(snapshot_memory(pointer), snapshot_delta.memory_image(wasm))
    assert record == pointer["delta"]
    part = {"file": pointer["parts"][0]["file"], "offset": 0, "size": len(whole)}
    page.route(f"{server_url}/static/snapshot/{part['file']}",
               lambda route: route.fulfill(status=200, body=whole, content_type="application/octet-stream"))
    stored_whole = {**{key: value for key, value in pointer.items() if key != "delta"}, "parts": [part]}
    page.route(f"{server_url}/static/snapshot/snapshot.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(stored_whole)))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot"), line


def test_when_the_early_compile_fails_pyodide_compiles_its_wasm_itself(
    page: Page, server_url: str, pointer: dict
) -> None:
    """The interpreter module compiles Pyodide's wasm as soon as it loads; if that request fails,
    Pyodide's own request and compile are used unchanged, and the snapshot start still works."""
    attempts: list[str] = []
    page.route(f"{server_url}/static/vendor/pyodide-{pointer['pyodide']}/pyodide.asm.wasm", failing_first(attempts))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot"), line
    assert len(attempts) == 2


def test_without_the_integrations_bytecode_the_snapshot_start_says_so(
    page: Page, server_url: str, pointer: dict
) -> None:
    """The compiled integration missing (404): the modules not frozen are compiled from source."""
    page.route(f"{server_url}/static/snapshot/{pointer['integration_bytecode']}",
               lambda route: route.fulfill(status=404, body=""))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot") and ", no integration bytecode" in line, line


def test_without_the_site_index_each_wheel_is_downloaded_once_and_a_failed_prefetch_is_retried(
    page: Page, server_url: str, pointer: dict
) -> None:
    """No site index: Pyodide unpacks the wheels, fetched while the snapshot downloads and handed
    to it, one request each. When that early request fails, Pyodide's own request fetches the
    wheel again."""
    page.route(f"{server_url}/static/snapshot/{pointer['site_packages']['file']}",
               lambda route: route.fulfill(status=404, body=""))
    wheel = f"{server_url}/static/snapshot/pydantic-2.14.3-py3-none-any.whl"
    attempts: list[str] = []
    page.route(wheel, failing_first(attempts))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot") and ", wheels unpacked" in line, line
    assert len(attempts) == 2
    others = [url for url in requested if url.endswith(".whl") and url != wheel]
    assert others and len(others) == len(set(others)), others
    assert not any("/static/vendor/" in url for url in others), others


def test_a_site_index_that_cannot_be_installed_leaves_the_wheels_to_pyodide(
    page: Page, server_url: str, pointer: dict
) -> None:
    """An index whose files cannot all be created (here: a file inside a file) is given up, and
    Pyodide unpacks the wheels instead: the integration still starts from the snapshot."""
    index = json.loads((ROOT / "static" / "snapshot" / pointer["site_packages"]["file"]).read_text())
    files = index["packages"]["pydantic"]["files"]
    init = next(member for member in files if member[0] == "pydantic/__init__.py")
    files.append(["pydantic/__init__.py/impossible", init[1], init[2]])
    page.route(f"{server_url}/static/snapshot/{pointer['site_packages']['file']}",
               lambda route: route.fulfill(status=200, body=json.dumps(index), content_type="application/json"))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot") and ", wheels unpacked (" in line, line


STDLIB = "/static/vendor/pyodide-314.0.7/python_stdlib.zip"
# An entry that imports a stdlib module no start imports (so not in the snapshot), then runs the
# real worker_main.py: the integration must still get ready.
IMPORT_WAVE = """import js
try:
    import wave
    js.console.log("stdlib import: " + wave.Wave_read.__name__)
except Exception as error:
    js.console.log("stdlib import failed: " + type(error).__name__)
"""


def load_with_probe(page: Page, server_url: str, probe: str, said_prefix: str) -> tuple[str, list[str]]:
    """Load the integration with `probe` run before worker_main.py; the start line, and what the
    probe said on the console (the lines starting with `said_prefix`)."""
    entry = probe + (ROOT / "integration" / "worker_main.py").read_text()
    page.route(f"{server_url}/integration/worker_main.py",
               lambda route: route.fulfill(body=entry, content_type="text/x-python"))
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text) if message.text.startswith(said_prefix) else None)
    return load(page, server_url), said


def load_with_wave(page: Page, server_url: str) -> tuple[str, list[str]]:
    return load_with_probe(page, server_url, IMPORT_WAVE, "stdlib")


def test_the_stdlib_is_fetched_only_where_python_reads_it(page: Page, server_url: str, pointer: dict) -> None:
    """A module the snapshot lacks is fetched from the stdlib archive when imported, in 64 kB
    ranges, not the whole 2.5 MB."""
    ranges: list[str | None] = []
    sizes: list[int] = []
    page.on("requestfinished", lambda request: (ranges.append(request.headers.get("range")),
                                                sizes.append(request.sizes()["responseBodySize"]))
            if request.url.endswith(STDLIB) and request.method == "GET" else None)
    line, said = load_with_wave(page, server_url)
    assert line.startswith("from the memory snapshot"), line
    assert said == ["stdlib import: Wave_read"]
    assert ranges and all(r and r.startswith("bytes=") for r in ranges), ranges
    assert sum(sizes) < 600_000, sizes
    assert "wave" not in pointer["modules"]


def test_without_the_stdlib_archive_the_snapshot_start_still_gets_ready(
    page: Page, server_url: str, pointer: dict
) -> None:
    """The archive unreachable: importing a stdlib module the snapshot lacks raises OSError (the
    index says it exists, its bytes cannot be read); nothing else fails."""
    page.route(f"{server_url}{STDLIB}", lambda route: route.fulfill(status=404, body=""))
    line, said = load_with_wave(page, server_url)
    assert line.startswith("from the memory snapshot"), line
    assert said == ["stdlib import failed: OSError"]


def test_without_the_stdlib_index_the_archive_is_read_for_it(page: Page, server_url: str, pointer: dict) -> None:
    """The stdlib's index missing (404): it is read from the archive by range like the rest, and
    a module the snapshot lacks still imports."""
    page.route(f"{server_url}/static/snapshot/{pointer['stdlib_index']['file']}",
               lambda route: route.fulfill(status=404, body=""))
    ranges: list[str | None] = []
    page.on("requestfinished", lambda request: ranges.append(request.headers.get("range"))
            if request.url.endswith(STDLIB) and request.method == "GET" else None)
    line, said = load_with_wave(page, server_url)
    assert line.startswith("from the memory snapshot"), line
    assert said == ["stdlib import: Wave_read"]
    assert ranges and all(r and r.startswith("bytes=") for r in ranges), ranges


# Before worker_main runs: what the restored interpreter already holds, and a call into
# pydantic-core's compiled code (its functions must be back in the function table's same slots).
PROBE_FROZEN = """import js, sys
import pydantic
js.console.log("frozen: " + " ".join(name for name in ["pydantic_core._pydantic_core", "integration.sdk",
                                                      "integration.app.reference", "integration._worker_start"]
                                      if name in sys.modules)
               + " | " + repr(pydantic.TypeAdapter(list[int]).validate_json("[1, 2]")))
"""


def test_the_snapshot_holds_pydantic_core_and_the_integration_already_imported(
    page: Page, server_url: str, pointer: dict
) -> None:
    """pydantic-core's extension is loaded where the snapshot expects it: pydantic and the SDK are
    restored imported (not imported again at start) and pydantic-core's code runs."""
    line, said = load_with_probe(page, server_url, PROBE_FROZEN, "frozen")
    assert line.startswith("from the memory snapshot") and "changed since" not in line, line
    assert said == ["frozen: pydantic_core._pydantic_core integration.sdk integration.app.reference "
                    "integration._worker_start | [1, 2]"]


def test_the_snapshots_code_keeps_line_numbers_but_no_columns(page: Page, server_url: str) -> None:
    """Column positions (the ^^^ under a traceback's line) were 0.37 MB of the snapshot's brotli:
    the interpreter is frozen without them. Line numbers stay, for tracebacks and logs."""
    probe = """import js, pydantic
_positions = list(pydantic.BaseModel.model_validate.__func__.__code__.co_positions())
js.console.log(f"positions: lines {any(p[0] for p in _positions)}, columns {any(p[2] is not None for p in _positions)}")
"""
    line, said = load_with_probe(page, server_url, probe, "positions")
    assert line.startswith("from the memory snapshot")
    assert said == ["positions: lines True, columns False"]


@pytest.mark.parametrize("change, reason", [
    (lambda pointer: {**pointer, "native": [{**native, "table": [native["table"][0] + 1, native["table"][1] + 1]}
                                            for native in pointer["native"]]}, "placed differently"),
    (lambda pointer: {**pointer, "table_size": pointer["table_size"] + 1}, "function table of"),
], ids=["extension-elsewhere", "table-size"])
def test_a_compiled_extension_that_cannot_be_placed_as_in_the_snapshot_falls_back(
    page: Page, server_url: str, pointer: dict, change, reason: str
) -> None:
    """The snapshot's pointers into pydantic-core are only right where it was when frozen: a
    different place (here: the pointer says so) means a normal start, not a broken one."""
    page.route(f"{server_url}/static/snapshot/snapshot.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(change(pointer))))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored:") and reason in line, line


def test_a_snapshot_of_another_pyodide_is_not_used(page: Page, server_url: str, pointer: dict) -> None:
    """A pointer naming another Pyodide version is ignored before any snapshot byte is fetched."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))

    def other_version(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps({**pointer, "pyodide": "0.1.0"}))

    page.route(f"{server_url}/static/snapshot/snapshot.json", other_version)
    line = load(page, server_url)
    assert "made for Pyodide 0.1.0" in line, line
    assert not any(part["file"] in url for part in pointer["parts"] for url in fetched)


@pytest.mark.parametrize("change, reason", [
    (lambda pointer: {key: value for key, value in pointer.items() if key != "table_size"},
     "the snapshot pointer does not validate (table_size is missing)"),
    (lambda pointer: {**pointer, "parts": [{**part, "offset": str(part["offset"])} for part in pointer["parts"]]},
     "the snapshot pointer does not validate (parts.0.offset is string, expected number)"),
    (lambda pointer: {**pointer, "format": pointer["format"] - 1}, "the snapshot pointer is of format"),
], ids=["key-missing", "wrong-type", "other-format"])
def test_a_pointer_that_does_not_validate_is_not_used(page: Page, server_url: str, pointer: dict, change,
                                                      reason: str) -> None:
    """The pointer is checked against tools/snapshot_pointer.py's model (its generated copy,
    static/shim/snapshot_pointer.mjs) before any snapshot byte is fetched: a normal start, saying why."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.route(f"{server_url}/static/snapshot/snapshot.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(change(pointer))))
    line = load(page, server_url)
    assert line.startswith(f"without a snapshot ({reason}"), line
    assert not any(part["file"] in url for part in pointer["parts"] for url in fetched)


def test_the_memorys_start_is_stored_as_a_difference_from_the_wasms_data(pointer: dict) -> None:
    """The snapshot's first 3.8 MB are mostly the wasm's static data, unchanged (74 % non-zero):
    stored XORed with the memory instantiation leaves, they are zeros (1.2 MB of brotli less)."""
    delta = pointer["delta"]
    memory = snapshot_memory(pointer)
    assert 3_000_000 < delta["size"] <= len(memory) - delta["offset"]
    region = memory[delta["offset"]:delta["offset"] + delta["size"]]
    assert region.count(0) > 0.95 * len(region)


def test_a_snapshot_whose_difference_does_not_fit_falls_back(page: Page, server_url: str, pointer: dict) -> None:
    """The difference must start where the snapshot's own header puts the memory; anything else
    would restore garbage, so the worker starts normally."""
    moved = {**pointer, "delta": {**pointer["delta"], "offset": pointer["delta"]["offset"] + 4}}
    page.route(f"{server_url}/static/snapshot/snapshot.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(moved)))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored: the snapshot's difference "), line


def test_a_compiled_extensions_memory_is_stored_as_a_difference_from_its_loaded_data(pointer: dict) -> None:
    """pydantic-core's 0.6 MB region holds its data as loading wrote it, 97 % unchanged: stored
    XORed with that, it is mostly zeros (138 kB of brotli became 6 kB). The restore undoing it is
    every snapshot start's test (pydantic's imported state lives partly there)."""
    memory = snapshot_memory(pointer)
    offset = pointer["delta"]["offset"]
    for native in pointer["native"]:
        start, end = native["memory"]
        assert native["delta"]["size"] == end - start > 500_000
        region = memory[offset + start:offset + end]
        assert region.count(0) > 0.9 * len(region)


def test_an_extension_loaded_with_other_data_falls_back(page: Page, server_url: str, pointer: dict) -> None:
    """The difference is undone only with the image it was made from (checked by checksum):
    anything else would restore garbage, so the worker starts normally."""
    other = {**pointer, "native": [{**native, "delta": {**native["delta"], "checksum": native["delta"]["checksum"] ^ 1}}
                                   for native in pointer["native"]]}
    page.route(f"{server_url}/static/snapshot/snapshot.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(other)))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored: ") and "loaded with other data" in line, line


def test_a_reload_downloads_nothing_of_the_snapshot_again(page: Page, server_url: str, pointer: dict) -> None:
    """Every file of the snapshot is immutable and small enough for Chromium's in-memory cache
    (no entry over an eighth of its 50 MB): a reload transfers no body of any of them. A 6.6 MB
    snapshot in one file was downloaded again on every warm load. Measured as the benchmark
    does, in its host page: a routed request (the other tests' minimal library) bypasses the cache."""
    assert len(pointer["parts"]) > 1
    load = bench_browser.Load(page.context, page)
    url = bench_browser.host_url(server_url, "/index.html")
    cold = bench_browser.measure_load(load, url, reload=False)
    assert cold["state"] == "ready", cold
    downloaded = {request.url.removeprefix(server_url) for request in load.requests}
    warm = bench_browser.measure_load(load, url, reload=True)
    assert warm["state"] == "ready", warm
    parts = {f"/static/snapshot/{part['file']}" for part in pointer["parts"]}
    assert parts <= downloaded
    assert [row for row in warm["transfer"]["largest_bodies"] if row["path"].startswith("/static/snapshot/")] == []


def test_the_integrations_bytecode_is_used_but_never_over_a_changed_source(
    page: Page, server_url: str, pointer: dict
) -> None:
    """The compiled integration is unpacked; a module whose source changed since runs its new source."""
    assert pointer.get("integration_bytecode"), "the snapshot step compiles the integration too"
    files = bundle.sources()
    source = files["integration/app/reference.py"].decode()
    changed = source.replace('"on (beforeDial subscribed)" if self.dial_rules_configured else "off"',
                             '"on (beforeDial subscribed)" if self.dial_rules_configured else "off (changed source)"')
    assert changed != source
    archive = bundle.archive_bytes({**files, "integration/app/reference.py": changed.encode()})
    page.route(f"{server_url}/static/bundle/integration.zip",
               lambda route: route.fulfill(status=200, body=archive, content_type="application/zip"))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot") and "bytecode" not in line, line
    # reference.py is frozen in the snapshot too: its old copy (and every other) is dropped.
    assert "1 integration module(s) changed since the snapshot (integration.app.reference)" in line, line
    assert "off (changed source)" in page.inner_text("#integration-details")


def test_the_integrations_bytecode_holds_only_modules_the_snapshot_does_not_freeze(pointer: dict) -> None:
    """Frozen modules are in memory already: their bytecode (185 kB of the 221 kB archive) was
    downloaded on every cold start for nothing."""
    with zipfile.ZipFile(POINTER.parent / pointer["integration_bytecode"]) as archive:
        names = {re.sub(r"\.cpython-\d+\.pyc$", "", name.replace("/__pycache__", "")).replace("/", ".")
                 .removesuffix(".__init__") for name in archive.namelist()}
    assert "integration.custom_requests" in names and "integration.sdk.testing" not in names  # never shipped
    assert "integration.sdk._integration" in pointer["integration_frozen"]
    assert names.isdisjoint(pointer["integration_frozen"]), sorted(names & set(pointer["integration_frozen"]))


def copies_of(data: bytes, memory: bytes, page: int = 4096, verify: int = 256) -> list[int]:
    """Pages of `memory` holding a run of `verify` bytes of `data` (data of high entropy, like a
    zip archive's). `data` is indexed by its 8-byte words; each page is probed at 8 offsets, so a
    copy at any alignment is found."""
    words = {}
    for at in range(0, len(data) - 8, 8):
        word = data[at:at + 8]
        if len(set(word)) >= 6:  # not zeros, not a repeated pattern
            words.setdefault(word, at)
    found = []
    for start in range(0, len(memory) - page, page):
        for shift in range(8):
            at = words.get(memory[start + shift:start + shift + 8])
            if at is not None and memory[start + shift:start + shift + verify] == data[at:at + verify]:
                found.append(start)
                break
    return found


def test_the_snapshot_holds_no_stale_copy_of_the_stdlib_archive(pointer: dict) -> None:
    """Stale bytes that no compressor shrinks: sys.stdin's 128 kB buffer held a piece of the
    stdlib's archive read at start-up (the memory it was given), and pydantic's plugin lookup left
    the archive open in importlib.metadata's cache (its directory read into a buffer). The snapshot
    step clears both (~210 kB of the snapshot's brotli)."""
    archive = (ROOT / "static" / "vendor" / f"pyodide-{pointer['pyodide']}" / "python_stdlib.zip").read_bytes()
    assert copies_of(archive, snapshot_memory(pointer)) == []


def test_the_snapshot_holds_no_copy_of_a_compiled_extensions_file(pointer: dict) -> None:
    """dlopen keeps each library's whole file in the wasm memory for good: 4.7 MB of pydantic-core,
    ~1 MB of the snapshot's brotli, the same bytes as the native-*.wasm a start downloads anyway.
    The snapshot step gives that copy back before the memory is taken."""
    memory = snapshot_memory(pointer)
    assert memory.find(b"\0asm\x01\0\0\0") == -1


def test_the_snapshots_wheel_holds_a_stand_in_for_the_compiled_extension(
    page: Page, server_url: str, pointer: dict
) -> None:
    """pydantic-core's 4.7 MB module is downloaded once (native-*.wasm), not again in its wheel."""
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda request: sizes.__setitem__(
        request.url.removeprefix(server_url), request.sizes()["responseBodySize"]))
    line = load(page, server_url)
    assert line.startswith("from the memory snapshot"), line
    [native] = pointer["native"]
    assert native["stand_in"]["size"] < 1000 < native["size"]
    assert f"/static/snapshot/{native['file']}" in sizes
    # The wheel (read on demand, never at start) holds the stand-in in the module's place.
    with zipfile.ZipFile(ROOT / "static" / "snapshot" / native["wheel"]) as wheel:
        assert wheel.getinfo(native["module"]).file_size == native["stand_in"]["size"]
    assert (ROOT / "static" / "snapshot" / native["wheel"]).stat().st_size < 1_000_000


def test_without_the_compiled_extension_the_snapshot_start_falls_back(
    page: Page, server_url: str, pointer: dict
) -> None:
    """pydantic-core's separately served wasm missing (404): the snapshot, which holds pydantic
    imported, cannot be restored without it, so the worker starts normally from the original
    wheels, and gets ready."""
    assert pointer["native"], "the snapshot step copies pydantic-core's wasm out of its wheel"
    for native in pointer["native"]:
        page.route(f"{server_url}/static/snapshot/{native['file']}", lambda route: route.fulfill(status=404, body=""))
    line = load(page, server_url)
    assert line.startswith("without a snapshot (snapshot not restored:") and "not compiled" in line, line


def worker_globals(page: Page) -> dict:
    """In the worker Python started in: how it started, and the source of the globals the start
    may replace (a native function's says "[native code]")."""
    for worker in page.workers:
        found = worker.evaluate("""() => globalThis.bscInterpreterStart && {
            snapshot: globalThis.bscInterpreterStart.snapshot,
            instantiateStreaming: String(WebAssembly.instantiateStreaming),
            fetch: String(globalThis.fetch),
        }""")
        if found:
            return found
    raise AssertionError(f"no worker with an interpreter start among {[worker.url for worker in page.workers]}")


@pytest.mark.parametrize("restore_fails", [False, True], ids=["snapshot-start", "fallback-start"])
def test_no_global_replaced_for_the_start_is_left_in_place(
    page: Page, server_url: str, pointer: dict, restore_fails: bool
) -> None:
    """The start replaces `WebAssembly.instantiateStreaming` (to hand Pyodide its wasm compiled
    early) and, without a site index, `fetch` (to hand it prefetched wheels). Once Python is
    ready both are the worker's own again, also when the restore failed after the wheels were
    prefetched (they are then never asked for)."""
    page.route(f"{server_url}/static/snapshot/{pointer['site_packages']['file']}",
               lambda route: route.fulfill(status=404, body=""))
    if restore_fails:
        broken = {**pointer, "table_size": pointer["table_size"] + 1}
        page.route(f"{server_url}/static/snapshot/snapshot.json", lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(broken)))
    line = load(page, server_url)
    assert line.startswith("without a snapshot" if restore_fails else "from the memory snapshot"), line
    found = worker_globals(page)
    assert found["snapshot"] is not restore_fails
    assert "[native code]" in found["instantiateStreaming"], found
    assert "[native code]" in found["fetch"], found
