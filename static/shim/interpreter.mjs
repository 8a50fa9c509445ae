// The interpreter module PyScript loads in the integration's worker (`interpreter` in
// pyscript.toml). It is Pyodide's own `loadPyodide`, restored from the memory snapshot that
// `python -m tools.snapshot` made at set-up, when there is one that fits: an interpreter that
// already imported the stdlib, pydantic (with its compiled core) and the integration's own modules
// skips all that work at every start. Any doubt means a normal start, never a failed one: no
// snapshot, a pointer that does not validate, another Pyodide version, a build mismatch, a compiled
// extension that cannot be loaded where the snapshot expects it, or a failed restore all fall back
// to plain `loadPyodide`. This module is the entry and the order of the steps; its helpers each do
// one thing: snapshot_find.mjs finds the snapshot and downloads it, snapshot_delta.mjs undoes the
// differences it is stored as, natives.mjs places the compiled extensions, snapshot_packages.mjs
// installs the packages, remote_files.mjs reads the stdlib and the wheels on demand, and
// global_patches.mjs puts back every global replaced for the start once it ends.
// The outcome is left on `globalThis.bscInterpreterStart` for Python's status panel.

import createPyodideModule from "../vendor/pyodide-314.0.7/pyodide.asm.mjs";
import { loadPyodide as loadPlainPyodide, version } from "../vendor/pyodide-314.0.7/pyodide.mjs";
import { endPatches, patchGlobal } from "./global_patches.mjs";
import { checkPlacement, preloadNatives } from "./natives.mjs";
import { stdlibOnDemand } from "./remote_files.mjs";
import { expectMemoryImage, keepMemoryImage, undoDelta, undoNativeDelta } from "./snapshot_delta.mjs";
import { findSnapshot } from "./snapshot_find.mjs";
import { installPackages } from "./snapshot_packages.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide-314.0.7/", import.meta.url).href;
const SNAPSHOT_DIR = new URL("../snapshot/", import.meta.url).href;
const WASM_URL = new URL("pyodide.asm.wasm", INDEX_URL).href;
const STDLIB_URL = new URL("python_stdlib.zip", INDEX_URL).href;
// An empty zip archive: what Pyodide downloads as the stdlib when a snapshot is restored.
const EMPTY_ZIP = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

/**
 * Compile Pyodide's wasm from the moment this module loads. Pyodide compiles it only once the
 * snapshot's bytes have arrived, so download and compile ran one after the other; now they
 * overlap. Pyodide's own request for the same immutable file is answered from the HTTP cache, and
 * if anything about it differs, Pyodide's path is used unchanged. Its first instantiation also
 * keeps the memory image a snapshot's difference is undone with (static/shim/snapshot_delta.mjs).
 */
const compiledWasm = WebAssembly.compileStreaming(fetch(WASM_URL)).catch(() => null);
const instantiateStreaming = WebAssembly.instantiateStreaming;
const restoreInstantiate = patchGlobal(WebAssembly, "instantiateStreaming", async function (source, imports) {
  const [module, response] = await Promise.all([compiledWasm, source]);
  if (response?.url !== WASM_URL) return instantiateStreaming.call(this, response, imports);
  restoreInstantiate(); // only Pyodide's first instantiation
  const result = module
    ? { module, instance: await WebAssembly.instantiate(module, imports) }
    : await instantiateStreaming.call(this, response, imports);
  keepMemoryImage(result.instance);
  return result;
});

/**
 * Put the integration's compiled modules where Python looks for them, before PyScript writes the
 * sources. They are checked-hash bytecode: a module whose source changed is compiled again. Not
 * found, every module the snapshot does not hold is compiled from source, and the status says so.
 */
async function addIntegrationBytecode(pyodide, snapshot) {
  const archive = await snapshot.integrationBytecode;
  if (!archive) return ", no integration bytecode";
  pyodide.unpackArchive(archive, "zip");
  return "";
}

/**
 * Pyodide keeps its options for the life of the worker, so the snapshot's bytes, a second copy of
 * the whole heap, would stay alive after the restore copied them into it. The options reach them
 * only through this holder, which lets go once they are taken.
 */
class Handover {
  constructor(stream, stdlibIndex, natives, tableSize, delta) {
    this.stream = stream;
    this.delta = delta;
    this.stdlibIndex = stdlibIndex;
    this.natives = natives;
    this.tableSize = tableSize;
  }

  /** For `_loadSnapshot`: the buffer, at once (it fills while the module is created). */
  then(resolve, reject) {
    const stream = this.stream;
    return (stream ? Promise.resolve(stream.target) : Promise.reject(new Error("snapshot bytes already taken")))
      .then(resolve, reject);
  }

  /**
   * For `createPyodideModule`: create Pyodide's module, with the compiled extensions loaded
   * before its runtime starts (static/shim/natives.mjs), then wait for the last snapshot byte.
   * The module may start smaller than the snapshot's heap; malloc extends the heap from its top,
   * below the memory's end, so asking for the whole size is what makes the memory large enough.
   */
  createModule = async (settings) => {
    const { stream } = this;
    if (!stream) throw new Error("snapshot bytes already taken");
    const placed = preloadNatives(settings, this.natives);
    const module = await createPyodideModule(settings);
    const records = await placed;
    this.adoptNatives(module, records);
    stdlibOnDemand(module.FS, await this.stdlibIndex, STDLIB_URL);
    if (module.HEAP8.length < stream.target.length) module._free(module._malloc(stream.target.length));
    await stream.complete;
    if (this.delta) undoDelta(stream.target, this.delta);
    for (const native of this.natives) {
      if (native.delta) undoNativeDelta(stream.target, native, records.find((record) => record.module === native.module));
    }
    this.stream = null;
    return module;
  };

  /**
   * The extensions loaded before the runtime started (static/shim/natives.mjs) must sit where the
   * snapshot expects them, and answer the dlopen handles Python got for them before the snapshot.
   */
  adoptNatives(module, placed) {
    checkPlacement(placed, this.natives);
    for (const native of this.natives) {
      const dso = module.LDSO.loadedLibsByName[placed.find((record) => record.module === native.module).path];
      for (const handle of native.handles) module.LDSO.loadedLibsByHandle[handle] = dso;
    }
    if (module.wasmTable.length !== this.tableSize) {
      throw new Error(`function table of ${module.wasmTable.length} slots, the snapshot's had ${this.tableSize}`);
    }
  }

  release() {
    this.stream = null;
    expectMemoryImage(0);
  }
}

/** A start from the snapshot: `{pyodide, note}`, or `{reason}` why it was not restored. */
async function restore(options, snapshot) {
  const { delta } = snapshot.pointer;
  const handover = new Handover(snapshot.stream, snapshot.stdlibIndex, snapshot.natives, snapshot.pointer.table_size, delta);
  snapshot.stream = null;
  expectMemoryImage(delta ? Number(delta.size) : 0);
  try {
    const pyodide = await loadPlainPyodide({
      ...options,
      packages: [], // installed below: on demand when the site index allows
      lockFileContents: snapshot.lock,
      stdLibURL: EMPTY_ZIP,
      packageBaseUrl: SNAPSHOT_DIR,
      _loadSnapshot: handover,
      createPyodideModule: handover.createModule,
    });
    const installed = await installPackages(pyodide, snapshot, options.packages ?? []);
    return { pyodide, note: installed + (await addIntegrationBytecode(pyodide, snapshot)) };
  } catch (error) {
    handover.release();
    const reason = `snapshot not restored: ${error?.message ?? error}`;
    console.warn(`[integration] ${reason}; starting Python normally`);
    return { reason };
  }
}

/**
 * The entry PyScript calls: Pyodide restored from the snapshot, or started normally when there is
 * none to use or its restore fails. Every global replaced for the start is put back when it ends.
 */
export async function loadPyodide(options = {}) {
  const started = performance.now();
  const plain = { ...options, indexURL: INDEX_URL };
  const outcome = (fields) => {
    globalThis.bscInterpreterStart = { ...fields, ms: Math.round(performance.now() - started) };
  };
  try {
    const snapshot = await findSnapshot(SNAPSHOT_DIR, version, Array.isArray(options.packages) ? options.packages : []);
    const restored = snapshot.stream ? await restore(plain, snapshot) : snapshot;
    if (restored.pyodide) {
      outcome({ snapshot: true, note: restored.note });
      return restored.pyodide;
    }
    const pyodide = await loadPlainPyodide(plain);
    outcome({ snapshot: false, reason: restored.reason });
    return pyodide;
  } finally {
    endPatches();
  }
}
