// ESLint (flat config) for the three front ends: the PWA, the editor and guide scripts, the OGC pages.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/**", "bench/out/**", ".venv/**"] },
  js.configs.recommended,
  {
    files: ["pwa/**/*.js", "server/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      // Leaflet and protomaps-leaflet are classic scripts served from /vendor: their globals are read-only.
      globals: { ...globals.browser, L: "readonly", protomapsL: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["pwa/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ["eslint.config.mjs", "scripts/**/*.js", "bench/**/*.js"],
    languageOptions: { globals: { ...globals.node } },
  },
];
