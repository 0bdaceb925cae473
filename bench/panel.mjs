// The panel's part of `cargo xtask bench`: in headless Chromium, what the browser downloads
// for the panel's .wasm (as the server sends it), how long the panel takes to show a
// 5,000-group account and a 1,024-member group — from the click that asks for them to the
// rows on screen, so the request, the decode and the render are all in — and how smoothly
// those pages scroll, with the main thread's work per frame. Measures; asserts nothing.

const post = (base, path, body) => fetch(`${base}${path}`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
}).then(async (r) => { const text = await r.text(); return text ? JSON.parse(text) : {}; });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

/**
 * Time from the user's press (the `pointerdown` that starts the click, stamped by the
 * browser) to `selector` having rows, measured in `page`. Starting at the press, not when
 * Playwright is asked to click, leaves out its own actionability waits (~45 ms).
 */
async function timeUntil(page, action, selector) {
  await page.evaluate((sel) => {
    window.__done = new Promise((resolve) => {
      let t0;
      addEventListener("pointerdown", (e) => { t0 = e.timeStamp; }, { capture: true, once: true });
      const check = () => (t0 !== undefined && document.querySelector(sel))
        ? resolve(performance.now() - t0)
        : requestAnimationFrame(check);
      requestAnimationFrame(check);
    });
  }, selector);
  await action();
  return page.evaluate(() => window.__done);
}

/** The press timed for the list: "← All groups" on a group page, until the list has rows. */
const pressBackToList = (page) =>
  timeUntil(page, () => page.getByRole("link", { name: "← All groups" }).click(), "[data-testid=group-row]");

/** The search's row for the big group, in the list. */
const bigGroupRow = (page) => page.getByTestId("group-row").filter({ hasText: "Seeded big group" });

/** The press timed for the group page: the big group's link, until its members have rows. */
const pressBigGroup = (page) =>
  timeUntil(page, () => bigGroupRow(page).getByRole("link").click(), "[data-testid=participant-row]");

/** Measures the panel served at `base` (a sandbox with `--static dist`), `runs` times. */
export async function measurePanel(browser, base, runs) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Every task over 50 ms on the page's main thread, from the first script on (each load).
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) window.__longTasks.push({ start: t.startTime, ms: t.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  // The panel's .wasm as this server sends it to this browser (a new page: nothing cached).
  const wasmResponse = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith("_bg.wasm"));
  await page.goto(base);
  const served = await servedWasm(page, await wasmResponse);
  await page.getByTestId("api-key").fill("sandbox");
  await page.getByTestId("session").fill("gows");
  await page.getByTestId("connect").click();
  await page.getByTestId("subject").waitFor();

  // Big account: 5,000 groups in the `gows` session, one of them with 1,024 members.
  await post(base, "/_sandbox/reset", {});
  const seeded = await post(base, "/_sandbox/seed", { session: "gows", groups: 5000, membersPerGroup: 2, bigGroupMembers: 1024 });

  // The renderer's own counters (CDP `Performance.getMetrics`): cumulative main-thread time
  // in script (JS and wasm), style recalculation and layout, in ms.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  async function mainThread() {
    const { metrics } = await cdp.send("Performance.getMetrics");
    const m = Object.fromEntries(metrics.map(({ name, value }) => [name, value * 1000]));
    return { script: m.ScriptDuration, style: m.RecalcStyleDuration, layout: m.LayoutDuration };
  }
  const minus = (a, b) => ({ script: a.script - b.script, style: a.style - b.style, layout: a.layout - b.layout });
  const total = (w) => w.script + w.style + w.layout;

  /**
   * Scrolls to `y` (a no-op when already there) and resolves once the frame that shows it
   * has been rendered: in the task after its animation frame, so its style and layout are
   * done by the time the counters are read.
   */
  const step = (y) => page.evaluate((to) => new Promise((resolve) => {
    scrollTo(0, to);
    requestAnimationFrame(() => setTimeout(resolve, 0));
  }), y);

  /**
   * Scrolling the page top to bottom, twice.
   *
   * First in the page, one step of 120 px per animation frame: the interval between frames
   * (what the eye sees; one 60 Hz frame is 16.7 ms) and the style + layout that reading the
   * layout forces per step, both p95. That interval is bounded here by headless software
   * raster, which the page does not control.
   *
   * Then the same steps one at a time from here, reading the renderer's counters between
   * them: the main thread's script + style + layout per frame (p95), the figure the page
   * controls. `still` is the same for steps that scroll nothing (median): the harness's own
   * script (~0.03 ms a step) plus whatever the page does meanwhile, e.g. the group list
   * loading the rest of the account in idle time. Long tasks (> 50 ms) are counted over
   * both passes.
   */
  async function scrollP95() {
    const started = await page.evaluate(() => performance.now());
    const inPage = await page.evaluate(async () => {
      const frames = [];
      const work = [];
      let last = performance.now();
      const max = document.documentElement.scrollHeight - innerHeight;
      for (let y = 0; y <= max; y += 120) {
        const t0 = performance.now();
        scrollTo(0, y);
        document.elementFromPoint(innerWidth / 2, innerHeight / 2); // forces style + layout
        work.push(performance.now() - t0);
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
      return { frame: p95(frames), work: p95(work), frames: frames.length };
    });

    const max = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    await step(0);
    const perFrame = [];
    let before = await mainThread();
    for (let y = 120; y <= max; y += 120) {
      await step(y);
      const after = await mainThread();
      perFrame.push(minus(after, before));
      before = after;
    }
    const still = [];
    for (let i = 0; i < 10; i++) {
      await step(max);
      const after = await mainThread();
      still.push(total(minus(after, before)));
      before = after;
    }
    const longTasks = await page.evaluate((t0) => window.__longTasks.filter((t) => t.start >= t0), started);
    return {
      ...inPage,
      mainThread: p95(perFrame.map(total)),
      script: p95(perFrame.map((w) => w.script)),
      style: p95(perFrame.map((w) => w.style)),
      layout: p95(perFrame.map((w) => w.layout)),
      still: median(still),
      longTasks: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks.map((t) => t.ms)),
    };
  }

  // Both are timed as a person meets them: an in-app navigation (no page load).
  const list = [];
  const group = [];
  const listScroll = [];
  const groupScroll = [];
  await page.goto(`${base}/groups/${seeded.bigGroupId}`);
  await page.getByTestId("participant-row").first().waitFor();
  for (let i = 0; i < runs; i++) {
    list.push(await pressBackToList(page));
    listScroll.push(await scrollP95());
    await page.getByTestId("search").fill("Seeded big group");
    await bigGroupRow(page).waitFor();
    group.push(await pressBigGroup(page));
    groupScroll.push(await scrollP95());
  }
  const cold = await measureFirstVisits(page, base, seeded, runs);
  await page.close();
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  return {
    served,
    // The same two presses on a page just loaded, as a first visit meets them. Above, a
    // visit within 30 s of the last one finds its reads in the panel's cache.
    listFirstVisitMs: median(cold.list),
    groupFirstVisitMs: median(cold.group),
    groups: seeded.groups,
    bigGroupMembers: seeded.bigGroupMembers,
    runs,
    listFirstRenderMs: median(list),
    groupFirstRenderMs: median(group),
    listScrollP95: median(listScroll.map((x) => x.frame)),
    groupScrollP95: median(groupScroll.map((x) => x.frame)),
    listScrollWorkP95: median(listScroll.map((x) => x.work)),
    groupScrollWorkP95: median(groupScroll.map((x) => x.work)),
    // Main-thread script + style + layout per frame while scrolling (p95 of each scroll,
    // median over the runs, and the worst run: the first visit of the list scrolls while
    // the rest of the account loads in idle time, later visits find it loaded), and the
    // long tasks of all the runs' scrolls.
    listScrollMainThreadP95: median(listScroll.map((x) => x.mainThread)),
    groupScrollMainThreadP95: median(groupScroll.map((x) => x.mainThread)),
    listScrollMainThreadWorstP95: Math.max(...listScroll.map((x) => x.mainThread)),
    groupScrollMainThreadWorstP95: Math.max(...groupScroll.map((x) => x.mainThread)),
    listScrollStillStepMs: median(listScroll.map((x) => x.still)),
    groupScrollStillStepMs: median(groupScroll.map((x) => x.still)),
    listScrollLongTasks: sum(listScroll.map((x) => x.longTasks)),
    groupScrollLongTasks: sum(groupScroll.map((x) => x.longTasks)),
    listScrollLongestTaskMs: Math.max(0, ...listScroll.map((x) => x.longestTaskMs)),
    groupScrollLongestTaskMs: Math.max(0, ...groupScroll.map((x) => x.longestTaskMs)),
    samples: { list, group, listScroll, groupScroll, firstVisits: cold },
  };
}

/**
 * The list and the group page as a first visit meets them: before each press the page is
 * loaded afresh, so the panel's cache (in memory) holds nothing of what the press shows,
 * and the press's own prefetch (`on:pointerdown`) is all that gets a head start. Timed as
 * in `measurePanel`, `runs` times each; the connection is remembered across the loads.
 */
async function measureFirstVisits(page, base, seeded, runs) {
  const list = [];
  const group = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}/groups/${seeded.bigGroupId}`);
    await page.getByTestId("participant-row").first().waitFor();
    list.push(await pressBackToList(page));
    await page.goto(`${base}/?q=${encodeURIComponent("Seeded big group")}`);
    await bigGroupRow(page).waitFor();
    group.push(await pressBigGroup(page));
  }
  return { list, group };
}

/**
 * What the browser downloaded for the panel's .wasm: the `Content-Encoding` the server
 * chose for the `Accept-Encoding` the browser sent, and the Resource Timing sizes (the body
 * as transferred, with and without the response headers, and decoded).
 */
async function servedWasm(page, response) {
  const path = new URL(response.url()).pathname;
  const request = await response.request().allHeaders();
  const headers = await response.allHeaders();
  await page.waitForFunction((p) => performance.getEntriesByType("resource").some((e) => e.name.endsWith(p) && e.responseEnd > 0), path);
  const timing = await page.evaluate((p) => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith(p));
    return { transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize };
  }, path);
  return {
    file: path,
    acceptEncoding: request["accept-encoding"] ?? null,
    contentEncoding: headers["content-encoding"] ?? "identity",
    contentType: headers["content-type"] ?? null,
    ...timing,
  };
}
