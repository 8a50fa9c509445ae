// Finds the b+s Connects library the page included by relative URL
// (`cnx_connectsIntegrationLibrary.min.js`) and waits for `initIntegration`'s callback.
// The vendor's examples use it both as an object and as a class: both are supported.

/** Resolves to `cil` once the Integration API is ready; rejects with a readable reason. */
export function connectLibrary(global = window, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const library = global.ConnectsIntegrationLibrary;
    if (!library) {
      reject(new Error("ConnectsIntegrationLibrary is not defined: cnx_connectsIntegrationLibrary.min.js did not load"));
      return;
    }
    let cil = library;
    if (typeof library.initIntegration !== "function") {
      try {
        cil = new library();
      } catch (error) {
        reject(new Error(`ConnectsIntegrationLibrary could not be constructed: ${error?.message ?? error}`));
        return;
      }
    }
    if (typeof cil.initIntegration !== "function") {
      reject(new Error("ConnectsIntegrationLibrary has no initIntegration()"));
      return;
    }
    const timer = setTimeout(
      () => reject(new Error(`initIntegration did not call back within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    try {
      cil.initIntegration(() => {
        clearTimeout(timer);
        resolve(cil);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(new Error(`initIntegration failed: ${error?.message ?? error}`));
    }
  });
}
