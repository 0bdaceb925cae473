//! `cargo xtask pkg`: the npm package `wa-groups` in `pkg/`, one build per environment
//! behind an `exports` map:
//!
//! - `pkg/node/`: `wasm-pack --target nodejs` (CommonJS, loads the `.wasm` from disk) plus an
//!   ES-module face, `index.mjs`, for `import` in Node ≥ 20;
//! - `pkg/web/`: `wasm-pack --target web` (an ES module) plus `index.js`, which instantiates
//!   the `.wasm` with a top-level `await`, so that bundlers (Vite) and plain
//!   `<script type="module">` pages use the package with no set-up call. `wa-groups/web`
//!   is the bare build, for those who want to call `init()` themselves.

use crate::files::{copy, write};
use crate::process::{cmd, exec, output_of};
use crate::root;

pub fn build() -> Result<(), String> {
    let root = root();
    let pkg = root.join("pkg");
    let _ = std::fs::remove_dir_all(&pkg);
    for (target, dir) in [("nodejs", "pkg/node"), ("web", "pkg/web")] {
        exec(cmd("wasm-pack").args([
            "build",
            "--release",
            "--target",
            target,
            "--out-dir",
            dir,
            "--no-pack",
            ".",
        ]))?;
        // wasm-pack leaves a `.gitignore` of `*` in each folder, which would keep npm from
        // packing anything.
        let _ = std::fs::remove_file(root.join(dir).join(".gitignore"));
    }
    write(
        &pkg.join("node/package.json"),
        "{ \"type\": \"commonjs\" }\n",
    )?;
    write(&pkg.join("web/package.json"), "{ \"type\": \"module\" }\n")?;

    // The ES-module face of the Node build: the CommonJS exports, by name.
    let names = output_of(
        "node",
        &[
            "-e",
            "console.log(Object.keys(require('./pkg/node/wa_groups.js')).join(' '))",
        ],
    )
    .ok_or("could not load pkg/node/wa_groups.js to list its exports")?;
    let names: Vec<&str> = names.split_whitespace().collect();
    if !names.contains(&"GroupsClient") {
        return Err(format!("pkg/node exports no GroupsClient: {names:?}"));
    }
    write(
        &pkg.join("node/index.mjs"),
        &format!(
            "// wa-groups for Node's `import`: the CommonJS build's exports, by name.\n\
             import wasm from \"./wa_groups.js\";\n\n\
             export const {{ {} }} = wasm;\n\
             export default wasm;\n",
            names.join(", ")
        ),
    )?;
    write(
        &pkg.join("node/index.d.mts"),
        "export * from \"./wa_groups.js\";\n",
    )?;
    write(
        &pkg.join("web/index.js"),
        "// wa-groups for browsers and bundlers: the .wasm is instantiated on import (top-level\n\
         // await), so every export is ready to use. `wa-groups/web` is the build without it.\n\
         import init from \"./wa_groups.js\";\n\n\
         await init();\n\n\
         export * from \"./wa_groups.js\";\n",
    )?;
    write(
        &pkg.join("web/index.d.ts"),
        "export * from \"./wa_groups.js\";\n",
    )?;

    let version = crate::setup::manifest_version()?;
    write(&pkg.join("package.json"), &package_json(&version))?;
    copy(&root.join("npm/README.md"), &pkg.join("README.md"))?;
    copy(&root.join("LICENSE"), &pkg.join("LICENSE"))?;
    eprintln!("pkg: wa-groups {version} in pkg/ (node/, web/)");
    Ok(())
}

fn package_json(version: &str) -> String {
    format!(
        r#"{{
  "name": "wa-groups",
  "version": "{version}",
  "description": "WhatsApp group management for the browser and Node: one neutral model over the WAHA and Wavy group APIs, in Rust compiled to WebAssembly.",
  "license": "MIT",
  "repository": {{ "type": "git", "url": "git+https://github.com/wa-groups/wa-groups.git" }},
  "homepage": "https://github.com/wa-groups/wa-groups#readme",
  "keywords": ["whatsapp", "groups", "waha", "wavy", "wasm", "webassembly"],
  "type": "module",
  "engines": {{ "node": ">=20" }},
  "exports": {{
    ".": {{
      "node": {{
        "import": {{ "types": "./node/index.d.mts", "default": "./node/index.mjs" }},
        "require": {{ "types": "./node/wa_groups.d.ts", "default": "./node/wa_groups.js" }}
      }},
      "types": "./web/index.d.ts",
      "default": "./web/index.js"
    }},
    "./web": {{ "types": "./web/wa_groups.d.ts", "default": "./web/wa_groups.js" }},
    "./wasm": "./web/wa_groups_bg.wasm",
    "./package.json": "./package.json"
  }},
  "main": "./node/wa_groups.js",
  "module": "./web/index.js",
  "types": "./web/index.d.ts",
  "files": ["node/", "web/", "README.md", "LICENSE"],
  "sideEffects": ["./web/index.js"]
}}
"#
    )
}
