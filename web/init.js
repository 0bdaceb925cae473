// Loads the panel. Trunk's inline loader is turned off (Trunk.toml: inject_scripts = false)
// so that the Content-Security-Policy can forbid inline scripts.
import init from "/wa-groups-web.js";

await init({ module_or_path: "/wa-groups-web_bg.wasm" });
