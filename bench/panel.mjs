// The panel's part of `cargo xtask bench`: in headless Chromium, how long the panel takes
// to show a 5,000-group account and a 1,024-member group — from the click that asks for
// them to the rows on screen, so the request, the decode and the render are all in — and
// how smoothly those pages scroll. Measures; asserts nothing.

const post = (base, path, body) => fetch(`${base}${path}`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
}).then(async (r) => { const text = await r.text(); return text ? JSON.parse(text) : {}; });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Measures the panel served at `base` (a sandbox with `--static dist`), `runs` times. */
export async function measurePanel(browser, base, runs) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.getByTestId("api-key").fill("sandbox");
  await page.getByTestId("session").fill("gows");
  await page.getByTestId("connect").click();
  await page.getByTestId("subject").waitFor();

  // Big account: 5,000 groups in the `gows` session, one of them with 1,024 members.
  await post(base, "/_sandbox/reset", {});
  const seeded = await post(base, "/_sandbox/seed", { session: "gows", groups: 5000, membersPerGroup: 2, bigGroupMembers: 1024 });

  /**
   * Time from the user's press (the `pointerdown` that starts the click, stamped by the
   * browser) to `selector` having rows, measured in the page. Starting at the press, not
   * when Playwright is asked to click, leaves out its own actionability waits (~45 ms).
   */
  async function timeUntil(action, selector) {
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

  /**
   * Scrolling the page top to bottom: the interval between frames (what the eye sees; one
   * 60 Hz frame is 16.7 ms) and the main thread's style + layout work per step, both p95.
   */
  async function scrollP95() {
    return page.evaluate(async () => {
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
  }

  // Both are timed as a person meets them: an in-app navigation (no page load).
  const list = [];
  const group = [];
  const listScroll = [];
  const groupScroll = [];
  await page.goto(`${base}/groups/${seeded.bigGroupId}`);
  await page.getByTestId("participant-row").first().waitFor();
  for (let i = 0; i < runs; i++) {
    list.push(await timeUntil(() => page.getByRole("link", { name: "← All groups" }).click(), "[data-testid=group-row]"));
    listScroll.push(await scrollP95());
    await page.getByTestId("search").fill("Seeded big group");
    await page.getByTestId("group-row").filter({ hasText: "Seeded big group" }).waitFor();
    group.push(await timeUntil(
      () => page.getByTestId("group-row").filter({ hasText: "Seeded big group" }).getByRole("link").click(),
      "[data-testid=participant-row]",
    ));
    groupScroll.push(await scrollP95());
  }
  await page.close();
  return {
    groups: seeded.groups,
    bigGroupMembers: seeded.bigGroupMembers,
    runs,
    listFirstRenderMs: median(list),
    groupFirstRenderMs: median(group),
    listScrollP95: median(listScroll.map((x) => x.frame)),
    groupScrollP95: median(groupScroll.map((x) => x.frame)),
    listScrollWorkP95: median(listScroll.map((x) => x.work)),
    groupScrollWorkP95: median(groupScroll.map((x) => x.work)),
    samples: { list, group, listScroll, groupScroll },
  };
}
