// The interpreter module PyScript loads in the integration's worker (`interpreter` in
// pyscript.toml). It is Pyodide's own `loadPyodide`, restored from the memory snapshot that
// `python -m tools.snapshot` made at set-up, when there is one that fits: an interpreter that
// already imported the stdlib and pure-Python modules the integration needs starts in about half
// the time. Any doubt means a normal start, never a failed one: no snapshot, another Pyodide
// version, a build mismatch or a failed restore all fall back to plain `loadPyodide`.
// The outcome is left on `globalThis.bscInterpreterStart` for Python's status panel.

import createPyodideModule from "../vendor/pyodide-314.0.7/pyodide.asm.mjs";
import { loadPyodide as loadPlainPyodide, version } from "../vendor/pyodide-314.0.7/pyodide.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide-314.0.7/", import.meta.url).href;
const SNAPSHOT_DIR = new URL("../snapshot/", import.meta.url).href;
const WASM_URL = new URL("pyodide.asm.wasm", INDEX_URL).href;
const FORMAT = 1;

/**
 * Compile Pyodide's wasm from the moment this module loads. Pyodide compiles it only once the
 * snapshot's bytes have arrived, so download and compile (~0.3 s each here) ran one after the
 * other; now they overlap. Pyodide's own request for the same immutable file is answered from
 * the HTTP cache, and if anything about it differs, Pyodide's path is used unchanged.
 */
const compiledWasm = WebAssembly.compileStreaming(fetch(WASM_URL)).catch(() => null);
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async function (source, imports) {
  const [module, response] = await Promise.all([compiledWasm, source]);
  if (module && response?.url === WASM_URL) {
    WebAssembly.instantiateStreaming = instantiateStreaming; // only Pyodide's first instantiation
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  }
  return instantiateStreaming.call(this, response, imports);
};

/**
 * The compiled extensions (pydantic-core: 4.7 MB of wasm) that tools/snapshot.py copied out of
 * their wheels: compiled here while the snapshot downloads, instead of by Pyodide after it has
 * unpacked the wheels (~0.3 s, on every start). Pyodide gets the compiled module only for bytes
 * that match the recorded sha256 exactly; anything else is compiled by Pyodide as usual.
 */
function precompileNatives(natives) {
  const compiled = natives.map((native) => ({
    ...native,
    module: WebAssembly.compileStreaming(fetch(new URL(String(native.file), SNAPSHOT_DIR))).catch(() => null),
  }));
  if (!compiled.length) return;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (source, imports) {
    const candidate = ArrayBuffer.isView(source) || source instanceof ArrayBuffer
      ? compiled.find((native) => native.size === source.byteLength)
      : undefined;
    if (candidate && (await sha256(source)) === candidate.sha256) {
      const module = await candidate.module;
      if (module) return { module, instance: await instantiate.call(WebAssembly, module, imports) };
    }
    return instantiate.call(WebAssembly, source, imports);
  };
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The snapshot to restore: its pointer and a promise of its bytes (downloaded while Pyodide's own
 * files load), or a reason why there is none to use.
 */
async function findSnapshot() {
  const pointerResponse = await fetch(new URL("snapshot.json", SNAPSHOT_DIR), { cache: "no-cache" });
  if (!pointerResponse.ok) return { reason: `no snapshot (HTTP ${pointerResponse.status})` };
  const pointer = await pointerResponse.json();
  if (pointer.format !== FORMAT || pointer.pyodide !== version) {
    return { reason: `the snapshot was made for Pyodide ${pointer.pyodide}, this is ${version}` };
  }
  precompileNatives(Array.isArray(pointer.native) ? pointer.native : []);
  const bytes = fetch(new URL(String(pointer.file), SNAPSHOT_DIR)).then(async (response) => {
    if (!response.ok) throw new Error(`snapshot file missing (HTTP ${response.status})`);
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.length !== pointer.size) throw new Error(`snapshot truncated (${data.length} of ${pointer.size} bytes)`);
    return data;
  });
  // Made with the snapshot: the same wheels with their modules compiled to bytecode (importing
  // pydantic from sources cost ~0.5 s of compiling on every start), and the integration's own.
  const integrationBytecode = pointer.integration_bytecode
    ? fetch(new URL(String(pointer.integration_bytecode), SNAPSHOT_DIR)).then((r) => (r.ok ? r.arrayBuffer() : null))
    : Promise.resolve(null);
  integrationBytecode.catch(() => null);
  return { bytes, pointer, integrationBytecode, lockFileURL: new URL("pyodide-lock.json", SNAPSHOT_DIR).href };
}

/**
 * Put the integration's compiled modules where Python looks for them, before PyScript writes the
 * sources. They are checked-hash bytecode: a module whose source changed is compiled again.
 */
async function addIntegrationBytecode(pyodide, snapshot) {
  try {
    const archive = await snapshot.integrationBytecode;
    if (archive) pyodide.unpackArchive(archive, "zip");
    return archive ? "" : ", no integration bytecode";
  } catch (error) {
    return `, integration bytecode not used (${error?.message ?? error})`;
  }
}

/**
 * Pyodide keeps its options for the life of the worker, so the 31 MB of snapshot bytes would stay
 * alive after the restore copied them into the heap (measured: +31.5 MB of worker memory). A
 * thenable that forgets its promise once taken lets them be collected.
 */
function handOnce(promise) {
  let held = promise;
  return {
    then(resolve, reject) {
      const taken = held;
      held = null;
      return (taken ?? Promise.reject(new Error("snapshot bytes already taken"))).then(resolve, reject);
    },
  };
}

/**
 * Pyodide sizes the memory for a snapshot, but the module may start smaller than the snapshot's
 * heap: grow it (one allocation, freed at once) before the snapshot is copied in.
 */
const growingTo = (size) => async (settings) => {
  const module = await createPyodideModule(settings);
  const missing = size - module.HEAP8.length;
  if (missing > 0) module._free(module._malloc(missing + 65536));
  return module;
};

export async function loadPyodide(options = {}) {
  const started = performance.now();
  const plain = { ...options, indexURL: INDEX_URL };
  const outcome = (fields) => {
    globalThis.bscInterpreterStart = { ...fields, ms: Math.round(performance.now() - started) };
  };
  let snapshot;
  try {
    snapshot = await findSnapshot();
  } catch (error) {
    snapshot = { reason: `snapshot not readable: ${error?.message ?? error}` };
  }
  if (snapshot.bytes) {
    try {
      const pyodide = await loadPlainPyodide({
        ...plain,
        lockFileURL: snapshot.lockFileURL,
        _loadSnapshot: handOnce(snapshot.bytes),
        createPyodideModule: growingTo(snapshot.pointer.size),
      });
      const note = await addIntegrationBytecode(pyodide, snapshot);
      outcome({ snapshot: true, file: snapshot.pointer.file, note });
      return pyodide;
    } catch (error) {
      snapshot = { reason: `snapshot not restored: ${error?.message ?? error}` };
      console.warn(`[integration] ${snapshot.reason}; starting Python normally`);
    }
  }
  const pyodide = await loadPlainPyodide(plain);
  outcome({ snapshot: false, reason: snapshot.reason });
  return pyodide;
}
