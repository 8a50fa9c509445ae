"""`bsconnects build`: what goes in and what stays out, content-derived names, refusals that write
nothing, and an output that is replaced only whole.

Each test builds a small integrator project against a toolkit tree made in a temporary folder: the
real index.html, page configuration, shim and worker script, and a runtime with the real file names
(from runtime.lock.json) but tiny contents, so no set-up or browser is needed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import brotli
import pytest

from bsconnects import cli, deploy_rules
from bsconnects.build import BuildResult, build
from bsconnects.build_inputs import BuildError
from bsconnects.build_refs import LIBRARY
from bsconnects.project import TOOLKIT_ROOT, load_project
from tools import runtime, snapshot

ENTRY_SOURCE = b"async def main(integration):\n    integration.log.info('hello')\n"
# Static imports of the stand-in PyScript chunks: core.js's as in the real file; py-editor's also a
# codemirror chunk (the real one imports it dynamically), to show that a shipped module's imports ship.
PYSCRIPT_IMPORTS = {"core.js": ["core-C9KDLldu.js"],
                    "py-editor-C4XsZtn7.js": ["core-C9KDLldu.js", "codemirror-BDx3jn9j.js"]}
SHIPPED_PYSCRIPT = {"core.js", "core-C9KDLldu.js", "deprecations-manager-UpAPKqCb.js", "donkey-4Hrqd7WZ.js",
                    "error-D2315lOB.js", "py-editor-C4XsZtn7.js", "py-game-DWiCrr7a.js", "py-terminal-CwQ6kcjg.js",
                    "toml-V4Savzlc.js", "pyodide_graph-CX6fRcVL.js", "codemirror-BDx3jn9j.js"}
WHEELS = {"pydantic-2.14.3-py3-none-any.whl", "pydantic_core-2.50.4-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
          "typing_extensions-4.16.0-py3-none-any.whl", "annotated_types-0.8.0-py3-none-any.whl",
          "typing_inspection-0.4.5-py3-none-any.whl", "phonenumberslite-9.0.42-py2.py3-none-any.whl"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_runtime(vendor: Path) -> None:
    """static/vendor as tools/runtime.py leaves it, with the pinned names and stand-in contents."""
    lock = json.loads(runtime.LOCK_PATH.read_text())
    for package in lock["npm"]:
        for name in package["files"]:
            imports = PYSCRIPT_IMPORTS.get(name, [])
            text = "".join(f'import "./{target}";\n' for target in imports) + f"// {name}\n"
            (vendor / package["dest"]).mkdir(parents=True, exist_ok=True)
            (vendor / package["dest"] / name).write_text(text)
    pyodide = vendor / lock["wheels"]["dest"]
    wasm = b"\0asm" + bytes(4000)
    (pyodide / "pyodide.asm.wasm").write_bytes(wasm)
    (pyodide / "pyodide.asm.wasm.br").write_bytes(brotli.compress(wasm))
    (pyodide / "pyodide.asm.wasm.gz").write_bytes(gzip.compress(wasm))
    unconfigured = {"name": "micropip", "version": "0.11.1", "file": "micropip-0.11.1-py3-none-any.whl",
                    "imports": ["micropip"], "depends": []}
    wheels = [*lock["wheels"]["files"], unconfigured]
    for wheel in wheels:
        (pyodide / wheel["file"]).write_bytes(f"wheel {wheel['file']}".encode())
        wheel["sha256"] = sha((pyodide / wheel["file"]).read_bytes())
    (pyodide / "pyodide-lock.json").write_text(json.dumps(runtime.build_pyodide_lock(
        {"info": {"python": "3.14.2"}, "packages": {}}, wheels)))
    runtime.write_manifest(vendor)
    (vendor / runtime.COMPLETE_MARK).write_text(runtime.lock_fingerprint() + "\n")


def make_toolkit(root: Path) -> Path:
    """The toolkit's page files (real) and runtime (stand-ins), plus folders the build must leave out."""
    for name in ("index.html", "pyscript.toml", "integration/worker_main.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TOOLKIT_ROOT / name, root / name)
    shutil.copytree(TOOLKIT_ROOT / "static" / "shim", root / "static" / "shim")
    (root / "static" / "shim" / "unused.js").write_text("// loaded by nothing\n")
    for folder in ("simulator", "bench", "custom-requests"):
        (root / "static" / folder).mkdir()
        (root / "static" / folder / "page.js").write_text("// not for the deployed page\n")
    (root / "static" / "simulator" / "connects-library.js").write_text("// the stub library\n")
    make_runtime(root / "static" / "vendor")
    return root


def bundle_bytes(files: dict[str, bytes]) -> bytes:
    from tools.bundle import archive_bytes

    return archive_bytes(files)


def make_snapshot(folder: Path, members: dict[str, bytes], left_out: tuple[str, ...] = ()) -> None:
    """A snapshot tools/snapshot.py vouches for, frozen from `members` but the modules `left_out`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "interpreter-0123456789abcdef.bin").write_bytes(b"memory" * 300)
    (folder / "interpreter-0123456789abcdef.bin.br").write_bytes(brotli.compress(b"memory" * 300))
    (folder / "pydantic-2.14.3-py3-none-any.whl").write_bytes(b"stored wheel")
    (folder / "pyodide-lock.json").write_text("{}")
    (folder / "site-index-0123456789abcdef.json").write_text('{"packages": {}}')
    (folder / "stdlib-index-0123456789abcdef.bin").write_bytes(b"index")
    (folder / "integration-0123456789abcdef.zip").write_bytes(b"bytecode")
    frozen = {snapshot.module_name(name): sha(data) for name, data in members.items()}
    files = {path.name: sha(path.read_bytes()) for path in sorted(folder.iterdir())
             if path.name not in ("pyodide-lock.json", snapshot.POINTER)}
    pointer = {"format": snapshot.FORMAT, "fingerprint": snapshot.fingerprint(), "pyodide": "314.0.7",
               "parts": [{"file": "interpreter-0123456789abcdef.bin", "offset": 0, "size": 1800}],
               "sha256": sha(b"memory" * 300), "size": 1800, "brotli_size": 20, "modules": ["acme.main"],
               "project": "", "made": "2020-01-01T00:00:00Z", "table_size": 1, "integration_modules": 0,
               "site_packages": {"file": "site-index-0123456789abcdef.json", "packages": []},
               "stdlib_index": {"file": "stdlib-index-0123456789abcdef.bin", "offset": 95, "archive_size": 100},
               "integration_bytecode": "integration-0123456789abcdef.zip",
               "files": files, "integration_frozen": {k: v for k, v in frozen.items() if k and k not in left_out},
               "integration_sources": sha(json.dumps(sorted((k, v.decode()) for k, v in members.items())).encode())}
    (folder / snapshot.POINTER).write_text(json.dumps(pointer))


class Setup:
    """A toolkit and an integrator's project, ready to build."""

    def __init__(self, tmp_path: Path) -> None:
        self.toolkit = make_toolkit(tmp_path / "toolkit")
        self.root = tmp_path / "acme-project"
        (self.root / "acme").mkdir(parents=True)
        (self.root / "bsconnects.toml").write_text('[integration]\nentry = "acme.main:main"\n'
                                                   'on-demand-packages = ["phonenumberslite"]\n')
        self.sources = {"acme/__init__.py": b"", "acme/main.py": ENTRY_SOURCE}
        for name, data in self.sources.items():
            (self.root / name).write_bytes(data)
        work = self.root / ".bsconnects"
        (work / "bundle").mkdir(parents=True)
        (work / "bundle" / "integration.zip").write_bytes(bundle_bytes(self.sources))
        shutil.copyfile(TOOLKIT_ROOT / "pyscript.toml", work / "pyscript.toml")
        make_snapshot(work / "snapshot", self.sources)
        self.out = tmp_path / "site" / "dist"
        self.messages: list[str] = []

    @property
    def project(self):  # noqa: ANN201 - a Project
        return load_project(self.root)

    def build(self, chromium: bool = True) -> BuildResult:
        return build(self.project, self.out, say=self.messages.append, toolkit=self.toolkit,
                     can_make_snapshot=lambda: chromium)


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def listing(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def generic(path: str) -> str:
    """A path with its content hash left out (static/shim-<hash>/x -> static/shim-*/x)."""
    return re.sub(r"-[0-9a-f]{16}", "-*", path)


def test_the_folder_holds_what_the_page_loads_and_nothing_else(setup: Setup) -> None:
    """index.html's files, what they and the interpreter module import, the runtime's fetched files
    and the configured wheels, the snapshot and the bundle; no simulator, bench, stub library, unused
    shim module or chunk, or wheel of an unconfigured package."""
    result = setup.build()
    files = {generic(path) for path in listing(result.out)}
    shim = {name for name in files if name.startswith("static/shim-*/")}
    expected_shim = {f"static/shim-*/{p.name}" for p in (TOOLKIT_ROOT / "static" / "shim").iterdir()}
    assert {name for name in shim if not name.endswith((".br", ".gz"))} == expected_shim
    pyscript = {name.rsplit("/", 1)[1] for name in files if "/pyscript-0.7.31/" in name}
    assert pyscript == SHIPPED_PYSCRIPT
    pyodide = {name.rsplit("/", 1)[1] for name in files if "/pyodide-314.0.7/" in name}
    assert pyodide == {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.asm.wasm.br",
                       "pyodide.asm.wasm.gz", "python_stdlib.zip", "pyodide-lock.json", *WHEELS}
    assert {"index.html", "pyscript.toml", "integration/worker_main.py", *deploy_rules.NOT_SERVED} <= files
    assert "static/snapshot-*/interpreter-*.bin.br" in files and "static/bundle/integration-*.zip" in files
    assert not any(word in name for name in files for word in ("simulator", "bench", "custom-requests",
                                                               "unused", "micropip", "xterm", LIBRARY))


def test_names_follow_content_and_every_reference_follows_the_names(setup: Setup) -> None:
    """A changed shim module renames only the shim's folder; a changed runtime file renames the runtime's
    folder and the shim's (it names the runtime's); index.html and the shim point at the new names."""
    first = setup.build().layout.folders
    (setup.toolkit / "static" / "shim" / "status.css").write_text("body { color: black; }\n")
    second = setup.build()
    assert second.layout.folders["static/shim"] != first["static/shim"]
    assert second.layout.folders["static/vendor"] == first["static/vendor"]
    wasm = setup.toolkit / "static" / "vendor" / "pyodide-314.0.7" / "pyodide.asm.wasm"
    wasm.write_bytes(b"\0asm another build")
    runtime.write_manifest(setup.toolkit / "static" / "vendor")
    third = setup.build()
    assert third.layout.folders["static/vendor"] != second.layout.folders["static/vendor"]
    assert third.layout.folders["static/shim"] != second.layout.folders["static/shim"]
    shim, vendor, snap = (third.layout.folders[f"static/{name}"].removeprefix("static/")
                          for name in ("shim", "vendor", "snapshot"))
    index = (setup.out / "index.html").read_text()
    assert f'src="static/{shim}/main.js"' in index and "static/shim/" not in index and "static/vendor/" not in index
    module = (setup.out / "static" / shim / "interpreter.mjs").read_text()
    assert f'"../{vendor}/pyodide-314.0.7/' in module and f'new URL("../{snap}/", import.meta.url)' in module
    assert f'INTERPRETER = "static/{shim}/interpreter.mjs"' in (setup.out / "static" / shim / "worker.js").read_text()
    config = (setup.out / "pyscript.toml").read_text()
    bundle = next(p for p in (setup.out / "static" / "bundle").iterdir())
    assert f'interpreter = "./static/{shim}/interpreter.mjs"' in config and f'"./static/bundle/{bundle.name}"' in config
    assert bundle.name == f"integration-{sha(bundle.read_bytes())[:16]}.zip"


def test_large_text_files_get_compressed_siblings_and_small_ones_do_not(setup: Setup) -> None:
    """The shim's larger modules get .br and .gz siblings of exactly their bytes; a tiny file none."""
    result = setup.build()
    shim = result.out / result.layout.folders["static/shim"]
    module = (shim / "interpreter.mjs").read_bytes()
    assert brotli.decompress((shim / "interpreter.mjs.br").read_bytes()) == module
    assert gzip.decompress((shim / "interpreter.mjs.gz").read_bytes()) == module
    assert not (result.out / "pyscript.toml.br").exists()


def test_the_cold_size_and_file_count_are_printed_and_right(setup: Setup) -> None:
    """The summary counts every file written; the cold size is the brotli size of what a snapshot
    start loads (here the stand-in wasm's brotli, not its plain size)."""
    result = setup.build()
    assert result.files == len(listing(result.out))
    wasm = next(p for p in result.out.rglob("pyodide.asm.wasm"))
    assert result.cold_bytes < sum(item.size for item in result.layout.files.values() if item.role == "start"
                                   and not item.sibling) - wasm.stat().st_size + 100
    assert any(f"{result.files} files" in line for line in setup.messages)
    assert any(f"{result.cold_bytes / 1e6:.2f} MB (brotli)" in line for line in setup.messages)


@pytest.mark.parametrize("where", ["project root", "toolkit", "above the toolkit", "in the work folder", "a file",
                                   "a foreign folder"])
def test_an_output_that_would_lose_files_is_refused_and_nothing_is_written(setup: Setup, where: str) -> None:
    """--out never replaces or lands among the project's or toolkit's files, nor a folder it did not make."""
    foreign = setup.out.parent / "mine"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("keep me")
    (setup.out.parent / "file").write_text("a file")
    setup.out = {"project root": setup.root, "toolkit": setup.toolkit, "above the toolkit": setup.toolkit.parent,
                 "in the work folder": setup.root / ".bsconnects" / "dist", "a file": setup.out.parent / "file",
                 "a foreign folder": foreign}[where]
    before = listing(setup.toolkit.parent)
    with pytest.raises(BuildError, match="--out"):
        setup.build()
    assert listing(setup.toolkit.parent) == before


def test_without_a_runtime_the_build_says_how_to_set_it_up_and_writes_nothing(setup: Setup) -> None:
    shutil.rmtree(setup.toolkit / "static" / "vendor")
    with pytest.raises(BuildError, match=r"runtime is not set up.*\n.*-m tools\.runtime"):
        setup.build()
    assert not setup.out.parent.exists()


def test_an_unverified_runtime_is_refused(setup: Setup) -> None:
    (setup.toolkit / "static" / "vendor" / runtime.COMPLETE_MARK).write_text("another lock\n")
    with pytest.raises(BuildError, match="not verified"):
        setup.build()


@pytest.mark.parametrize(("change", "message"), [
    ("no bundle", r"no bundle .*\n.*bsconnects serve"),
    ("edited source", r"older than the sources \(acme/main\.py\)"),
    ("new module", r"older than the sources \(acme/extra\.py\)"),
    ("missing entry module", r'entry = "acme\.gone:main": there is no module acme\.gone'),
    ("missing entry function", r"acme\.main defines no start"),
    ("entry does not compile", r"acme/main\.py does not compile \(line 1\)"),
])
def test_a_bad_bundle_or_entry_is_named_and_nothing_is_written(setup: Setup, change: str, message: str) -> None:
    bundle = setup.root / ".bsconnects" / "bundle" / "integration.zip"
    config = setup.root / "bsconnects.toml"
    if change == "no bundle":
        bundle.unlink()
    elif change == "edited source":
        (setup.root / "acme" / "main.py").write_bytes(ENTRY_SOURCE + b"# edited\n")
    elif change == "new module":
        (setup.root / "acme" / "extra.py").write_text("")
    elif change == "missing entry module":
        config.write_text(config.read_text().replace("acme.main:main", "acme.gone:main"))
    elif change == "missing entry function":
        config.write_text(config.read_text().replace("acme.main:main", "acme.main:start"))
    else:
        broken = {**setup.sources, "acme/main.py": b"async def main(:\n"}
        for name, data in broken.items():
            (setup.root / name).write_bytes(data)
        bundle.write_bytes(bundle_bytes(broken))
    with pytest.raises(BuildError, match=message):
        setup.build()
    assert not setup.out.exists()


@pytest.mark.parametrize(("change", "message"), [
    ("made for another entry", r"made for another entry \(it does not hold acme\.main\)"),
    ("older sources", r"it froze older sources of acme\.main"),
    ("missing", r"no snapshot\.json"),
])
def test_a_snapshot_that_does_not_fit_is_refused_where_chromium_can_make_one(
    setup: Setup, change: str, message: str
) -> None:
    """The command that makes it is named, and nothing is written."""
    folder = setup.root / ".bsconnects" / "snapshot"
    if change == "made for another entry":
        make_snapshot(folder, setup.sources, left_out=("acme.main",))
    elif change == "older sources":
        make_snapshot(folder, {**setup.sources, "acme/main.py": b"async def main(integration): pass\n"})
    else:
        shutil.rmtree(folder)
    with pytest.raises(BuildError, match=message + r".*\n.*bsconnects serve"):
        setup.build()
    assert not setup.out.exists()


def test_without_chromium_a_missing_snapshot_is_built_without_and_said_so(setup: Setup) -> None:
    shutil.rmtree(setup.root / ".bsconnects" / "snapshot")
    result = setup.build(chromium=False)
    assert not result.snapshot and "static/snapshot" not in result.layout.folders
    assert any(line.startswith("NOTE: building WITHOUT a memory snapshot") for line in setup.messages)
    assert "no memory snapshot" in (result.out / "DEPLOY.md").read_text()
    # A normal start loads the configured wheels and the lock from the runtime's folder at once.
    roles = {path.rsplit("/", 1)[-1]: item.role for path, item in result.layout.files.items()}
    assert roles["pydantic-2.14.3-py3-none-any.whl"] == roles["pyodide-lock.json"] == "start"
    assert roles["phonenumberslite-9.0.42-py2.py3-none-any.whl"] == "on demand"


def test_a_failed_build_leaves_the_previous_output_as_it_was(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """A runtime file changed since it was verified stops the build half-way: the previous output is
    untouched and no staging folder is left next to it."""
    setup.build()
    before = listing(setup.out)
    wasm = setup.toolkit / "static" / "vendor" / "pyodide-314.0.7" / "pyodide.asm.wasm"
    wasm.write_bytes(b"tampered")
    with pytest.raises(BuildError, match="does not match its verified sha256"):
        setup.build()
    assert listing(setup.out) == before
    assert sorted(p.name for p in setup.out.parent.iterdir()) == ["dist"]


def test_a_rebuild_replaces_the_previous_output_whole(setup: Setup) -> None:
    """Files of the previous build that the new one does not write are gone (an old shim folder)."""
    first = setup.build()
    (setup.toolkit / "static" / "shim" / "status.css").write_text("body { color: black; }\n")
    second = setup.build()
    assert not (setup.out / first.layout.folders["static/shim"]).exists()
    assert (setup.out / second.layout.folders["static/shim"]).is_dir()
    assert sorted(p.name for p in setup.out.parent.iterdir()) == ["dist"]


def test_deploy_configurations_send_the_rules_deploy_md_names(setup: Setup) -> None:
    """DEPLOY.md, web.config, nginx.conf and staticwebapp.config.json carry the same types, cache
    rules and CSP (bsconnects/deploy_rules.py)."""
    out = setup.build().out
    csp = deploy_rules.content_security_policy()
    guide = (out / "DEPLOY.md").read_text()
    for text in ("application/wasm", "Content-Encoding: br", "Vary: Accept-Encoding", deploy_rules.IMMUTABLE,
                 "frame-ancestors", csp, "index.html", LIBRARY, "Range"):
        assert text in guide, text
    tree = ElementTree.parse(out / "web.config").getroot()
    mime = {m.get("fileExtension"): m.get("mimeType") for m in tree.iter("mimeMap")}
    assert mime[".wasm"] == "application/wasm" and mime[".mjs"] == "text/javascript" and ".br" in mime
    headers = {h.get("name"): h.get("value") for h in tree.iter("add") if h.get("name")}
    assert headers["Content-Security-Policy"] == csp and headers["Vary"] == "Accept-Encoding"
    static = next(location for location in tree.iter("location") if location.get("path") == "static")
    assert next(static.iter("clientCache")).get("cacheControlMaxAge") == "365.00:00:00"
    azure = json.loads((out / "staticwebapp.config.json").read_text())
    assert azure["globalHeaders"]["Content-Security-Policy"] == csp
    assert azure["routes"] == [{"route": "/static/*", "headers": {"Cache-Control": deploy_rules.IMMUTABLE}}]
    assert azure["mimeTypes"][".wasm"] == "application/wasm"
    nginx = (out / "nginx.conf").read_text()
    for text in ("application/wasm wasm;", "location /static/ {", f'"{deploy_rules.IMMUTABLE}"', "brotli_static on;",
                 "gzip_static on;", f'Content-Security-Policy "{csp}"', "DEPLOY\\.md"):
        assert text in nginx, text
    assert nginx.count("{") == nginx.count("}")


def test_the_rules_cache_only_content_named_files_for_good() -> None:
    assert deploy_rules.cache_control("static/shim-0123456789abcdef/main.js") == deploy_rules.IMMUTABLE
    for path in ("index.html", "pyscript.toml", "integration/worker_main.py", "static"):
        assert deploy_rules.cache_control(path) == deploy_rules.REVALIDATE
    assert deploy_rules.media_type("static/x/pyodide.asm.wasm") == "application/wasm"


def test_the_command_line_builds_and_reports_a_refusal_plainly(setup: Setup, monkeypatch, capsys) -> None:
    """`bsconnects build --project P --out O` builds; a refusal is one message and exit status 2."""
    import bsconnects.build as build_module

    monkeypatch.setattr(build_module, "TOOLKIT_ROOT", setup.toolkit)
    monkeypatch.setattr("bsconnects.build_inputs._chromium_present", lambda: True)
    prepared: list[Path] = []
    monkeypatch.setattr(build_module, "prepare", lambda project, say: prepared.append(project.root))
    real_build = build_module.build
    monkeypatch.setattr(build_module, "build", lambda project, out: real_build(project, out, toolkit=setup.toolkit))
    assert cli.main(["build", "--project", str(setup.root), "--out", str(setup.out)]) == 0
    assert (setup.out / "DEPLOY.md").is_file() and "[build] wrote" in capsys.readouterr().out
    assert prepared == [setup.root]  # bundle and snapshot made current first, as serve does
    (setup.out / deploy_rules.BUILD_MARKER).unlink()
    assert cli.main(["build", "--project", str(setup.root), "--out", str(setup.out)]) == 2
    assert "did not write" in capsys.readouterr().err
    assert prepared == [setup.root]  # a refused --out costs no minute of snapshot-making
    default = cli.parser().parse_args(["build"])
    assert default.out is None  # the project's dist/


def test_the_bundle_snapshot_and_wheel_contents_are_copied_unchanged(setup: Setup) -> None:
    result = setup.build()
    bundle = next((result.out / "static" / "bundle").iterdir())
    with zipfile.ZipFile(bundle) as archive:
        assert archive.read("acme/main.py") == ENTRY_SOURCE
    snap = result.out / result.layout.folders["static/snapshot"]
    assert (snap / "pydantic-2.14.3-py3-none-any.whl").read_bytes() == b"stored wheel"


def test_an_entry_that_did_not_import_when_the_snapshot_was_made_is_pointed_out(setup: Setup) -> None:
    """The snapshot step records modules that failed to import in the browser; the build names them."""
    pointer_path = setup.root / ".bsconnects" / "snapshot" / "snapshot.json"
    pointer = json.loads(pointer_path.read_text())
    pointer["left_out"] = ["acme.main", "zoneinfo"]
    pointer_path.write_text(json.dumps(pointer))
    setup.build()
    notes = [line for line in setup.messages if line.startswith("NOTE:")]
    assert len(notes) == 1 and "acme.main did not import in the browser" in notes[0] and "zoneinfo" not in notes[0]


def test_an_entry_that_fails_only_in_the_browser_is_said_so_not_sent_round_in_circles(setup: Setup) -> None:
    """The entry imports under CPython but raised in the browser while the snapshot was made: a new
    snapshot would fail the same way, so the build says where to see why instead of asking for one."""
    folder = setup.root / ".bsconnects" / "snapshot"
    make_snapshot(folder, setup.sources, left_out=("acme.main",))
    pointer = json.loads((folder / snapshot.POINTER).read_text())
    (folder / snapshot.POINTER).write_text(json.dumps({**pointer, "left_out": ["acme.main"]}))
    with pytest.raises(BuildError) as refused:
        setup.build()
    message = str(refused.value)
    assert "acme.main imports under CPython but did not import in the browser" in message
    assert "status panel" in message and "bsconnects serve" in message and "made for another entry" not in message
    assert not setup.out.exists()
