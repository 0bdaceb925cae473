import { defineConfig } from "vite";

export default defineConfig({
  // The package loads its .wasm with `new URL(…, import.meta.url)`; Vite's dev-time
  // pre-bundling would move the module away from the file, so leave it out of it.
  optimizeDeps: { exclude: ["wa-groups"] },
});
