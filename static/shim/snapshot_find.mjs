// Finds the memory snapshot to restore and starts downloading it: the pointer (snapshot.json, checked
// against the shape tools/snapshot_pointer.py generates into static/shim/snapshot_pointer.mjs), the
// snapshot's parts streamed into one buffer, its lock file, the indexes of its wheels and of the
// stdlib, its compiled extensions and the integration's bytecode, all while Pyodide's own files load.

import { FORMAT, SHAPES } from "./snapshot_pointer.mjs";
import { coversLock, fetchSiteIndex, packagesNeeded, prefetchPackages } from "./snapshot_packages.mjs";

/**
 * Why `value` does not have the shape `shape` of static/shim/snapshot_pointer.mjs (the keys the
 * restore reads, with their JSON types), or "" when it has. A pointer that does not is never
 * used: the worker starts normally and says why.
 */
export function shapeProblem(value, shape, where = "") {
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
 * The snapshot's bytes, streamed into one buffer of the recorded size as they arrive, from its
 * parts (files of at most tools/snapshot_parts.py's PART_SIZE, downloaded in parallel; the long
 * runs of zeros between them are not stored). Pyodide needs them only to restore, after it
 * created its module: it gets the buffer at once, the module is created while the download runs,
 * and `complete` settles when every byte is in (or rejects: a part missing, truncated or longer
 * than recorded, parts out of order or overlapping).
 */
export function streamSnapshot(parts, size, dir) {
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
    return streamInto(new URL(String(part.file), dir), target.subarray(offset, offset + length));
  });
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
 * The compiled extensions (pydantic-core) that tools/snapshot_wheels.py copied out of their wheels,
 * compiled from the moment snapshot.json is read, while the snapshot downloads. They are loaded
 * before Pyodide's runtime starts, where the snapshot expects them (static/shim/natives.mjs): the
 * snapshot holds pydantic already imported. The snapshot's wheels hold a small stand-in in their
 * place, never loaded (the module is not downloaded twice). One that cannot be compiled is null:
 * the snapshot start then falls back to a normal one.
 */
function compileNatives(natives, dir) {
  return natives.map((native) => ({
    ...native,
    compiled: WebAssembly.compileStreaming(fetch(new URL(String(native.file), dir))).catch(() => null),
  }));
}

/**
 * The stdlib index tools/snapshot_wheels.py copied out of the archive (its central directory, to
 * the end), or null if it cannot be had (not found, or not the recorded size): then it is read
 * from the archive like the rest.
 */
async function fetchStdlibIndex(entry, dir) {
  try {
    const response = await fetch(new URL(String(entry.file), dir));
    const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    return bytes && bytes.length === entry.archive_size - entry.offset
      ? { offset: entry.offset, size: entry.archive_size, bytes } : null;
  } catch {
    return null;
  }
}

/**
 * The snapshot in `dir` to restore for Pyodide `version` and the `packages` PyScript installs: its
 * pointer, the stream of its bytes, and its lock file (the same wheels, with a stand-in for each
 * compiled extension) and the index of those wheels' files, all downloading while Pyodide's own
 * files load; or `{reason}`, why there is none to use. Never rejects.
 */
export async function findSnapshot(dir, version, packages) {
  try {
    return await readPointer(dir, version, packages);
  } catch (error) {
    return { reason: `snapshot not readable: ${error?.message ?? error}` };
  }
}

async function readPointer(dir, version, packages) {
  const pointerResponse = await fetch(new URL("snapshot.json", dir), { cache: "no-cache" });
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
  const natives = compileNatives(pointer.native ?? [], dir);
  const stream = streamSnapshot(pointer.parts, pointer.size, dir);
  const lock = fetch(new URL("pyodide-lock.json", dir)).then((response) => {
    if (!response.ok) throw new Error(`snapshot lock file missing (HTTP ${response.status})`);
    return response.json();
  });
  // The site index, only if it covers the lock's wheels: decided once, for the prefetch and the install.
  const siteIndex = Promise.all([lock, fetchSiteIndex(pointer.site_packages, dir)])
    .then(([contents, index]) => (coversLock(index, contents) ? index : null));
  Promise.all([lock, siteIndex]).then(([contents, index]) => {
    if (!index) prefetchPackages(contents, packagesNeeded(contents, packages), dir);
  }).catch(() => {});
  const integrationBytecode = fetch(new URL(String(pointer.integration_bytecode), dir))
    .then((response) => (response.ok ? response.arrayBuffer() : null));
  integrationBytecode.catch(() => {}); // awaited after the restore, which reports the failure
  const stdlibIndex = fetchStdlibIndex(pointer.stdlib_index, dir);
  return { dir, stream, pointer, lock, natives, integrationBytecode, stdlibIndex, siteIndex };
}
