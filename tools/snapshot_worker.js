// Runs inside a module Worker in headless Chromium (started from a blob URL by tools/snapshot.py),
// the same kind of global scope the integration's PyScript worker has, so the snapshot it makes is
// restored into a matching environment. Two phases, each in a fresh worker:
//   discover: a normal Pyodide with the real packages imports the integration and lists the
//             modules that may be frozen (stdlib and pure-Python dependencies); it also compiles
//             the integration's sources to bytecode, for the modules a start does not freeze;
//   freeze:   a Pyodide started with `_makeSnapshot` imports only those and returns the memory.
// A compiled extension (pydantic-core) is loaded before the runtime starts, in both phases of its
// life (here and at restore), so its place in memory and in the function table never changes.

const writeTree = (pyodide, files) => {
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i += 1) {
      const dir = parts.slice(0, i).join("/");
      if (!pyodide.FS.analyzePath(dir).exists) pyodide.FS.mkdir(dir);
    }
    pyodide.FS.writeFile(path, text);
  }
};

const toBase64 = (bytes) => {
  let text = "";
  for (let at = 0; at < bytes.length; at += 0x8000) text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(text);
};

/** Run a script of tools/snapshot_scripts/ with its inputs as globals; it returns JSON text. */
const runScript = (pyodide, script, inputs) => {
  for (const [name, value] of Object.entries(inputs)) pyodide.globals.set(name, pyodide.toPy(value));
  return JSON.parse(pyodide.runPython(script));
};

async function discover({ pyodideUrl, indexURL, packages, files, script, inputs }) {
  const { loadPyodide } = await import(pyodideUrl);
  const pyodide = await loadPyodide({ indexURL, packages });
  writeTree(pyodide, files);
  return runScript(pyodide, script, inputs);
}

/**
 * Zero the memory nothing uses any more, so the snapshot compresses better:
 * freed heap chunks and the unused part of the stack still hold the bytes of everything the
 * imports did (source text, compiler scratch). Every free chunk is taken with malloc, from large
 * to small, cleared and given back; a chunk reaching past the heap's old top means the free lists
 * are empty for that size (memory there was never written). The stack below the current frame is
 * dead. Nothing that is in use is touched, so the snapshot restores exactly as before.
 */
function scrubFreeMemory(pyodide) {
  const module = pyodide._module;
  pyodide.runPython("import gc; gc.collect()");
  const sbrk = module._emscripten_get_sbrk_ptr();
  const top = module.HEAPU32[sbrk >> 2];
  const memoryBefore = module.HEAP8.length;
  const taken = [];
  let cleared = 0;
  // 256 KiB and down: a larger request could make malloc grow the memory (and the snapshot).
  for (let size = 1 << 18; size >= 8; size >>= 1) {
    for (;;) {
      // Past the free lists, malloc extends the heap: only while that fits in the memory as it is.
      if (module.HEAP8.length - module.HEAPU32[sbrk >> 2] < size + 65536) break;
      const chunk = module._malloc(size);
      if (!chunk) break;
      taken.push(chunk);
      const end = Math.min(chunk + size, top);
      if (end > chunk) {
        module.HEAPU8.fill(0, chunk, end);
        cleared += end - chunk;
      }
      if (chunk + size > top) break;
    }
  }
  for (const chunk of taken) module._free(chunk);
  const stackEnd = module._emscripten_stack_get_end();
  const stackInUse = module._emscripten_stack_get_current() - 1024; // keep a margin below the frame
  if (stackInUse > stackEnd) module.HEAPU8.fill(0, stackEnd, stackInUse);
  return { heapCleared: cleared, stackCleared: Math.max(0, stackInUse - stackEnd),
           memoryGrew: module.HEAP8.length - memoryBefore };
}

/**
 * Clear the read/write buffers of sys.stdin, sys.stdout and sys.stderr (128 kB each in Python
 * 3.14). They hold whatever the memory they were given held before: stdin's, never read, held a
 * piece of the stdlib's archive read at start-up, bytes that no compressor shrinks. Nothing in
 * them is live: stdin is never read while the snapshot is made and the other two are flushed
 * first. Python says where each buffered object is and how large its buffer is; the buffer is the
 * one pointer in the object to a heap block of exactly that size (malloc's header says so).
 * Anything less certain is reported and left alone.
 */
function clearStreamBuffers(pyodide) {
  const module = pyodide._module;
  const scope = pyodide.toPy({}); // its own globals: nothing of this is left in __main__
  const streams = JSON.parse(pyodide.runPython(`
import json, sys
for stream in (sys.stdout, sys.stderr):
    stream.flush()
json.dumps([{"name": name, "at": id(stream.buffer), "basic": type(stream.buffer).__basicsize__,
             "size": stream.buffer.__sizeof__() - type(stream.buffer).__basicsize__}
            for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
            if hasattr(stream, "buffer")])`, { globals: scope }));
  scope.destroy();
  const cleared = [];
  const left = [];
  for (const { name, at, basic, size } of streams) {
    const chunk = (size + 4 + 7) & ~7; // malloc's block for `size` bytes, its 4-byte header included
    const found = [];
    for (let field = at + 8; field + 4 <= at + basic; field += 4) {
      const pointer = module.HEAPU32[field >>> 2];
      if (!pointer || pointer % 8 || pointer + size > module.HEAPU8.length) continue;
      const header = module.HEAPU32[(pointer - 4) >>> 2];
      if ((header & ~7) === chunk && header & 2) found.push(pointer);
    }
    if (size < 4096 || found.length !== 1) {
      left.push({ name, size, candidates: found.length });
      continue;
    }
    module.HEAPU8.fill(0, found[0], found[0] + size);
    cleared.push({ name, bytes: size });
  }
  return { cleared, left };
}

// Where Emscripten's `struct dso` (a dlopen handle) keeps the library's name and the copy of its
// file; this build's own JS reads them there (dlopenInternal, loadLibData in pyodide.asm.mjs).
const DSO_FILE_DATA = 28;
const DSO_FILE_DATA_SIZE = 32;
const DSO_NAME = 36;

/**
 * Give back the copy of each loaded library's file that Emscripten's dlopen keeps in the wasm
 * memory for good (`dso->file_data`: pydantic-core's whole module, which compresses poorly,
 * and the same bytes as the native-*.wasm a start downloads anyway). It only serves loading the
 * library again under the same handle, which never happens: the library is loaded already, for
 * good, and a restore loads it from native-*.wasm. A handle is touched only when its name and the
 * copy's size and first bytes say it is what we think; anything else is reported and left alone.
 */
function releaseLibraryFiles(pyodide) {
  const module = pyodide._module;
  const released = [];
  const kept = [];
  for (const [key, dso] of Object.entries(module.LDSO.loadedLibsByHandle)) {
    const handle = Number(key);
    if (!handle) continue;
    const data = module.HEAPU32[(handle + DSO_FILE_DATA) >>> 2];
    const size = module.HEAPU32[(handle + DSO_FILE_DATA_SIZE) >>> 2];
    if (!data && !size) continue;
    const name = module.UTF8ToString(handle + DSO_NAME);
    const isWasm = module.HEAPU32[data >>> 2] === 0x6d736100; // "\0asm"
    let fileSize = -1;
    try { fileSize = pyodide.FS.stat(name).size; } catch { /* no such file: left alone below */ }
    if (name !== dso.name || !isWasm || size !== fileSize) {
      kept.push({ handle, name: dso.name, why: `handle names ${JSON.stringify(name)}, copy of ${size} bytes` });
      continue;
    }
    module.HEAPU8.fill(0, data, data + size); // before free(): after it, malloc's own fields live there
    module._free(data);
    module.HEAPU32[(handle + DSO_FILE_DATA) >>> 2] = 0;
    module.HEAPU32[(handle + DSO_FILE_DATA_SIZE) >>> 2] = 0;
    released.push({ name, bytes: size });
  }
  return { released, kept };
}

/**
 * Compiled extensions are loaded before the runtime starts (static/shim/natives.mjs), so that
 * their data is part of the snapshot at a place a restore can load them at again; where they went,
 * the dlopen handles Python holds for them and the function table's final size are reported for
 * the restore to check and rebuild.
 *
 * The interpreter runs without column positions in its code objects (PYTHONNODEBUGRANGES, kept
 * by the restored interpreter too): tracebacks keep their lines but lose the ^^^ markers under
 * them, and the snapshot is smaller.
 */
async function freeze({ pyodideUrl, indexURL, nativesUrl, natives, packages, files, script, inputs }) {
  const { loadPyodide, version } = await import(pyodideUrl);
  const { default: createModule } = await import(new URL("pyodide.asm.mjs", indexURL).href);
  const { preloadNatives } = await import(nativesUrl);
  const toLoad = natives.map(({ module, url }) => ({ module, compiled: WebAssembly.compileStreaming(fetch(url)) }));
  let placed = Promise.resolve([]);
  const pyodide = await loadPyodide({
    indexURL, packages, _makeSnapshot: true, env: { PYTHONNODEBUGRANGES: "1" },
    createPyodideModule: (settings) => {
      placed = preloadNatives(settings, toLoad);
      return createModule(settings);
    },
  });
  const placement = await placed;
  writeTree(pyodide, files);
  const report = runScript(pyodide, script, inputs);
  const ldso = pyodide._module.LDSO;
  for (const record of placement) {
    record.handles = Object.entries(ldso.loadedLibsByHandle)
      .filter(([handle, dso]) => Number(handle) && dso.name === record.path).map(([handle]) => Number(handle));
  }
  const instances = Object.values(ldso.loadedLibsByName).map((dso) => dso.name);
  // makeMemorySnapshot refuses while packages are recorded as loaded; they are installed again
  // (files only) when the snapshot is restored with the page's `packages`.
  const loaded = pyodide.loadedPackages;
  const saved = { ...loaded };
  for (const name of Object.keys(loaded)) delete loaded[name];
  report.libraryFiles = releaseLibraryFiles(pyodide);
  report.streamBuffers = clearStreamBuffers(pyodide);
  report.scrub = scrubFreeMemory(pyodide);
  // Each extension's memory as loading left it, for tools/snapshot.py to store its region as a
  // difference from it (a restore takes the same copy when it loads the extension again).
  report.natives = placement.map(({ image, ...record }) => ({ ...record, image: toBase64(image) }));
  report.libraries = instances;
  report.tableSize = pyodide._module.wasmTable.length;
  const bytes = pyodide.makeMemorySnapshot();
  Object.assign(loaded, saved);
  return { report, version, bytes };
}

self.onmessage = async ({ data }) => {
  try {
    const result = data.phase === "discover" ? await discover(data) : await freeze(data);
    self.postMessage({ ok: true, result }, result.bytes ? [result.bytes.buffer] : []);
  } catch (error) {
    self.postMessage({ ok: false, error: String(error?.stack ?? error) });
  }
};
