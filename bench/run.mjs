// The Node half of `cargo xtask bench` (which builds everything and starts the sandboxes):
// seeds the sandbox, drives headless Chromium through bench/bench.ts and the panel, and
// writes BENCHMARKS.md and BENCHMARKS.json. Medians over interleaved runs after warm-up;
// every ratio is taken within this one run.
//
// Usage: node bench/run.mjs --core <sandbox serving the bench page> --panel <sandbox
// serving the panel> [--gateway <the gateway benchmark's JSON>] [--quick]; or
// node bench/run.mjs --render; or node bench/run.mjs --merge-gateway <JSON> (replaces the
// gateway's part of BENCHMARKS.json and rewrites BENCHMARKS.md, the rest kept as measured)
import { chromium } from "playwright-core";
import { existsSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { execSync } from "node:child_process";
import os from "node:os";
import zlib from "node:zlib";
import { measurePanel } from "./panel.mjs";

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SESSION = "webjs";

// `--render`: rewrite BENCHMARKS.md from BENCHMARKS.json (after editing bench/findings.md).
if (process.argv.includes("--render")) {
  writeFileSync("BENCHMARKS.md", markdown(JSON.parse(readFileSync("BENCHMARKS.json", "utf8"))));
  process.exit(0);
}
// `--merge-decode FILE`: a run of the decoding candidates alone (`cargo xtask bench --only
// decode`, bench/decode/run.mjs) replaces their part.
if (arg("--merge-decode")) {
  const results = JSON.parse(readFileSync("BENCHMARKS.json", "utf8"));
  results.decode = JSON.parse(readFileSync(arg("--merge-decode"), "utf8"));
  writeFileSync("BENCHMARKS.json", JSON.stringify(results, null, 2) + "\n");
  writeFileSync("BENCHMARKS.md", markdown(results));
  console.error("bench: merged the decoding candidates' figures into BENCHMARKS.json and BENCHMARKS.md");
  process.exit(0);
}
// `--merge-gateway FILE`: a run of the gateway's benchmark alone replaces its part.
if (arg("--merge-gateway")) {
  const results = JSON.parse(readFileSync("BENCHMARKS.json", "utf8"));
  results.gateway = gatewayFigures(arg("--merge-gateway"));
  writeFileSync("BENCHMARKS.json", JSON.stringify(results, null, 2) + "\n");
  writeFileSync("BENCHMARKS.md", markdown(results));
  console.error("bench: merged the gateway's figures into BENCHMARKS.json and BENCHMARKS.md");
  process.exit(0);
}
const core = arg("--core");
const panelUrl = arg("--panel");
const quick = process.argv.includes("--quick");
if (!core || (!panelUrl && !process.argv.includes("--no-panel"))) {
  console.error("usage: node bench/run.mjs --core <url> --panel <url> [--quick]");
  process.exit(2);
}

const KEY = { "X-Api-Key": "sandbox" };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const post = async (base, path, body) => {
  const r = await fetch(`${base}${path}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
};
const getJson = async (url, headers = {}) => (await fetch(url, { headers })).json();
const log = (...xs) => console.error("bench:", ...xs);

// The gateway's figures (gateway/benches/gateway.rs), with when and where they were taken.
function gatewayFigures(file) {
  const sh = (c) => { try { return execSync(c, { encoding: "utf8" }).trim(); } catch { return "unknown"; } };
  return {
    date: new Date().toISOString(),
    ...JSON.parse(readFileSync(file, "utf8")),
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`,
      rustc: sh("rustc --version"),
      commit: sh("git rev-parse --short HEAD") + (sh("git status --porcelain -- gateway sandbox") ? " (with uncommitted changes)" : ""),
    },
  };
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
const results = { date: new Date().toISOString(), quick };
if (arg("--gateway")) results.gateway = gatewayFigures(arg("--gateway"));
if (arg("--decode")) results.decode = JSON.parse(readFileSync(arg("--decode"), "utf8"));

try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => log("page error:", e.message));
  await page.goto(`${core}/index.html`);
  await page.waitForFunction(() => window.bench !== undefined);
  await page.evaluate(([origin, session]) => window.bench.setup(origin, session), [core, SESSION]);

  // listGroups with participants, at three sizes, so the scaling shows.
  results.listGroups = [];
  for (const [groups, runs] of quick ? [[100, 5], [1000, 3], [10000, 3]] : [[100, 31], [1000, 15], [10000, 9]]) {
    await post(core, "/_sandbox/reset");
    await post(core, "/_sandbox/seed", { session: SESSION, groups, membersPerGroup: 8 });
    const bytes = (await (await fetch(`${core}/api/${SESSION}/groups`, { headers: KEY })).arrayBuffer()).byteLength;
    log(`listGroups: ${groups} groups (${(bytes / 1e6).toFixed(2)} MB of JSON), ${runs} runs each`);
    const s = await page.evaluate(([r, w]) => window.bench.listGroups(r, w), [runs, 2]);
    if (s.count !== groups) throw new Error(`listed ${s.count} of ${groups}`);
    results.listGroups.push({
      groups, membersPerGroup: 8, jsonBytes: bytes, runs,
      medianMs: { floor: median(s.floor), "wa-groups": median(s["wa-groups"]), "openapi-fetch": median(s["openapi-fetch"]) },
    });
  }

  // 1,000 sequential getGroup calls per contender.
  await post(core, "/_sandbox/reset");
  await post(core, "/_sandbox/seed", { session: SESSION, groups: 100, membersPerGroup: 8 });
  const ids = (await getJson(`${core}/api/${SESSION}/groups`, KEY)).map((g) => g.id?._serialized ?? g.id);
  // Short blocks, many rounds: drift in the browser's network stack hits all three alike.
  const [blocks, block] = quick ? [20, 20] : [50, 20];
  log(`getGroup: ${blocks} rounds of ${block} sequential calls per contender`);
  const gg = await page.evaluate(([i, b, n]) => window.bench.getGroup(i, b, n, 2), [ids, blocks, block]);
  results.getGroup = {
    calls: blocks * block,
    perOpMs: { floor: median(gg.floor), "wa-groups": median(gg["wa-groups"]), "openapi-fetch": median(gg["openapi-fetch"]) },
  };

  // Where each contender's getGroup time goes (fetch wrapped; explains the figures above).
  const phaseCalls = quick ? 200 : 1000;
  log(`getGroup phases: ${phaseCalls} calls per contender, fetch wrapped`);
  results.getGroup.phases = await page.evaluate(([i, n]) => window.bench.phases(i, n), [ids, phaseCalls]);
  results.getGroup.phaseCalls = phaseCalls;

  // Instantiation of the core from its bytes.
  const inst = await page.evaluate((r) => window.bench.instantiate(r), quick ? 5 : 21);
  results.instantiate = { runs: inst.length, medianMs: median(inst) };

  // Bulk: 5,000 promotions over 50 groups, the sandbox allowing 50 requests a second.
  results.bulk = [];
  for (const [label, options] of [
    ["defaults: no rate set, 429s pause the job", { batchSize: 20, concurrency: 4 }],
    ["requestsPerSecond: 50 (exactly the limit)", { batchSize: 20, concurrency: 4, requestsPerSecond: 50 }],
    ["requestsPerSecond: 48", { batchSize: 20, concurrency: 4, requestsPerSecond: 48 }],
  ]) {
    await post(core, "/_sandbox/reset");
    await post(core, "/_sandbox/seed", { session: SESSION, groups: 50, membersPerGroup: 100 });
    const groups = await getJson(`${core}/api/${SESSION}/groups`, KEY);
    const items = [];
    for (const g of groups) {
      const id = g.id?._serialized ?? g.id;
      for (const p of g.groupMetadata?.participants ?? g.participants ?? []) {
        const user = (p.id?._serialized ?? p.id).split("@")[0];
        if (user.startsWith("5521")) items.push({ groupId: id, change: "promote", participant: user });
      }
    }
    if (items.length !== 5000) throw new Error(`bulk: ${items.length} items, expected 5000`);
    await post(core, "/_sandbox/faults", [{ route: `/api/${SESSION}/groups/`, ratePerSecond: 50 }]);
    log(`bulk (${label}): ${items.length} promotions`);
    const counted = (stats) => Object.values(stats.requests).reduce((n, v) => n + v, 0);
    const before = await getJson(`${core}/_sandbox/stats`);
    const run = await page.evaluate(([it, o]) => window.bench.bulk(it, o), [items, options]);
    await fetch(`${core}/_sandbox/faults`, { method: "DELETE" });
    const stats = await getJson(`${core}/_sandbox/stats`);
    const applied = stats.total - before.total;
    const received = Object.entries(stats.requests).filter(([k]) => k.startsWith("POST ")).reduce((n, [, v]) => n + v, 0)
      - Object.entries(before.requests).filter(([k]) => k.startsWith("POST ")).reduce((n, [, v]) => n + v, 0);
    // Every request the job made counts against the limit: on WEBJS, whose answer to a
    // promotion names no one, each batch's POST is followed by a read of the members. The
    // rate is of the requests the server accepted (its 429s refused the others).
    const requests = counted(stats) - counted(before);
    const refused = run.statuses[429] ?? 0;
    const answered = Object.values(run.statuses).reduce((n, v) => n + v, 0);
    if (answered !== requests) throw new Error(`bulk: the page saw ${answered} answers, the sandbox ${requests} requests`);
    // Lost: promotions the server does not show, counted from the groups themselves.
    const after = await getJson(`${core}/api/${SESSION}/groups`, KEY);
    const admins = after.flatMap((g) => g.groupMetadata?.participants ?? g.participants ?? [])
      .filter((p) => (p.isAdmin || p.admin === "admin") && (p.id?._serialized ?? p.id).startsWith("5521")).length;
    results.bulk.push({
      label, options, items: items.length, ms: run.ms, succeeded: run.succeeded, failed: run.failed,
      throttled: run.throttled, requestsApplied: applied, requestsSent: received, requests, refused,
      statuses: run.statuses, requestsPerSecond: (requests - refused) / (run.ms / 1000),
      changesPerSecond: run.succeeded / (run.ms / 1000),
      limit: 50, lost: items.length - admins,
    });
  }
  await page.close();

  // The panel.
  results.panel = panelUrl ? await measurePanel(browser, panelUrl, quick ? 3 : 7) : null;
  if (results.panel) {
    const { served: s, ...p } = results.panel;
    log(`panel .wasm as served: ${(s.encodedBodySize / 1000).toFixed(1)} KB over the wire (${(s.transferSize / 1000).toFixed(1)} KB with headers), ` +
      `Content-Encoding ${s.contentEncoding} (the browser accepted "${s.acceptEncoding}"), ${(s.decodedBodySize / 1000).toFixed(1)} KB decoded`);
    log(`panel scrolling, list / group: frame interval p95 ${p.listScrollP95.toFixed(1)} / ${p.groupScrollP95.toFixed(1)} ms; ` +
      `main-thread script+style+layout per frame p95 ${p.listScrollMainThreadP95.toFixed(2)} / ${p.groupScrollMainThreadP95.toFixed(2)} ms ` +
      `(worst run ${p.listScrollMainThreadWorstP95.toFixed(2)} / ${p.groupScrollMainThreadWorstP95.toFixed(2)} ms) ` +
      `(a step that scrolls nothing ${p.listScrollStillStepMs.toFixed(2)} / ${p.groupScrollStillStepMs.toFixed(2)} ms); long tasks ${p.listScrollLongTasks} / ${p.groupScrollLongTasks} (longest ${p.listScrollLongestTaskMs} / ${p.groupScrollLongestTaskMs} ms)`);
  }
} finally {
  await browser.close();
}

// Sizes of what users download, brotli 11 as a CDN would serve it.
const brotli = (file) => {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const panelWasm = readdirSync("dist").find((f) => f.endsWith(".wasm")) ?? "missing.wasm";
results.sizes = {
  core: { file: "pkg/web/wa_groups_bg.wasm", ...brotli("pkg/web/wa_groups_bg.wasm") },
  panel: { file: `dist/${panelWasm}`, ...(panelUrl ? brotli(`dist/${panelWasm}`) : { raw: NaN, gzip: NaN, brotli: NaN }) },
};

const sh = (c) => { try { return execSync(c, { encoding: "utf8" }).trim(); } catch { return "unknown"; } };
results.machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  chromium: sh("/usr/bin/chromium --version"),
  node: process.version,
  commit: sh("git rev-parse --short HEAD") + (sh("git status --porcelain") ? " (with uncommitted changes)" : ""),
};

if (results.panel) {
  writeFileSync("BENCHMARKS.json", JSON.stringify(results, null, 2) + "\n");
  writeFileSync("BENCHMARKS.md", markdown(results));
  log("wrote BENCHMARKS.md and BENCHMARKS.json");
} else {
  // A partial run (--no-panel, while developing) never overwrites the report.
  writeFileSync("target/bench-partial.json", JSON.stringify(results, null, 2) + "\n");
  log("partial run (no panel): wrote target/bench-partial.json only");
}

/** The getGroup phases section (see `phases` in bench/bench.ts). */
function phasesTable(g) {
  const f = (x) => x.toFixed(3);
  const row = (c) => {
    const p = g.phases[c];
    return `| ${c} | ${f(p.beforeFetch)} | ${f(p.headers)} | ${f(p.body)} | ${f(p.afterBody)} | ${f(p.total)} |`;
  };
  return `## Where a \`getGroup\` goes

Mean milliseconds per call over ${g.phaseCalls.toLocaleString("en")} calls per contender, interleaved, with the page's \`fetch\`
wrapped to stamp each phase (which adds a little to every contender alike): before \`fetch\` is
called (building the request), until the headers arrive, reading the body, and from the
body to the result in JS (decoding; for wa-groups also the move into wasm and the neutral
model back out).

| contender | call → fetch | fetch → headers | body read | body → result | total |
|---|---:|---:|---:|---:|---:|
${["floor", "wa-groups", "openapi-fetch"].map(row).join("\n")}

`;
}

function markdown(r) {
  const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + " ms";
  const kb = (b) => (b / 1000).toFixed(1) + " KB";
  const x = (a, b) => (a / b).toFixed(2) + "×";
  const met = (ok) => (ok ? "**met**" : "not met");
  const g = r.getGroup.perOpMs;
  const paced = r.bulk[0]; // the defaults: what a user gets without tuning
  const p = r.panel;
  const rows = [
    // Issue 15's goal: within 1.1× of the floor at 1,000 groups and at 10,000.
    ...r.listGroups.filter((l) => l.groups >= 1000).map((l) => [
      `\`listGroups\`, ${l.groups.toLocaleString("en")} groups with participants, to JS objects, vs the floor`, "≤ 1.1×",
      `${ms(l.medianMs["wa-groups"])} (floor ${ms(l.medianMs.floor)}, openapi-fetch ${ms(l.medianMs["openapi-fetch"])})`,
      x(l.medianMs["wa-groups"], l.medianMs.floor), met(l.medianMs["wa-groups"] / l.medianMs.floor <= 1.1)]),
    [`${r.getGroup.calls.toLocaleString("en")} sequential \`getGroup\`, per-op latency vs openapi-fetch`, "≤ 1.0×",
      `${ms(g["wa-groups"])} (openapi-fetch ${ms(g["openapi-fetch"])}, floor ${ms(g.floor)})`, x(g["wa-groups"], g["openapi-fetch"]), met(g["wa-groups"] / g["openapi-fetch"] <= 1.0)],
    [`bulk: ${paced.items.toLocaleString("en")} changes over 50 groups, sandbox limit ${paced.limit} req/s (${paced.label})`, "≥ 95 % of the limit, 0 lost",
      `${paced.requestsPerSecond.toFixed(1)} req/s accepted, ${paced.lost} lost (${paced.requests ?? paced.requestsApplied} requests in ${ms(paced.ms)}${paced.refused === undefined ? "" : `, ${paced.refused} refused with 429: ${paced.requestsApplied} promotions applied, each batch's members read back (WEBJS names no one in its answer)`}; ${paced.throttled} 429 pauses waited out)`,
      `${(100 * paced.requestsPerSecond / paced.limit).toFixed(1)} %`, met(paced.requestsPerSecond >= 0.95 * paced.limit && paced.lost === 0)],
    ["core `.wasm`, brotli (release, wasm-opt -Oz)", "≤ 60 KB", `${kb(r.sizes.core.brotli)} (raw ${kb(r.sizes.core.raw)})`, x(r.sizes.core.brotli, 60000), met(r.sizes.core.brotli <= 60000)],
    ["panel `.wasm`, brotli", "≤ 250 KB", `${kb(r.sizes.panel.brotli)} (raw ${kb(r.sizes.panel.raw)})`, x(r.sizes.panel.brotli, 250000), met(r.sizes.panel.brotli <= 250000)],
    ...(p.served ? [servedRow(p.served, r.sizes.panel.brotli, kb, x, met)] : []),
    // Judged on a first visit (nothing cached); a visit within the cache's 30 s beside it.
    ...[["group", `${p.bigGroupMembers.toLocaleString("en")}-member group page (press on the link → rows)`, 50],
      ["list", `${p.groups.toLocaleString("en")}-group list (press on "← All groups" → rows)`, 100]].map(([which, what, goal]) => {
      const cold = p[`${which}FirstVisitMs`] ?? p[`${which}FirstRenderMs`];
      const warm = p[`${which}FirstRenderMs`];
      const shown = p[`${which}FirstVisitMs`] === undefined ? ms(warm) : `${ms(cold)} first visit (${ms(warm)} again within 30 s, from the cache)`;
      return [`panel: first render of a ${what}`, `≤ ${goal} ms`, shown, x(cold, goal), met(cold <= goal)];
    }),
    ["panel: scrolling the group list / the member list, p95 frame interval (main-thread style + layout per step)", "≤ 16 ms",
      `${ms(p.listScrollP95)} / ${ms(p.groupScrollP95)} (${ms(p.listScrollWorkP95)} / ${ms(p.groupScrollWorkP95)})`,
      x(Math.max(p.listScrollP95, p.groupScrollP95), 16), met(Math.max(p.listScrollP95, p.groupScrollP95) <= 16.7)],
    ...(p.listScrollMainThreadP95 !== undefined ? [mainThreadRow(p, ms, x, met)] : []),
    ["wasm instantiation of the core (compile + instantiate from bytes)", "≤ 10 ms", ms(r.instantiate.medianMs), x(r.instantiate.medianMs, 10), met(r.instantiate.medianMs <= 10)],
  ];
  const table = (head, body) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((row) => `| ${row.join(" | ")} |`)].join("\n");
  return `# Benchmarks

Measured by \`cargo xtask bench\` on ${r.date.slice(0, 10)}${r.quick ? " (quick mode: fewer runs)" : ""}: one run in headless
Chromium against the sandbox (release build) on loopback. wa-groups is timed side by side
with the floor — hand-written \`fetch\` + \`JSON.parse\` making the same request — and with
\`openapi-fetch\` typed by \`openapi-typescript\` from WAHA's OpenAPI file, the peer a
TypeScript user would pick. Same requests, same sandbox (WAHA session \`${SESSION}\`, the WEBJS
engine's shapes), interleaved in rotating order; timings are medians after warm-up, and
every ratio is taken within this run. Raw figures: [BENCHMARKS.json](BENCHMARKS.json).

${table(["metric", "goal", "measured", "ratio", "goal met?"], rows)}
${r.gateway ? gatewaySection(r.gateway, table, met) : ""}
${r.getGroup.phases ? phasesTable(r.getGroup) : ""}## How \`listGroups\` grows

Each group has 8 participants; a call is the whole request, decoded to JS objects.

${table(["groups", "JSON", "floor", "wa-groups", "openapi-fetch", "wa-groups / floor", "wa-groups / openapi-fetch", "wa-groups per group"],
    r.listGroups.map((l) => [l.groups.toLocaleString("en"), `${(l.jsonBytes / 1e6).toFixed(2)} MB`, ms(l.medianMs.floor), ms(l.medianMs["wa-groups"]),
      ms(l.medianMs["openapi-fetch"]), x(l.medianMs["wa-groups"], l.medianMs.floor), x(l.medianMs["wa-groups"], l.medianMs["openapi-fetch"]),
      `${((1000 * l.medianMs["wa-groups"]) / l.groups).toFixed(1)} µs`]))}

${r.decode ? decodeSection(r.decode, table, ms, kb, x) : ""}## Bulk jobs against a 50 req/s limit

Every request the job makes counts against the limit: on WEBJS, whose answer to a promotion
names no one, each batch's POST is followed by a read of the group's members, so a batch is
two requests. "Requests" is every request the sandbox received during the job, "refused"
those it answered 429; the rate is of the accepted ones; "changes" the promotions applied.

${table(["configuration", "requests (refused)", "changes applied", "time", "rate", "of the limit", "changes a second", "429 pauses waited out", "failed", "lost"],
    r.bulk.map((b) => [b.label, `${b.requests ?? b.requestsApplied} (${b.refused ?? "—"})`, b.requestsApplied, ms(b.ms), `${b.requestsPerSecond.toFixed(1)} req/s`, `${(100 * b.requestsPerSecond / b.limit).toFixed(1)} %`,
      b.changesPerSecond === undefined ? "—" : b.changesPerSecond.toFixed(0), b.throttled, b.failed, b.lost]))}

${existsSync("bench/findings.md") ? readFileSync("bench/findings.md", "utf8").trim() + "\n\n" : ""}## The machine

- ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB; ${r.machine.os}
- ${r.machine.chromium} (headless); Node ${r.machine.node}
- commit ${r.machine.commit}

## The command

\`\`\`sh
cargo xtask bench          # about ten minutes; --quick for a smoke run with fewer samples
\`\`\`

It builds the npm package (\`cargo xtask pkg\`) and serves its browser build, generates
\`waha-api.ts\` from \`bench/waha-openapi-2024.9.2.json\` (WAHA's published file) with openapi-typescript,
compiles \`bench/bench.ts\` with \`tsc\`, builds the panel and a release sandbox, and runs
\`bench/run.mjs\`. Nothing in \`cargo xtask test\` asserts a time; it checks the \`.wasm\`
sizes against [size-budget.json](size-budget.json).
`;
}

// Issue 15's decoding candidates (bench/decode): each one's own size over the baseline
// module, and its time from the JSON text of a WEBJS answer to JS objects, vs JSON.parse.
function decodeSection(d, table, ms, kb, x) {
  const base = d.sizes.baseline;
  const shared = d.sizes.normalise;
  const own = (s, from) => `${kb(s.raw - from.raw)} / ${kb(s.brotli - from.brotli)}`;
  const timed = d.candidates.filter((c) => c.name !== "baseline");
  const rows = timed.map((c) => {
    const s = d.sizes[c.name];
    const shapes = Object.entries(d.shapes?.[c.name] ?? {}).map(([engine, v]) => `${engine} ${v === "ok" ? "ok" : "**no**"}`).join(", ");
    return [`\`${c.name}\`: ${c.design}`, own(s, base), shared ? own(s, shared) : "—",
      ...d.timings.map((t) => `${ms(t.medianMs[c.name])} (${x(t.medianMs[c.name], t.medianMs.floor)})`),
      shapes + (d.agreeWithSerdeJson?.[c.name] === false ? "; output differs from serde_json's" : "")];
  });
  const floor = ["floor: `JSON.parse(text)` alone", "—", "—", ...d.timings.map((t) => ms(t.medianMs.floor)), "—"];
  const halves = timed.map((c) => [`\`${c.name}\``, ...d.timings.map((t) => {
    const whole = t.medianMs[c.name], part = t.medianMs[`${c.name}:decode`];
    return part === undefined ? "—" : `${ms(part)} + ${ms(Math.max(0, whole - part))}`;
  })]);
  const tops = [...d.candidates, ...(d.shared ? [d.shared] : [])].map((c) => `- \`${c.name}\` (${kb(d.sizes[c.name].raw)} raw, ${kb(d.sizes[c.name].brotli)} brotli): ` +
    d.sizes[c.name].twiggy.map((e) => `\`${e.name.replace(/`/g, "'").slice(0, 70)}\` ${e.bytes} B`).join(", ")).join("\n");
  return `## Decoding candidates (issue 15)

Measured by \`cargo xtask bench --only decode\` (or the full run) on ${d.date.slice(0, 10)}${d.quick ? " (quick mode)" : ""}:
\`bench/decode\`, one cdylib per candidate, each decoding a WAHA \`GET /groups\` answer
with the core's raw structs (\`src/provider/waha/raw.rs\`) into neutral groups handed to JS as
objects; release, wasm-bindgen \`--target web\`, \`wasm-opt -Oz\`. Own size is the candidate's
\`.wasm\` minus the baseline's (wasm-bindgen and an export returning a constant:
${kb(base.raw)} raw, ${kb(base.brotli)} brotli 11)${shared ? `, and minus \`normalise\` (the normalisation every
candidate shares, fed one opaque string: ${kb(shared.raw)} raw, ${kb(shared.brotli)} brotli), which leaves the decoding
and the hand-over alone` : ""}. Times: medians in headless Chromium, from the JSON text of a WEBJS
answer (8 participants a group) to JS objects, \`JSON.parse\` included where the candidate
takes a value; ratios against \`JSON.parse(text)\` alone, in the same run${d.loadAverageBefore !== undefined ? ` (1-minute load
average before the run: ${d.loadAverageBefore.toFixed(2)})` : ""}. Shapes: each engine's spelling
(REFERENCE.md A3) decoded to the core's neutral groups.

${table(["candidate", "own size over baseline, raw / brotli", "over \`normalise\`", ...d.timings.map((t) => `${t.groups.toLocaleString("en")} groups (${(t.jsonBytes / 1e6).toFixed(2)} MB)`), "shapes"], [floor, ...rows])}

Where the time goes: decoding (with \`JSON.parse\` where the candidate takes a value) and
normalisation, timed through a second export that stops before the hand-over, + the rest
(the hand-over to JS objects).

${table(["candidate", ...d.timings.map((t) => `${t.groups.toLocaleString("en")} groups`)], halves)}

\`twiggy top -n 10\` of each (optimised with names kept; the names section left out):

${tops}

`;
}

// What the browser downloaded for the panel's .wasm, against the brotli figure above.
function servedRow(s, brotli, kb, x, met) {
  return ["panel `.wasm` as served: the sandbox (`--static dist`) to headless Chromium, body over the wire", "the brotli size",
    `${kb(s.encodedBodySize)} over the wire, Content-Encoding ${s.contentEncoding} (${kb(s.transferSize)} with headers; Chromium sent \`Accept-Encoding: ${s.acceptEncoding}\`)`,
    x(s.encodedBodySize, brotli), met(s.contentEncoding === "br" && s.encodedBodySize <= brotli * 1.01)];
}

// The main thread's work per frame while scrolling, which the page controls.
function mainThreadRow(p, ms, x, met) {
  const longTaskCount = (n, longest) => (n ? `${n} (longest ${ms(longest)})` : "0");
  const worst = Math.max(p.listScrollMainThreadWorstP95, p.groupScrollMainThreadWorstP95);
  const longTasks = p.listScrollLongTasks + p.groupScrollLongTasks;
  return ["panel: scrolling the group list / the member list, main-thread script + style + layout per frame (p95, CDP) / long tasks (> 50 ms)", "≤ 4 ms / 0",
    `${ms(p.listScrollMainThreadP95)} / ${ms(p.groupScrollMainThreadP95)} (worst of ${p.runs} runs ${ms(p.listScrollMainThreadWorstP95)} / ${ms(p.groupScrollMainThreadWorstP95)}; ` +
    `a step that scrolls nothing ${ms(p.listScrollStillStepMs)} / ${ms(p.groupScrollStillStepMs)}); ` +
    `long tasks ${longTaskCount(p.listScrollLongTasks, p.listScrollLongestTaskMs)} / ${longTaskCount(p.groupScrollLongTasks, p.groupScrollLongestTaskMs)} over ${p.runs} scrolls each`,
    x(worst, 4), met(worst <= 4 && longTasks === 0)];
}

// The gateway's part: its own run (release builds of the gateway and the sandbox, each its
// own process), its own date and machine.
function gatewaySection(g, table, met) {
  const f = g.forwardedGet, h = g.webhookToSse, m = g.memory;
  const ms = (x) => `${x.toFixed(3)} ms`;
  const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
  const rows = [
    ["a forwarded GET: latency the gateway adds over calling the sandbox directly, p50", "≤ 0.5 ms",
      `+${ms(f.addedP50Ms)} (direct ${ms(f.direct.p50Ms)}, through the gateway ${ms(f.forwarded.p50Ms)})`, met(f.addedP50Ms <= 0.5)],
    ["the same, p99", "≤ 2 ms",
      `+${ms(f.addedP99Ms)} (direct ${ms(f.direct.p99Ms)}, through the gateway ${ms(f.forwarded.p99Ms)})`, met(f.addedP99Ms <= 2)],
    [`webhook POST sent → its event read on an open SSE stream, at ${h.ratePerSecond.toLocaleString("en")} deliveries/s, p99`, "≤ 50 ms",
      `${ms(h.p99Ms)} (p50 ${ms(h.p50Ms)}, max ${ms(h.maxMs)}; ${h.deliveries.toLocaleString("en")} deliveries, ${h.lost} lost)`, met(h.p99Ms <= 50 && h.lost === 0)],
    ["the gateway's memory (VmRSS): at rest / under that load (max of samples every 50 ms) / peak (VmHWM)", "—",
      `${mib(m.atRestKiB)} / ${mib(m.underLoadMaxKiB)} / ${mib(m.peakHwmKiB)}`, "—"],
  ];
  return `
## The gateway

Measured by \`cargo xtask bench\` (the gateway's part, \`gateway/benches/gateway.rs\`) on
${g.date.slice(0, 10)}: release builds of \`wa-groups-gateway\` and \`wa-groups-sandbox\`, each its
own process on loopback, the gateway in front of the sandbox with a WAHA and a Wavy
connection, driven by a Rust client (hyper, one thread) in a third process. ${g.machine.cpu},
${g.machine.cores} cores; ${g.machine.rustc}; commit ${g.machine.commit}. The machine was
shared: its 1-minute load average was ${g.loadAverage1mBefore.toFixed(2)} just before the run, so
the tails (p99) include waits for a core.

${table(["metric", "goal", "measured", "goal met?"], rows)}

- **Forwarded GET**: \`GET /api/default/groups/{id}\` (a WEBJS group of 8 members)
  straight to the sandbox with its API key, and the same
  through the gateway (\`/c/waha/…\` with a session cookie: session lookup, allow-list,
  credentials swapped, the sandbox called over a pooled keep-alive connection), interleaved
  one for one with the order alternating, each client on its own keep-alive connection;
  ${f.rounds.toLocaleString("en")} pairs after ${f.warmup.toLocaleString("en")} of warm-up. A latency is
  from just before the request is sent to the last byte of the answer read. "Added" is
  the difference of the percentiles (p50 through the gateway − p50 direct; likewise p99).
- **Webhook → SSE**: ${h.deliveries.toLocaleString("en")} deliveries, half WAHA \`message\` webhooks
  signed with HMAC-SHA512, half Wavy MOs with the URL token, each POSTed on its own
  task at ${h.ratePerSecond.toLocaleString("en")} a second (open loop: sent on schedule whatever the earlier
  ones are doing; offered over ${h.offeredOverS.toFixed(2)} s), with one \`GET /_gateway/events\`
  open from before the first. Each is timed from just before its POST is sent to when the
  chunk carrying its event is read off the stream; in between, the gateway checks the HMAC
  or token, classifies the payload with the core's \`parse_inbound\`, stores it in SQLite
  (once), answers 200, and the stream reads it from the store.
- **Memory**: \`VmRSS\` of the gateway process from \`/proc/PID/status\`: at rest (started,
  one user signed in, no load), sampled every 50 ms during the webhook load (max), and
  \`VmHWM\` (the peak resident size over the whole run, the forwarded GETs included) at the end.
`;
}
