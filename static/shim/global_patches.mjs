// Globals the interpreter module replaces while Python starts (`WebAssembly.instantiateStreaming`
// to hand Pyodide its wasm compiled early, `fetch` to hand it prefetched wheels). Each is put back
// as soon as it served its purpose, and every one still in place when the start ends, whatever
// its outcome: the integration's code and Pyodide's later downloads see the worker's own globals.

const restores = new Set();
let ended = false;

/**
 * Put `replacement` in place of `target[name]`. Returns the function that puts the original back
 * (once; not over a replacement someone else installed since), or null once the start ended:
 * then nothing is replaced.
 */
export function patchGlobal(target, name, replacement) {
  if (ended) return null;
  const original = target[name];
  target[name] = replacement;
  const restore = () => {
    if (!restores.delete(restore)) return;
    if (target[name] === replacement) target[name] = original;
  };
  restores.add(restore);
  return restore;
}

/** The start ended: put back every global still replaced, and replace none from now on. */
export function endPatches() {
  ended = true;
  for (const restore of [...restores]) restore();
}
