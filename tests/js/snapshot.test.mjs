// The snapshot restore's helpers that need no Pyodide (static/shim/snapshot_*.mjs), against a
// stubbed `fetch`: every way a pointer, a download or a stored difference can be refused (the
// worker then starts normally), the packages' prefetch, and that no replaced global outlives the
// start. The restore itself runs in the browser tests (tests/e2e/test_snapshot_e2e.py).

import assert from "node:assert/strict";
import { test } from "node:test";

import { endPatches } from "../../static/shim/global_patches.mjs";
import { expectMemoryImage, keepMemoryImage, undoDelta, undoNativeDelta, wordChecksum } from "../../static/shim/snapshot_delta.mjs";
import { findSnapshot, shapeProblem, streamSnapshot } from "../../static/shim/snapshot_find.mjs";
import { FORMAT } from "../../static/shim/snapshot_pointer.mjs";
import { coversLock, packagesNeeded, prefetchPackages } from "../../static/shim/snapshot_packages.mjs";

const DIR = "http://snapshot.test/static/snapshot/";
const nativeFetch = globalThis.fetch;

/** Answer `fetch` from `files` (name in DIR -> bytes, or a status); record every request. */
function serve(files) {
  const requested = [];
  const stub = async (resource, init) => {
    const url = resource instanceof Request ? resource.url : String(resource);
    requested.push({ url: url.replace(DIR, ""), integrity: init?.integrity });
    const body = files[url.replace(DIR, "")];
    if (body === undefined || typeof body === "number") return new Response("", { status: body ?? 404 });
    return new Response(body, { status: 200 });
  };
  globalThis.fetch = stub;
  return { requested, stub };
}

/** A Pyodide snapshot's bytes: the magic number, where the memory starts, then `memory`. */
function pyodideSnapshot(memory, offset = 8) {
  const bytes = new Uint8Array(offset + memory.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x00736e70, false);
  view.setUint32(4, offset, true);
  bytes.set(memory, offset);
  return bytes;
}

const xor = (a, b) => a.map((byte, i) => byte ^ b[i]);

function validPointer() {
  return {
    format: FORMAT, pyodide: "1.0", size: 16, table_size: 5,
    integration_bytecode: "integration-a.zip", site_packages: { file: "site-index-a.json" },
    stdlib_index: { file: "stdlib-index-a.bin", offset: 4, archive_size: 8 },
    parts: [{ file: "interpreter-a.bin", offset: 0, size: 4 }, { file: "interpreter-b.bin", offset: 8, size: 8 }],
  };
}

test("the snapshot's parts stream into one buffer, zeros between them", async () => {
  serve({ "interpreter-a.bin": new Uint8Array([1, 2, 3, 4]), "interpreter-b.bin": new Uint8Array([5, 6, 7, 8, 9, 10, 11, 12]) });
  const { target, complete } = streamSnapshot(validPointer().parts, 16, DIR);
  await complete;
  assert.deepEqual([...target], [1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 9, 10, 11, 12]);
});

for (const [name, files, parts, reason] of [
  ["a part missing", { "interpreter-a.bin": new Uint8Array(4) }, validPointer().parts, /snapshot file missing \(HTTP 404\)/],
  ["a part truncated", { "interpreter-a.bin": new Uint8Array(4), "interpreter-b.bin": new Uint8Array(7) },
    validPointer().parts, /snapshot truncated \(7 of 8 bytes\)/],
  ["a part longer than recorded", { "interpreter-a.bin": new Uint8Array(4), "interpreter-b.bin": new Uint8Array(9) },
    validPointer().parts, /longer than its recorded 8 bytes/],
  ["parts out of order", {}, [...validPointer().parts].reverse(), /snapshot parts do not fit/],
  ["a part past the end", {}, [{ file: "interpreter-a.bin", offset: 12, size: 8 }], /snapshot parts do not fit/],
]) {
  test(`the snapshot's download is refused with ${name}`, async () => {
    serve(files);
    await assert.rejects(streamSnapshot(parts, 16, DIR).complete, reason);
  });
}

test("a pointer that cannot be used says why, and nothing of the snapshot is fetched", async () => {
  const cases = [
    [404, /^no snapshot \(HTTP 404\)$/],
    [new TextEncoder().encode("{"), /^snapshot not readable: /],
    [{ ...validPointer(), format: FORMAT - 1 }, new RegExp(`^the snapshot pointer is of format ${FORMAT - 1}`)],
    [{ ...validPointer(), table_size: undefined }, /^the snapshot pointer does not validate \(table_size is missing\)$/],
    [{ ...validPointer(), pyodide: "0.1" }, /^the snapshot was made for Pyodide 0.1, this is 1.0$/],
  ];
  for (const [pointer, reason] of cases) {
    const body = typeof pointer === "number" || pointer instanceof Uint8Array ? pointer : JSON.stringify(pointer);
    const { requested } = serve({ "snapshot.json": body });
    const found = await findSnapshot(DIR, "1.0", []);
    assert.match(found.reason, reason);
    assert.equal(found.stream, undefined);
    assert.deepEqual(requested.map((request) => request.url), ["snapshot.json"]);
  }
});

test("the pointer's shape is checked key by key, into nested models", () => {
  assert.equal(shapeProblem(validPointer(), "SnapshotPointer"), "");
  assert.equal(shapeProblem({ ...validPointer(), parts: {} }, "SnapshotPointer"), "parts is not an array");
  assert.equal(shapeProblem({ ...validPointer(), parts: [{ file: "x", offset: "0", size: 1 }] }, "SnapshotPointer"),
    "parts.0.offset is string, expected number");
  assert.equal(shapeProblem({ ...validPointer(), delta: 3 }, "SnapshotPointer"), "delta is number, expected an object");
  assert.equal(shapeProblem({ ...validPointer(), delta: { offset: 8 } }, "SnapshotPointer"), "delta.size is missing");
  assert.equal(shapeProblem({ ...validPointer(), site_packages: undefined }, "SnapshotPointer"), "site_packages is missing");
});

test("the checksum is tools/snapshot_delta.py's word_checksum", () => {
  assert.equal(wordChecksum(new Uint8Array(0)), 0x811c9dc5);
  assert.equal(wordChecksum(new Uint8Array([1, 2, 3, 4])), Number((BigInt(0x811c9dc5 ^ 0x04030201) * 0x01000193n) & 0xffffffffn));
});

test("the memory's start is undone with the image instantiation left, and only with it", () => {
  const memory = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2]);
  const image = new Uint8Array([1, 1, 1, 1, 2, 2, 2, 2]);
  const instance = { exports: { memory: { buffer: new Uint8Array([...image, 0, 0, 0, 0]).buffer } } };
  const stored = pyodideSnapshot(new Uint8Array([...xor(memory.subarray(0, 8), image), ...memory.subarray(8)]));
  expectMemoryImage(8);
  keepMemoryImage(instance);
  undoDelta(stored, { offset: 8, size: 8 });
  assert.deepEqual(stored, pyodideSnapshot(memory));
  // Taken once: a second restore has no image, and the delta must start where the header says.
  assert.throws(() => undoDelta(stored, { offset: 8, size: 8 }), /no memory image/);
  keepMemoryImage(instance);
  assert.throws(() => undoDelta(stored, { offset: 12, size: 8 }), /does not fit its memory \(at 8\)/);
  keepMemoryImage(instance);
  assert.throws(() => undoDelta(new Uint8Array(16), { offset: 8, size: 8 }), /no magic number/);
  expectMemoryImage(0);
  keepMemoryImage(instance);
  assert.throws(() => undoDelta(stored, { offset: 8, size: 8 }), /no memory image/);
});

test("an extension's region is undone only with the image it was stored against", () => {
  const image = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const native = { module: "ext.so", memory: [4, 12], delta: { size: 8, checksum: wordChecksum(image) } };
  const memory = new Uint8Array(16).map((_, i) => i);
  const stored = pyodideSnapshot(memory);
  stored.set(xor(memory.subarray(4, 12), image), 12);
  undoNativeDelta(stored, native, { image: image.slice() });
  assert.deepEqual(stored, pyodideSnapshot(memory));
  assert.throws(() => undoNativeDelta(stored, native, { image: image.map((byte) => byte ^ 1) }), /loaded with other data/);
  assert.throws(() => undoNativeDelta(stored, native, { image: null }), /loaded with other data/);
  assert.throws(() => undoNativeDelta(stored, { ...native, memory: [12, 20] }, { image }), /lies outside the snapshot/);
});

const LOCK = {
  packages: {
    pydantic: { file_name: "pydantic.whl", sha256: "00ff", depends: ["pydantic-core", "typing-extensions"] },
    "pydantic-core": { file_name: "pydantic_core.whl", sha256: "0102", depends: ["typing-extensions"] },
    "typing-extensions": { file_name: "typing_extensions.whl", sha256: "a0b0", depends: [] },
    other: { file_name: "other.whl", sha256: "ffff", depends: [] },
  },
};

test("the packages a start installs are the requested ones and what they depend on", () => {
  assert.deepEqual([...packagesNeeded(LOCK, ["Pydantic_Core>=2", "unknown"])].sort(), ["pydantic-core", "typing-extensions"]);
  assert.deepEqual([...packagesNeeded(LOCK, ["pydantic"])].sort(), ["pydantic", "pydantic-core", "typing-extensions"]);
});

test("a site index is used only when it covers every wheel of the lock as it is", () => {
  const index = { packages: Object.fromEntries(Object.entries(LOCK.packages).map(([key, entry]) =>
    [key, { file: entry.file_name, sha256: entry.sha256, files: [] }])) };
  assert.equal(coversLock(index, LOCK), true);
  assert.equal(coversLock({ packages: { ...index.packages, other: { ...index.packages.other, sha256: "0000" } } }, LOCK), false);
  assert.equal(coversLock({ packages: { pydantic: index.packages.pydantic } }, LOCK), false);
  assert.equal(coversLock(index, { packages: {} }), false);
  assert.equal(coversLock(null, LOCK), false);
});

// These end the start (static/shim/global_patches.mjs refuses any replacement after): last.

test("prefetched wheels are handed to the same request once, then fetch is the original again", async () => {
  const files = { "pydantic.whl": new Uint8Array([1]), "pydantic_core.whl": new Uint8Array([2]),
    "typing_extensions.whl": new Uint8Array([3]) };
  const { requested, stub } = serve(files);
  prefetchPackages(LOCK, packagesNeeded(LOCK, ["pydantic-core"]), DIR);
  assert.notEqual(globalThis.fetch, stub);
  assert.deepEqual(requested, [
    { url: "pydantic_core.whl", integrity: "sha256-AQI=" }, { url: "typing_extensions.whl", integrity: "sha256-oLA=" }]);
  // Another integrity, or another file: fetched as asked.
  await globalThis.fetch(`${DIR}pydantic_core.whl`, { integrity: "sha256-other" });
  await globalThis.fetch(`${DIR}pydantic.whl`);
  assert.equal(requested.length, 4);
  const core = await globalThis.fetch(new Request(`${DIR}pydantic_core.whl`), { integrity: "sha256-AQI=" });
  assert.deepEqual(new Uint8Array(await core.arrayBuffer()), new Uint8Array([2]));
  assert.notEqual(globalThis.fetch, stub);
  await globalThis.fetch(`${DIR}typing_extensions.whl`, { integrity: "sha256-oLA=" });
  assert.equal(requested.length, 4);
  assert.equal(globalThis.fetch, stub);
});

test("the start's end puts fetch back with wheels still prefetched, and prefetches nothing after", () => {
  const { requested, stub } = serve({});
  prefetchPackages(LOCK, packagesNeeded(LOCK, ["pydantic"]), DIR);
  assert.notEqual(globalThis.fetch, stub);
  endPatches();
  assert.equal(globalThis.fetch, stub);
  prefetchPackages(LOCK, packagesNeeded(LOCK, ["other"]), DIR);
  assert.equal(globalThis.fetch, stub);
  assert.deepEqual(requested.map((request) => request.url), ["pydantic.whl", "pydantic_core.whl", "typing_extensions.whl"]);
  globalThis.fetch = nativeFetch;
});
