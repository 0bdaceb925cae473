// Real consumers of the npm package, as users install it: `npm pack` of pkg/, installed
// offline into a fresh project (target/consumer), then
//   1. a Node ES-module script (`import`),
//   2. a Node CommonJS script (`require`),
//   3. TypeScript consumers type-checked by `tsc` with `strict` and without `skipLibCheck`,
//      one test per tsconfig*.json here: moduleResolution "bundler" (the browser types),
//      module node16 and nodenext (an ES module and a CommonJS one: the Node types), with
//      and without lib esnext.disposable; and the exports each entry of the exports map
//      declares, compared with those it has at run time (in Node and in Chromium),
//   4. a plain HTML page with `<script type="module">` in headless Chromium,
//   5. the Vite + TypeScript app in examples/vite-app: `tsc`, `vite build`, then the built
//      page in headless Chromium against the sandbox.
// Each is one TAP test; any failure fails `cargo xtask test`.
// Usage: WA_GROUPS_SANDBOX_URL=<sandbox> node tests/consumers/run.mjs
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const here = import.meta.dirname;
const project = join(root, "target/consumer");
const sandbox = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";

// A fresh project with the packed package installed, as `npm install wa-groups` would.
rmSync(project, { recursive: true, force: true });
mkdirSync(project, { recursive: true });
const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", project, join(root, "pkg")], { encoding: "utf8" }).trim().split("\n").pop();
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", `./${tarball}`], { cwd: project, stdio: "inherit" });
const tsconfigs = readdirSync(here).filter((f) => /^tsconfig(\..+)?\.json$/.test(f)).sort();
for (const file of [
  "node-esm.mjs", "node-cjs.cjs", "page.html", "exports.html",
  "consumer.ts", "consumer.mts", "consumer.cts", "disposable.ts", "disposable.mts", ...tsconfigs,
]) {
  cpSync(join(here, file), join(project, file));
}
const env = { ...process.env, WA_GROUPS_SANDBOX_URL: sandbox };

test("the packed package holds both builds and nothing else", () => {
  const files = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", join(root, "pkg")], { encoding: "utf8" }))[0].files.map((f) => f.path).sort();
  for (const needed of ["package.json", "README.md", "LICENSE", "node/wa_groups.js", "node/index.mjs", "node/wa_groups_bg.wasm", "web/index.js", "web/wa_groups.js", "web/wa_groups_bg.wasm", "web/index.d.ts"]) {
    assert.ok(files.includes(needed), `${needed} is packed (${files.join(", ")})`);
  }
  assert.ok(files.every((f) => /^(package\.json|README\.md|LICENSE|node\/|web\/)/.test(f)), files.join(", "));
});

test("Node: import", () => {
  assert.match(execFileSync("node", ["node-esm.mjs"], { cwd: project, env, encoding: "utf8" }), /^ok/);
});

test("Node: require", () => {
  assert.match(execFileSync("node", ["node-cjs.cjs"], { cwd: project, env, encoding: "utf8" }), /^ok/);
});

for (const config of tsconfigs) {
  const { compilerOptions: options, extends: base } = JSON.parse(readFileSync(join(here, config), "utf8"));
  const { compilerOptions: inherited = {} } = base ? JSON.parse(readFileSync(join(here, base), "utf8")) : {};
  const { module, lib } = { ...inherited, ...options };
  test(`TypeScript: tsc -p ${config} (module ${module}, lib ${lib.join(" + ")}, strict, no skipLibCheck)`, () => {
    try {
      execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", config], { cwd: project, encoding: "utf8" });
    } catch (e) {
      assert.fail(`tsc -p ${config} failed:\n${e.stdout}${e.stderr}`);
    }
  });
}

/** The value exports (classes, functions, the default) that `spec` declares for a file
 * named `importer` (whose extension makes it an ES module or a CommonJS one), as tsc
 * resolves them with `options`. */
function declaredExports(spec, importer, options) {
  const ts = createRequire(join(root, "package.json"))("typescript");
  const file = join(project, importer);
  writeFileSync(file, `import * as face from "${spec}";\nexport { face };\n`);
  const { options: compilerOptions, errors } = ts.convertCompilerOptionsFromJson(
    { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022", "DOM"], types: [], ...options }, project,
  );
  assert.deepEqual(errors, []);
  const program = ts.createProgram([file], compilerOptions);
  const checker = program.getTypeChecker();
  const face = checker.getSymbolAtLocation(program.getSourceFile(file).statements[0].moduleSpecifier);
  assert.ok(face, `tsc resolves "${spec}" from ${importer}`);
  const value = (s) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
  return checker.getExportsOfModule(face).filter(value).map((s) => s.name).sort();
}

test("each entry of the exports map declares exactly the exports it has at run time, default included", async () => {
  const node = (args) => JSON.parse(execFileSync("node", args, { cwd: project, encoding: "utf8" }));
  const server = await serve(project);
  let browser;
  try {
    const { text, errors } = await inChromium(
      `http://127.0.0.1:${server.address().port}/exports.html`,
      () => document.getElementById("result").textContent !== "running",
      "#result",
    );
    assert.ok(text.startsWith("{"), `${text} ${errors.join("; ")}`);
    browser = JSON.parse(text);
  } finally {
    server.close();
  }
  const node16 = { module: "node16", moduleResolution: "node16" };
  const bundler = { module: "esnext", moduleResolution: "bundler" };
  // wasm-bindgen's own modules also export its internal `__wasm`, which they do not
  // declare; the entries `cargo xtask pkg` writes export only the public names.
  const publicOnly = (names) => names.filter((n) => !n.startsWith("__"));
  const faces = [
    ["Node import (node/index.mjs)",
      node(["--input-type=module", "-e", "console.log(JSON.stringify(Object.keys(await import('wa-groups'))))"]),
      declaredExports("wa-groups", "exports-check.mts", node16)],
    ["Node require (node/wa_groups.js)",
      publicOnly(node(["-e", "console.log(JSON.stringify(Object.keys(require('wa-groups'))))"])),
      declaredExports("wa-groups", "exports-check.cts", node16)],
    ["browsers and bundlers (web/index.js)", browser["."], declaredExports("wa-groups", "exports-check.ts", bundler)],
    ["wa-groups/web (web/wa_groups.js)", publicOnly(browser["./web"]), declaredExports("wa-groups/web", "exports-check.ts", bundler)],
  ];
  const mismatches = faces
    .map(([face, runtime, declared]) => [face, [...runtime].sort(), declared])
    .filter(([, runtime, declared]) => runtime.join() !== declared.join())
    .map(([face, runtime, declared]) => `${face} exports ${runtime.join(", ")} but declares ${declared.join(", ")}`);
  assert.deepEqual(mismatches, []);
});

/** Serves `dir` on a free loopback port; returns the server. */
async function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
  const server = createServer((req, res) => {
    let path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.endsWith("/")) path = join(path, "index.html");
    if (!path.startsWith(dir) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(readFileSync(path));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

/** Opens `url` in headless Chromium and returns the text of `selector` once `ready` holds. */
async function inChromium(url, ready, selector) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(ready, null, { timeout: 20000 });
    return { text: await page.textContent(selector), errors };
  } finally {
    await browser.close();
  }
}

test("a plain <script type=module> page in headless Chromium", async () => {
  const server = await serve(project);
  try {
    const { text, errors } = await inChromium(
      `http://127.0.0.1:${server.address().port}/page.html?sandbox=${encodeURIComponent(sandbox)}`,
      () => document.getElementById("result").textContent !== "running",
      "#result",
    );
    assert.equal(text, "ok", errors.join("; "));
  } finally {
    server.close();
  }
});

test("the Vite + TypeScript example: tsc, vite build, the built page in Chromium", async () => {
  const app = join(root, "target/consumer-vite");
  rmSync(app, { recursive: true, force: true });
  cpSync(join(root, "examples/vite-app"), app, {
    recursive: true,
    filter: (src) => !/node_modules|dist/.test(src.slice(root.length)),
  });
  // As a user would have it, but with the packed package and no registry: the tools
  // (vite, typescript) resolve from the repository's own node_modules above target/.
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  delete manifest.devDependencies;
  manifest.dependencies["wa-groups"] = `file:${join(project, tarball)}`;
  writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent"], { cwd: app, stdio: "inherit" });
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: app, stdio: "inherit" });
  execFileSync(join(root, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: app, stdio: "inherit" });

  const subject = `Vite consumer ${Date.now()}`;
  const made = await fetch(`${sandbox}/api/default/groups`, {
    method: "POST", headers: { "content-type": "application/json", "X-Api-Key": "sandbox" },
    body: JSON.stringify({ name: subject, participants: [] }),
  });
  assert.equal(made.status, 201);
  const server = await serve(join(app, "dist"));
  try {
    const { text, errors } = await inChromium(
      `http://127.0.0.1:${server.address().port}/?baseUrl=${encodeURIComponent(sandbox)}&session=default`,
      () => document.getElementById("status").textContent !== "Loading…",
      "#groups",
    );
    assert.ok(text.includes(subject), `the built app lists "${subject}": ${text} ${errors.join("; ")}`);
  } finally {
    server.close();
  }
});

describe("the recipes in examples/recipes, against the sandbox", () => {
  const recipes = join(project, "recipes");
  cpSync(join(root, "examples/recipes"), recipes, { recursive: true });
  const recipeEnv = { ...env, WA_BASE_URL: sandbox, WA_API_KEY: "sandbox", WA_SESSION: "default" };
  const run = (args) => execFileSync("node", args, { cwd: recipes, env: recipeEnv, encoding: "utf8" });
  const phones = [1, 2, 3].map((n) => `55119${String(Date.now() % 1e7).padStart(7, "0")}${n}`);
  let group;

  test("list-groups.mjs", async () => {
    const { GroupsClient } = await import(join(root, "pkg/node/index.mjs"));
    const client = GroupsClient.waha({ baseUrl: sandbox, apiKey: "sandbox", session: "default" });
    group = await client.createGroup({ subject: "Recipe group", participants: phones });
    assert.match(run(["list-groups.mjs"]), /Recipe group[\s\S]*\d+ groups/);
  });

  test("bulk-promote.mjs", () => {
    const id = group.id;
    writeFileSync(join(recipes, "members.csv"), ["groupId,phone", ...phones.map((p) => `${id},${p}`)].join("\n"));
    assert.match(run(["bulk-promote.mjs", "members.csv"]), /3 promoted, 0 not/);
  });

  test("invite-qr.mjs", () => {
    const id = group.id;
    assert.match(run(["invite-qr.mjs", id, "invite.svg"]), /https:\/\/\S+[\s\S]*written to invite\.svg/);
    assert.match(readFileSync(join(recipes, "invite.svg"), "utf8"), /^<svg/);
  });

  test("auto-reply.mjs answers a member's message in the group", async () => {
    const id = group.id;
    const server = spawn("node", ["auto-reply.mjs"], { cwd: recipes, env: recipeEnv });
    try {
      const lines = [];
      const next = (pattern) => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${pattern}" in: ${lines.join(" | ")}`)), 10000);
        const check = () => {
          const hit = lines.find((l) => pattern.test(l));
          if (hit) { clearTimeout(timer); resolve(hit); }
        };
        server.stdout.on("data", (d) => { lines.push(...String(d).split("\n")); check(); });
        check();
      });
      const url = (await next(/listening on/)).split(" ").pop();
      const sentBefore = (await (await fetch(`${sandbox}/_sandbox/stats`)).json()).sideEffects["POST /api/sendText"] ?? 0;
      await fetch(`${sandbox}/_sandbox/webhook`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url }) });
      const delivered = await fetch(`${sandbox}/_sandbox/message`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ groupId: id, phone: phones[0], text: "hello" }),
      }).then((r) => r.json());
      assert.equal(delivered.delivered, true, JSON.stringify(delivered));
      assert.match(await next(/replied in/), new RegExp(id.replace(/[.@]/g, "\\$&")));
      const sentAfter = (await (await fetch(`${sandbox}/_sandbox/stats`)).json()).sideEffects["POST /api/sendText"] ?? 0;
      assert.equal(sentAfter, sentBefore + 1, "one message, sent to the group");
    } finally {
      server.kill();
      await fetch(`${sandbox}/_sandbox/webhook`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: null }) });
    }
  });
});
