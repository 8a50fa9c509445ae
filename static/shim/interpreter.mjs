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
const FORMAT = 1;

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
        _loadSnapshot: snapshot.bytes,
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
