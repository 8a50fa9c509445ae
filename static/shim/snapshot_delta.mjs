// Undoes tools/snapshot_delta.py in the snapshot's bytes before Pyodide copies them into memory.
// Parts of the snapshot are stored XORed with memory the browser has anyway: the memory's start
// with what instantiating Pyodide's wasm leaves there (its static data, mostly unchanged by the
// time the snapshot is taken), each compiled extension's region with what loading it wrote. Those
// bytes become zeros, which compress to almost nothing. Any mismatch throws: restoring with
// another image would restore garbage, so the start falls back to a normal one.

/**
 * The memory as instantiating Pyodide's wasm leaves it (before any code ran), its first `length`
 * bytes: `expectMemoryImage` sets the length when a snapshot stored as a difference from it is to
 * be restored, `keepMemoryImage` copies it at instantiation.
 */
const memoryImage = { length: 0, bytes: null };

export function expectMemoryImage(length) {
  memoryImage.length = length;
  memoryImage.bytes = null;
}

export function keepMemoryImage(instance) {
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

/** Undo tools/snapshot_delta.py's `xor_into`: the memory's start, with the kept memory image. */
export function undoDelta(snapshot, delta) {
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
export function wordChecksum(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let value = 0x811c9dc5;
  for (let i = 0; i < words.length; i += 1) value = Math.imul(value ^ words[i], 0x01000193);
  return value >>> 0;
}

/**
 * Undo tools/snapshot_delta.py's `xor_native` for one compiled extension: its region of the
 * snapshot was stored XORed with its memory as loading left it (`placed.image`, taken the same
 * way when the snapshot was made, static/shim/natives.mjs). Only with that same image.
 */
export function undoNativeDelta(snapshot, native, placed) {
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
