// Compiled extensions (pydantic-core) loaded into Pyodide before its runtime starts, at the same
// place in memory and in the function table every time. Shared by the two sides of the memory
// snapshot: tools/snapshot_worker.js loads them this way before it imports pydantic and takes the
// snapshot, and static/shim/interpreter.mjs loads them this way before it restores one.
//
// Why: a memory snapshot holds the wasm memory only. An extension is a separate wasm module whose
// data lives in that memory and whose functions live in the function table, outside it. Loaded
// after the runtime started (Pyodide's way), its data lands wherever malloc puts it and its
// functions wherever the table ends then; nothing can be restored. Loaded before the runtime
// starts, Emscripten places both at the end of what the main module uses, which is the same in
// every start of the same Pyodide build. The snapshot then already holds the extension's data as
// pydantic's import and the integration's models left it, and a restore only needs the module's
// functions back in the same table slots: importing pydantic and building the models, a large part
// of every start, are the gain.

const DEPENDENCY = "bsc-preload-natives";

/**
 * Where one load placed an extension: `memory` and `table` are [start, end) of what it took, and
 * `image` a copy of that memory as loading left it. Two starts of the same build give the same
 * placement; a restore checks that they did.
 */
function place(Module, native, compiled) {
  const path = `${Module.API.sitePackages}/${native.module}`;
  const sbrk = Module._emscripten_get_sbrk_ptr() >>> 2;
  const memoryStart = Module.HEAPU32[sbrk];
  const tableStart = Module.wasmTable.length;
  // Registered under the path Pyodide installs it at, so Pyodide's own load of the wheel's copy
  // and Python's dlopen find it loaded and do not instantiate it again.
  const dso = Module.newDSO(path, undefined, "loading");
  dso.global = false;
  dso.exports = Module.loadWebAssemblyModule(compiled, { loadAsync: false, nodelete: true }, path, {});
  const memoryEnd = Module.HEAPU32[sbrk];
  // What loading wrote there (the module's data, relocated), before any of its code ran: the
  // snapshot stores this region as a difference from it (tools/snapshot_delta.py).
  const image = Module.HEAPU8.slice(memoryStart, memoryEnd);
  return { module: native.module, path, memory: [memoryStart, memoryEnd],
           table: [tableStart, Module.wasmTable.length], image };
}

/**
 * Add to Emscripten `settings` (the options `createPyodideModule` gets) a step that loads each
 * native ({module: path in site-packages, compiled: promise of its WebAssembly.Module}) after
 * the main module is instantiated and before its runtime starts. Returns a promise of where each
 * was placed, or rejecting with why one could not be loaded (the module is then created without
 * the rest: the caller must not use it).
 */
export function preloadNatives(settings, natives) {
  let settle;
  const placed = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  placed.catch(() => {});
  const step = (Module) => {
    Module.addRunDependency(DEPENDENCY);
    (async () => {
      const records = [];
      for (const native of natives) {
        const compiled = await native.compiled;
        if (!(compiled instanceof WebAssembly.Module)) throw new Error(`${native.module}: not compiled`);
        records.push(place(Module, native, compiled));
      }
      return records;
    })().then(settle.resolve, settle.reject).finally(() => Module.removeRunDependency(DEPENDENCY));
  };
  const before = settings.preRun;
  settings.preRun = [...(Array.isArray(before) ? before : before ? [before] : []), step];
  return placed;
}

/**
 * After the runtime started: the same placement as when the snapshot was made (`expected`, from
 * the pointer), or an error naming what differs. A different place means the snapshot's pointers
 * into the extension would point elsewhere.
 */
export function checkPlacement(placed, expected) {
  const describe = (records) => JSON.stringify(records.map(({ module, memory, table }) => ({ module, memory, table })));
  if (describe(placed) !== describe(expected)) {
    throw new Error(`compiled extensions placed differently than in the snapshot: ${describe(placed)} vs ${describe(expected)}`);
  }
}
