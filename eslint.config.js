// ESLint's recommended rules over the browser code, the snapshot tool's worker and the node:test
// files. The vendored runtime (static/vendor) and the files set-up makes are not linted.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/", "static/snapshot*/", "static/bundle/", "node_modules/", "build/", ".venv/"] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.browser } },
    // `const { event: _event, ...rest } = x` leaves a field out on purpose.
    rules: { "no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
  {
    // Classic scripts, as the vendor's library is, and the plain-JS integration that uses it.
    files: ["static/simulator/connects-library.js", "static/simulator/examples/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ConnectsIntegrationLibrary: "readonly" } },
  },
  {
    // Run in a module worker (the integration's and the snapshot tool's).
    files: ["tools/**/*.js", "static/shim/**/*.mjs"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: { ...globals.node } },
  },
];
