// Export of 50 groups × 1,024 members to CSV in the panel (issue 14, "Measure"): the
// wall time from the click on "Export members of selected" to the file being saved, and
// the peak memory meanwhile — the JS heap (CDP `Performance.getMetrics` JSHeapUsedSize,
// sampled every 20 ms) and the wasm linear memory (captured at instantiation). Measures;
// asserts only that the file has every row.
//
//   trunk build --release --dist DIST
//   wa-groups-sandbox --addr 127.0.0.1:0 --static DIST        (a fresh one: it is reset)
//   WA_GROUPS_SANDBOX_URL=http://127.0.0.1:PORT node bench/members-export.mjs [runs]
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const base = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.argv[2] ?? 3);
const GROUPS = 50;
const MEMBERS = 1024;
const post = (path, body) => fetch(`${base}${path}`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
});

await post("/_sandbox/reset", {});
const seeded = await post("/_sandbox/seed", { session: "default", groups: GROUPS, membersPerGroup: MEMBERS });
if (!seeded.ok) throw new Error(await seeded.text());

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-precise-memory-info"],
});
const results = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  // The panel's wasm memory, for its size once the export is done.
  await page.addInitScript(() => {
    const keep = (result) => {
      const exports = (result.instance ?? result).exports;
      if (exports?.memory) window.__wasmMemory = exports.memory;
      return result;
    };
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = (...a) => streaming(...a).then(keep);
    const plain = WebAssembly.instantiate;
    WebAssembly.instantiate = (...a) => plain(...a).then(keep);
  });
  await page.goto(base);
  await page.getByTestId("api-key").fill("sandbox");
  await page.getByTestId("session").fill("default");
  await page.getByTestId("connect").click();
  await page.getByTestId("subject").waitFor();
  await page.getByTestId("search").fill("Seeded group");
  const boxes = page.getByTestId("group-row").getByTestId("group-select");
  await boxes.nth(GROUPS - 1).waitFor();
  for (let i = 0; i < GROUPS; i++) await boxes.nth(i).check();

  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = async () => (await cdp.send("Performance.getMetrics")).metrics
    .find((m) => m.name === "JSHeapUsedSize").value;
  const before = await heap();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await heap());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const wasmBefore = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  const t0 = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByText("Export members of selected").click(),
  ]);
  const wall = Date.now() - t0;
  sampling = false;
  await sampler;
  const wasmAfter = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  const text = await readFile(await download.path(), "utf8");
  const rows = text.trimEnd().split("\r\n").length - 1;
  if (rows < GROUPS * MEMBERS) throw new Error(`only ${rows} rows`);
  results.push({ wall, rows, bytes: Buffer.byteLength(text), heapBefore: before, heapPeak: peak, wasmBefore, wasmAfter });
  await context.close();
}
await browser.close();

const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`export of ${GROUPS} groups × ${MEMBERS} members in the panel, ${runs} runs`);
for (const r of results) {
  console.log(`  ${r.wall} ms, ${r.rows} rows, ${mb(r.bytes)} CSV; JS heap ${mb(r.heapBefore)} → peak ${mb(r.heapPeak)}; wasm memory ${mb(r.wasmBefore)} → ${mb(r.wasmAfter)}`);
}
console.log(`median wall ${median(results.map((r) => r.wall))} ms; median peak JS heap ${mb(median(results.map((r) => r.heapPeak)))}; wasm memory after ${mb(median(results.map((r) => r.wasmAfter)))}`);
