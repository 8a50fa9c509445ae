# Runs in Pyodide (tools/snapshot_worker.js, "discover" phase), never imported by CPython.
# Given TARGETS (the integration's modules), TOPS (the top-level names that are the project's:
# the toolkit's `integration` and the project's own modules) and EXCLUDED (top-level names that
# must not be frozen: the modules that talk to JavaScript), import the targets and list, in
# import order, every module they pulled in that may be frozen.
# Also compiles to bytecode the modules of INTEGRATION (the integration's sources: path -> module
# name) that a start does not import, so are not frozen: the frozen ones are already in memory,
# and their bytecode would be downloaded on every cold start for the rare one where a source
# changed since the snapshot (integration/_frozen.py then imports them all from source, slower).
import base64
import importlib
import importlib.util
import json
import os
import py_compile
import sys

before = set(sys.modules)
failed = {}
# The integration's own modules are frozen only if a start imports them (START: what worker_main
# imports, and the configured entry's module); the others (custom requests, modules the entry
# imports later) are imported below for their dependencies.
for name in START:  # noqa: F821 - set by the worker
    try:
        importlib.import_module(name)
    except BaseException as error:  # noqa: BLE001 - reported, never fatal
        failed[name] = repr(error)[:300]
at_start = {name for name in sys.modules if name.split(".")[0] in TOPS}  # noqa: F821 - set by the worker
for name in TARGETS:  # noqa: F821 - set by the worker
    try:
        importlib.import_module(name)
    except BaseException as error:  # noqa: BLE001 - reported, never fatal
        failed[name] = repr(error)[:300]

stdlib = os.path.dirname(os.__file__)
site = tuple(p for p in sys.path if p.endswith("site-packages"))


def freezable(name):
    module = sys.modules.get(name)
    if module is None or name.split(".")[0] in EXCLUDED:  # noqa: F821
        return False
    if name.split(".")[0] in TOPS:  # noqa: F821
        return name in at_start
    origin = getattr(module, "__file__", None)
    if origin is None:
        return True  # built into the interpreter, or a namespace package
    if origin.endswith(".so"):
        # A separate wasm module: frozen only if it is loaded where a restore loads it again.
        return any(origin == os.path.join(root, native) for root in site for native in NATIVES)  # noqa: F821
    return origin.startswith(stdlib) or origin.startswith(site)


def compiled(relative, root):
    source = os.path.join(root, relative)
    target = importlib.util.cache_from_source(source)
    checked = py_compile.PycInvalidationMode.CHECKED_HASH  # used only while the source is unchanged
    py_compile.compile(source, cfile=target, doraise=True, invalidation_mode=checked)
    with open(target, "rb") as file:
        return os.path.relpath(target, root), base64.b64encode(file.read()).decode()


new = [name for name in sys.modules if name not in before]
json.dumps({
    "modules": [name for name in new if freezable(name)],
    "skipped": sorted(name for name in new if not freezable(name)),
    "failed": failed,
    # The integration's own modules change while it is developed: checked-hash bytecode is used
    # only while its source is unchanged (Python compares the source's hash at import).
    "integration_bytecode": dict(compiled(relative, os.getcwd())
                                 for relative, module in INTEGRATION.items()  # noqa: F821
                                 if module not in at_start),
})
