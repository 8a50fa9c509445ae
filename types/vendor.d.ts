// The vendored runtime's modules as the browser code imports them (static/vendor is fetched by
// tools/runtime.py and not type-checked): only what static/shim uses. Matched by the end of the
// import path, so `tsc` works with or without static/vendor present (jsconfig.json: noResolve).

declare module "*/pyscript-0.7.31/core.js" {
  /** Starts a PyScript worker running `url`; resolves once its Python top-level code ran. */
  export function PyWorker(url: string, options?: { config?: string; version?: string }): Promise<Worker>;
}

declare module "*/pyodide-314.0.7/pyodide.asm.mjs" {
  /** Emscripten's module factory for Pyodide (what `loadPyodide` calls itself). */
  export default function createPyodideModule(settings: object): Promise<any>;
}

declare module "*/pyodide-314.0.7/pyodide.mjs" {
  export const version: string;
  export function loadPyodide(options?: object): Promise<any>;
}
