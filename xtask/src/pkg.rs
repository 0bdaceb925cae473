//! `cargo xtask pkg`: the npm package `wa-groups` in `pkg/`, one build per environment
//! behind an `exports` map:
//!
//! - `pkg/node/`: `wasm-pack --target nodejs` (CommonJS, loads the `.wasm` from disk) plus an
//!   ES-module face, `index.mjs`, for `import` in Node ≥ 20;
//! - `pkg/web/`: `wasm-pack --target web` (an ES module) plus `index.js`, which instantiates
//!   the `.wasm` with a top-level `await`, so that bundlers (Vite) and plain
//!   `<script type="module">` pages use the package with no set-up call. `wa-groups/web`
//!   is the bare build, for those who want to call `init()` themselves.
//!
//! Each entry's types declare exactly what it exports at run time, default included (the
//! Node ES face has one, the browser face has none), and compile with `strict` and without
//! `skipLibCheck` whatever the consumer's `lib` (see [`dispose_where_known`]);
//! tests/consumers/run.mjs checks both.

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

    // Both builds' types: `[Symbol.dispose]` only where the consumer's lib knows the symbol.
    for dir in ["node", "web"] {
        let path = pkg.join(dir).join("wa_groups.d.ts");
        let dts = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        write(&path, &dispose_where_known(&dts)?)?;
    }

    // The ES-module face of the Node build: the CommonJS exports, by name, and the whole
    // `module.exports` as the default export (what `import wa from` gives for a CommonJS
    // module); its types say exactly that.
    let names = public_exports(
        "console.log(Object.keys(require('./pkg/node/wa_groups.js')).join(' '))",
        "pkg/node/wa_groups.js",
    )?;
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
        "// The types of index.mjs: the CommonJS build's exports by name, and its\n\
         // `module.exports` (the same exports) as the default export. Not the namespace\n\
         // itself, to which tsc adds a `default` (module.exports) that module.exports lacks.\n\
         import * as wasm from \"./wa_groups.js\";\n\n\
         export * from \"./wa_groups.js\";\n\
         declare const moduleExports: Omit<typeof wasm, \"default\">;\n\
         export default moduleExports;\n",
    )?;

    // The browser face: the build's exports by name once the .wasm is instantiated. Not
    // `export *`, which would pass on wasm-bindgen's internal `__wasm` too.
    let names: Vec<String> = public_exports(
        "import('./pkg/web/wa_groups.js').then((m) => console.log(Object.keys(m).join(' ')))",
        "pkg/web/wa_groups.js",
    )?
    .into_iter()
    .filter(|name| name != "default")
    .collect();
    write(
        &pkg.join("web/index.js"),
        &format!(
            "// wa-groups for browsers and bundlers: the .wasm is instantiated on import (top-level\n\
             // await), so every export is ready to use. `wa-groups/web` is the build without it.\n\
             import init from \"./wa_groups.js\";\n\n\
             await init();\n\n\
             export {{ {} }} from \"./wa_groups.js\";\n",
            names.join(", ")
        ),
    )?;
    // `export *` of the types re-exports the same values (no default, no `__wasm`: neither
    // is declared in wa_groups.d.ts) and every type.
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

/// The export names a build's module has, as `script` prints them (space-separated) from
/// the repository root, without wasm-bindgen's internals (`__wasm`).
fn public_exports(script: &str, module: &str) -> Result<Vec<String>, String> {
    let names = output_of("node", &["-e", script])
        .ok_or_else(|| format!("could not load {module} to list its exports"))?;
    let names: Vec<String> = names
        .split_whitespace()
        .filter(|name| !name.starts_with("__"))
        .map(str::to_owned)
        .collect();
    if !names.iter().any(|name| name == "GroupsClient") {
        return Err(format!("{module} exports no GroupsClient: {names:?}"));
    }
    Ok(names)
}

/// wasm-bindgen declares `[Symbol.dispose](): void;` in every exported class, which only
/// compiles where the consumer's TypeScript `lib` declares `Symbol.dispose`
/// (`esnext.disposable`, TypeScript ≥ 5.2): elsewhere `tsc` fails in our .d.ts with
/// "TS2550: Property 'dispose' does not exist on type 'SymbolConstructor'", unless the
/// consumer turns on `skipLibCheck`.
///
/// The two known ways out: declare the symbol globally, as `@types/node` does
/// (`interface SymbolConstructor { readonly dispose: unique symbol }`), or declare the
/// method only where the lib has the symbol, as `@preact/signals-core` does (a conditional
/// type). We take the second: a library should not add globals to its users' programs,
/// and a global `Symbol.dispose` would type-check user code that then fails in a browser
/// without it. It is also exactly what the JavaScript does: wasm-bindgen's glue sets
/// `prototype[Symbol.dispose]` only `if (Symbol.dispose)`. So the line goes, and each such
/// class is merged with an interface that has `[Symbol.dispose]` when the lib knows the
/// symbol and nothing when it does not (`SymbolConstructor["dispose" & keyof …]` is then
/// `never`, a mapped type over `never` is `{}`); `using client = …` keeps working for those
/// who have the lib.
fn dispose_where_known(dts: &str) -> Result<String, String> {
    const METHOD: &str = "    [Symbol.dispose](): void;";
    let mut out = String::with_capacity(dts.len() + 1024);
    let mut class = None;
    let mut classes = Vec::new();
    for line in dts.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("export class ") {
            class = rest.split([' ', '{', '<']).next().map(str::to_owned);
        }
        if line.trim_end() == METHOD {
            classes.push(class.clone().ok_or("[Symbol.dispose] outside a class")?);
            continue;
        }
        out.push_str(line);
    }
    if out.contains("Symbol.dispose") {
        return Err(
            "wa_groups.d.ts names Symbol.dispose in a way xtask/src/pkg.rs does not expect: \
             the types would need lib esnext.disposable"
                .into(),
        );
    }
    if classes.is_empty() {
        return Ok(out);
    }
    out.push_str(
        "\n/** `Symbol.dispose` where the TypeScript `lib` in use declares it, `never` elsewhere. */\n\
         type DisposeSymbol = SymbolConstructor[\"dispose\" & keyof SymbolConstructor];\n\n\
         /**\n \
         * `[Symbol.dispose]()`, the same as `free()`, so that `using` frees the object: declared\n \
         * where the lib knows `Symbol.dispose` (esnext.disposable), as the JavaScript defines\n \
         * it only where the runtime has the symbol; nothing elsewhere, so that these types need\n \
         * no lib for it.\n \
         */\n\
         type DisposableWhereKnown = { [K in DisposeSymbol]: () => void };\n\n",
    );
    for class in classes {
        out.push_str(&format!(
            "export interface {class} extends DisposableWhereKnown {{}}\n"
        ));
    }
    // Only what is exported above is exported (a declaration file exports every top-level
    // declaration otherwise, these two helper types included).
    out.push_str("\nexport {};\n");
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::dispose_where_known;

    const GENERATED: &str = "export class GroupsClient {\n    private constructor();\n    free(): void;\n    [Symbol.dispose](): void;\n    readonly provider: ProviderKind;\n}\nexport function isGroupsError(value: unknown): value is GroupsError;\n";

    #[test]
    fn symbol_dispose_moves_to_an_interface_that_needs_no_lib() {
        let dts = dispose_where_known(GENERATED).unwrap();
        assert!(!dts.contains("    [Symbol.dispose](): void;"), "{dts}");
        assert!(
            dts.contains("    free(): void;\n    readonly provider"),
            "{dts}"
        );
        assert!(
            dts.contains("export interface GroupsClient extends DisposableWhereKnown {}"),
            "{dts}"
        );
        assert!(dts.contains(
            "type DisposeSymbol = SymbolConstructor[\"dispose\" & keyof SymbolConstructor];"
        ));
        assert!(dts.trim_end().ends_with("export {};"), "{dts}");
    }

    #[test]
    fn types_without_it_are_left_alone_and_other_uses_fail_the_build() {
        let plain = "export function f(): void;\n";
        assert_eq!(dispose_where_known(plain).unwrap(), plain);
        assert!(dispose_where_known("export const k: typeof Symbol.dispose;\n").is_err());
    }
}
