// The interpreter module PyScript loads in the integration's worker (`interpreter` in
// pyscript.toml). It is Pyodide's own `loadPyodide`, restored from the memory snapshot that
// `python -m tools.snapshot` made at set-up, when there is one that fits: an interpreter that
// already imported the stdlib, pydantic (with its compiled core) and the integration's own modules
// starts in less than half the time. Any doubt means a normal start, never a failed one: no
// snapshot, a pointer that does not validate, another Pyodide version, a build mismatch, a compiled
// extension that cannot be loaded where the snapshot expects it, or a failed restore all fall back
// to plain `loadPyodide`. Its helpers: natives.mjs places the compiled extensions, remote_files.mjs
// reads the stdlib and the wheels on demand, snapshot_pointer.mjs is the pointer's shape.
// The outcome is left on `globalThis.bscInterpreterStart` for Python's status panel.

import createPyodideModule from "../vendor/pyodide-314.0.7/pyodide.asm.mjs";
import { loadPyodide as loadPlainPyodide, version } from "../vendor/pyodide-314.0.7/pyodide.mjs";
import { checkPlacement, preloadNatives } from "./natives.mjs";
import { hexToBase64, installOnDemand, stdlibOnDemand } from "./remote_files.mjs";
import { FORMAT, SHAPES } from "./snapshot_pointer.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide-314.0.7/", import.meta.url).href;
const SNAPSHOT_DIR = new URL("../snapshot/", import.meta.url).href;
const WASM_URL = new URL("pyodide.asm.wasm", INDEX_URL).href;
const STDLIB_URL = new URL("python_stdlib.zip", INDEX_URL).href;
// An empty zip archive: what Pyodide downloads as the stdlib when a snapshot is restored.
const EMPTY_ZIP = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

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
  if (response?.url !== WASM_URL) return instantiateStreaming.call(this, response, imports);
  WebAssembly.instantiateStreaming = instantiateStreaming; // only Pyodide's first instantiation
  const result = module
    ? { module, instance: await WebAssembly.instantiate(module, imports) }
    : await instantiateStreaming.call(this, response, imports);
  keepMemoryImage(result.instance);
  return result;
};

/**
 * The memory as instantiating Pyodide's wasm leaves it (its static data, before any code ran),
 * its first `length` bytes, kept when a snapshot stored as a difference from it is to be restored.
 * tools/snapshot_delta.py stores the snapshot's first 3.8 MB XORed with it: 98 % of those bytes
 * are still the wasm's own, so they become zeros, and the snapshot 1.2 MB (brotli) smaller.
 */
const memoryImage = { length: 0, bytes: null };

function keepMemoryImage(instance) {
  const buffer = instance?.exports?.memory?.buffer;
  if (memoryImage.length && buffer && buffer.byteLength >= memoryImage.length) {
    memoryImage.bytes = new Uint8Array(buffer, 0, memoryImage.length).slice();
  }
}

/** Where the memory starts in a Pyodide snapshot: its header's word after the magic number. */
function memoryOffset(snapshot) {
  const view = new DataView(snapshot.buffer, snapshot.byteOffset, 8);
  if (view.getUint32(0, false) !== 0x00736e70) throw new Error("not a Pyodide snapshot (no magic number)"); // "\0snp"
  return view.getUint32(4, true);
}

/** XOR `image` into the snapshot's bytes from `at` (a multiple of 4), a word at a time. */
function xorInto(snapshot, at, image) {
  const words = image.length >>> 2;
  const target = new Uint32Array(snapshot.buffer, snapshot.byteOffset + at, words);
  const source = new Uint32Array(image.buffer, image.byteOffset, words);
  for (let i = 0; i < words; i += 1) target[i] ^= source[i];
  for (let i = words * 4; i < image.length; i += 1) snapshot[at + i] ^= image[i];
}

/** Undo tools/snapshot_delta.py in the snapshot's bytes, before Pyodide copies them into memory. */
function undoDelta(snapshot, delta) {
  const image = memoryImage.bytes;
  memoryImage.bytes = null;
  const offset = Number(delta.offset);
  const size = Number(delta.size);
  if (!image || image.length !== size) throw new Error("no memory image to undo the snapshot's difference with");
  const header = memoryOffset(snapshot);
  if (header !== offset || offset % 4 || snapshot.byteOffset % 4 || offset + size > snapshot.length) {
    throw new Error(`the snapshot's difference (at ${offset}) does not fit its memory (at ${header})`);
  }
  xorInto(snapshot, offset, image);
}

/** FNV-1a over 32-bit little-endian words, as tools/snapshot_delta.py's `word_checksum`. */
function wordChecksum(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let value = 0x811c9dc5;
  for (let i = 0; i < words.length; i += 1) value = Math.imul(value ^ words[i], 0x01000193);
  return value >>> 0;
}

/**
 * Undo tools/snapshot_delta.py's `xor_native` for one compiled extension: its region of the
 * snapshot was stored XORed with its memory as loading left it (`placed.image`, taken the same
 * way when the snapshot was made, static/shim/natives.mjs). Only with that same image: a
 * different one would restore garbage, so the start falls back to a normal one instead.
 */
function undoNativeDelta(snapshot, native, placed) {
  const image = placed?.image;
  const size = Number(native.delta.size);
  if (!image || image.length !== size || size % 4 || wordChecksum(image) !== native.delta.checksum) {
    throw new Error(`${native.module} loaded with other data than when the snapshot was made`);
  }
  const offset = memoryOffset(snapshot) + Number(native.memory[0]);
  if (offset % 4 || snapshot.byteOffset % 4 || offset + size > snapshot.length) {
    throw new Error(`${native.module}'s memory lies outside the snapshot`);
  }
  xorInto(snapshot, offset, image);
  placed.image = null;
}

/**
 * The compiled extensions (pydantic-core: 4.7 MB of wasm) that tools/snapshot_wheels.py copied out of
 * their wheels, compiled from the moment snapshot.json is read, while the snapshot downloads.
 * They are loaded before Pyodide's runtime starts, where the snapshot expects them
 * (static/shim/natives.mjs): the snapshot holds pydantic already imported. The snapshot's wheels
 * hold a 105-byte stand-in in their place, never loaded (the module is not downloaded twice).
 * If one cannot be had, the snapshot start falls back to a normal one.
 */
function compileNatives(natives) {
  return natives.map((native) => ({
    ...native,
    compiled: WebAssembly.compileStreaming(fetch(new URL(String(native.file), SNAPSHOT_DIR))).catch(() => null),
  }));
}

/** The lock's packages that installing `requested` installs (names as the lock keys them). */
function packagesNeeded(lock, requested) {
  const needed = new Set();
  const visit = (name) => {
    const key = String(name).split(/[<>=!~ ]/)[0].toLowerCase().replaceAll("_", "-");
    const entry = lock.packages?.[key];
    if (!entry || needed.has(key)) return;
    needed.add(key);
    (entry.depends ?? []).forEach(visit);
  };
  requested.forEach(visit);
  return needed;
}

/**
 * The snapshot's bytes, streamed into one buffer of the recorded size as they arrive, from its
 * parts (files of up to 8 MiB, downloaded in parallel; see PART_SIZE in tools/snapshot_parts.py; the
 * long runs of zeros between them are not stored). Pyodide needs them only to restore, after it
 * created its module (~150 ms here): it gets the buffer at once, the module is created while the
 * download runs, and `complete` settles when every byte is in (or rejects: a part missing,
 * truncated or longer than recorded, parts out of order or overlapping).
 */
function streamSnapshot(parts, size) {
  const target = new Uint8Array(size);
  let end = 0;
  const downloads = parts.map((part) => {
    const offset = Number(part.offset);
    const length = Number(part.size);
    // In order, not overlapping; between parts, zeros (tools/snapshot_parts.py leaves long runs out).
    if (!(offset >= end && length > 0 && offset + length <= size)) {
      return Promise.reject(new Error("snapshot parts do not fit"));
    }
    end = offset + length;
    return streamInto(new URL(String(part.file), SNAPSHOT_DIR), target.subarray(offset, offset + length));
  });
  if (!parts.length) downloads.push(Promise.reject(new Error("no snapshot parts")));
  const complete = Promise.all(downloads).then(() => undefined);
  complete.catch(() => {}); // awaited before the restore, which reports the failure
  return { target, complete };
}

async function streamInto(url, view) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`snapshot file missing (HTTP ${response.status})`);
  const reader = response.body.getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > view.length) throw new Error(`snapshot part longer than its recorded ${view.length} bytes`);
    view.set(value, offset);
    offset += value.length;
  }
  if (offset !== view.length) throw new Error(`snapshot truncated (${offset} of ${view.length} bytes)`);
}

/**
 * Without a usable site index (see `installPackages`): the wheels PyScript will ask for
 * (`wanted`: its packages and what they depend on), fetched now instead of after the restore,
 * where Pyodide starts downloading them (~0.2 s of every start here). Pyodide's own request gets
 * the prefetched response only for the same URL and the same integrity (sha256) it asks for; a
 * failed prefetch is fetched again normally.
 */
function prefetchPackages(lock, wanted) {
  const prefetched = new Map();
  for (const key of wanted) {
    const entry = lock.packages[key];
    const url = new URL(String(entry.file_name), SNAPSHOT_DIR).href;
    const integrity = `sha256-${hexToBase64(String(entry.sha256))}`;
    prefetched.set(url, { integrity, response: fetch(url, { integrity }) });
  }
  if (!prefetched.size) return;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = function (resource, init) {
    const url = resource instanceof Request ? resource.url : String(resource);
    const entry = prefetched.get(url);
    if (!entry || entry.integrity !== init?.integrity) return plainFetch.call(this, resource, init);
    prefetched.delete(url);
    if (!prefetched.size) globalThis.fetch = plainFetch;
    return entry.response.catch(() => plainFetch.call(globalThis, resource, init));
  };
}

/**
 * Why `value` does not have the shape `shape` of static/shim/snapshot_pointer.mjs (made from
 * tools/snapshot_pointer.py: the keys this module reads, with their JSON types), or "" when it
 * has. A pointer that does not is never used: the worker starts normally and says why.
 */
function shapeProblem(value, shape, where = "") {
  for (const [key, kind] of Object.entries(SHAPES[shape])) {
    const type = kind.replace(/\?$/, "");
    if (value[key] === undefined || value[key] === null) {
      if (type === kind) return `${where}${key} is missing`;
      continue;
    }
    const items = type.endsWith("[]") ? value[key] : [value[key]];
    if (!Array.isArray(items)) return `${where}${key} is not an array`;
    for (const [index, item] of items.entries()) {
      const at = type.endsWith("[]") ? `${where}${key}.${index}` : `${where}${key}`;
      const problem = typeProblem(item, type.replace(/\[\]$/, ""), at);
      if (problem) return problem;
    }
  }
  return "";
}

function typeProblem(value, type, where) {
  const actual = Array.isArray(value) ? "array" : typeof value;
  if (type in SHAPES) return actual === "object" ? shapeProblem(value, type, `${where}.`) : `${where} is ${actual}, expected an object`;
  return actual === type ? "" : `${where} is ${actual}, expected ${type}`;
}

/**
 * The snapshot to restore: its pointer, the stream of its bytes, and its lock file (the same
 * wheels, with a stand-in for each compiled extension) and the index of those wheels' files, all
 * downloading while Pyodide's own files load; or a reason why there is none to use.
 */
async function findSnapshot(packages) {
  const pointerResponse = await fetch(new URL("snapshot.json", SNAPSHOT_DIR), { cache: "no-cache" });
  if (!pointerResponse.ok) return { reason: `no snapshot (HTTP ${pointerResponse.status})` };
  const pointer = await pointerResponse.json();
  if (pointer?.format !== FORMAT) {
    return { reason: `the snapshot pointer is of format ${pointer?.format}, this page reads ${FORMAT}` };
  }
  const problem = shapeProblem(pointer, "SnapshotPointer");
  if (problem) return { reason: `the snapshot pointer does not validate (${problem})` };
  if (pointer.pyodide !== version) {
    return { reason: `the snapshot was made for Pyodide ${pointer.pyodide}, this is ${version}` };
  }
  const natives = compileNatives(pointer.native ?? []);
  const stream = streamSnapshot(pointer.parts, pointer.size);
  const lock = fetch(new URL("pyodide-lock.json", SNAPSHOT_DIR)).then((response) => {
    if (!response.ok) throw new Error(`snapshot lock file missing (HTTP ${response.status})`);
    return response.json();
  });
  // The site index, only if it covers the lock's wheels: decided once, for the prefetch and the install.
  const siteIndex = Promise.all([lock, fetchSiteIndex(pointer.site_packages)])
    .then(([contents, index]) => (coversLock(index, contents) ? index : null));
  Promise.all([lock, siteIndex]).then(([contents, index]) => {
    if (!index) prefetchPackages(contents, packagesNeeded(contents, packages));
  }).catch(() => {});
  const integrationBytecode = pointer.integration_bytecode
    ? fetch(new URL(String(pointer.integration_bytecode), SNAPSHOT_DIR)).then((r) => (r.ok ? r.arrayBuffer() : null))
    : Promise.resolve(null);
  integrationBytecode.catch(() => null);
  const stdlibIndex = fetchStdlibIndex(pointer.stdlib_index);
  return { stream, pointer, lock, natives, integrationBytecode, stdlibIndex, siteIndex };
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
 * The stdlib index tools/snapshot_wheels.py copied out of the archive (its central directory, to the end),
 * or null if it is not there: then it is read from the archive like the rest.
 */
async function fetchStdlibIndex(entry) {
  if (!entry?.file) return null;
  try {
    const response = await fetch(new URL(String(entry.file), SNAPSHOT_DIR));
    const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    return bytes && bytes.length === entry.archive_size - entry.offset
      ? { offset: entry.offset, size: entry.archive_size, bytes } : null;
  } catch {
    return null;
  }
}

/** The site index tools/snapshot_wheels.py wrote (where each file lies in each stored wheel), or null. */
async function fetchSiteIndex(entry) {
  if (!entry?.file) return null;
  try {
    const response = await fetch(new URL(String(entry.file), SNAPSHOT_DIR));
    const index = response.ok ? await response.json() : null;
    return index?.packages && typeof index.packages === "object" ? index : null;
  } catch {
    return null;
  }
}

/** Whether the index covers every package of the snapshot's lock, for the wheels it has now. */
function coversLock(index, lock) {
  const packages = Object.entries(lock?.packages ?? {});
  return Boolean(index) && packages.length > 0 && packages.every(([key, entry]) => {
    const indexed = index.packages[key];
    return indexed?.file === entry.file_name && indexed?.sha256 === entry.sha256 && Array.isArray(indexed.files);
  });
}

/**
 * Install the snapshot's packages after the restore. Every module a start imports is already in
 * the restored memory, so the wheels are not downloaded and unpacked (0.4 MB and ~0.12 s of every
 * cold start): each file is created where Pyodide would unpack it, its bytes read from the stored
 * wheel by range the first time Python reads them. Without a usable site index, Pyodide installs
 * them as usual (the wheels were prefetched). Returns a note for the status panel.
 */
async function installPackages(pyodide, snapshot, packages) {
  const index = await snapshot.siteIndex.catch(() => null);
  let note = "";
  if (index) {
    try {
      installOnDemand(pyodide, index, SNAPSHOT_DIR);
      return "";
    } catch (error) {
      note = `, wheels unpacked (${error?.message ?? error})`;
    }
  }
  await pyodide.loadPackage(packages, { messageCallback() {} });
  return note || ", wheels unpacked";
}

/**
 * Pyodide keeps its options for the life of the worker, so the 31 MB of snapshot bytes would stay
 * alive after the restore copied them into the heap (measured: +31.5 MB of worker memory). The
 * options reach them only through this holder, which lets go once they are taken.
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
      for (const handle of native.handles ?? []) module.LDSO.loadedLibsByHandle[handle] = dso;
    }
    if (module.wasmTable.length !== this.tableSize) {
      throw new Error(`function table of ${module.wasmTable.length} slots, the snapshot's had ${this.tableSize}`);
    }
  }

  release() {
    this.stream = null;
    memoryImage.length = 0;
    memoryImage.bytes = null;
  }
}

export async function loadPyodide(options = {}) {
  const started = performance.now();
  const plain = { ...options, indexURL: INDEX_URL };
  const outcome = (fields) => {
    globalThis.bscInterpreterStart = { ...fields, ms: Math.round(performance.now() - started) };
  };
  let snapshot;
  try {
    snapshot = await findSnapshot(Array.isArray(options.packages) ? options.packages : []);
  } catch (error) {
    snapshot = { reason: `snapshot not readable: ${error?.message ?? error}` };
  }
  if (snapshot.stream) {
    const { delta } = snapshot.pointer;
    const handover = new Handover(snapshot.stream, snapshot.stdlibIndex, snapshot.natives, snapshot.pointer.table_size, delta);
    snapshot.stream = null;
    memoryImage.length = delta ? Number(delta.size) : 0;
    try {
      const pyodide = await loadPlainPyodide({
        ...plain,
        packages: [], // installed below: on demand when the site index allows
        lockFileContents: snapshot.lock,
        stdLibURL: EMPTY_ZIP,
        packageBaseUrl: SNAPSHOT_DIR,
        _loadSnapshot: handover,
        createPyodideModule: handover.createModule,
      });
      const installed = await installPackages(pyodide, snapshot, options.packages ?? []);
      const note = installed + (await addIntegrationBytecode(pyodide, snapshot));
      outcome({ snapshot: true, note });
      return pyodide;
    } catch (error) {
      handover.release();
      snapshot = { reason: `snapshot not restored: ${error?.message ?? error}` };
      console.warn(`[integration] ${snapshot.reason}; starting Python normally`);
    }
  }
  const pyodide = await loadPlainPyodide(plain);
  outcome({ snapshot: false, reason: snapshot.reason });
  return pyodide;
}
