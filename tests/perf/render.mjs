// Measures, in headless Chromium, how long the panel takes to show a 5,000-group account
// and a 1,024-member group (from the click that asks for them to the rows on screen:
// request, decode and render), and how smoothly their pages scroll. Prints JSON; asserts
// no time. Usage: node tests/perf/render.mjs <sandbox URL serving the panel>
import { chromium } from "playwright-core";

const base = process.argv[2] ?? process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const RUNS = Number(process.env.RUNS ?? 7);
const post = (path, body) => fetch(`${base}${path}`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
}).then(async (r) => { const text = await r.text(); return text ? JSON.parse(text) : {}; });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base);
await page.getByTestId("api-key").fill("sandbox");
await page.getByTestId("session").fill("gows");
await page.getByTestId("connect").click();
await page.getByTestId("subject").waitFor();

// Big account: 5,000 groups in the `gows` session, one of them with 1,024 members.
await post("/_sandbox/reset", {});
const seeded = await post("/_sandbox/seed", { session: "gows", groups: 5000, membersPerGroup: 2, bigGroupMembers: 1024 });

/** Time from `action` to `selector` having rows, measured in the page. */
async function timeUntil(action, selector) {
  await page.evaluate((sel) => {
    window.__done = new Promise((resolve) => {
      const t0 = performance.now();
      window.__t0 = t0;
      const check = () => document.querySelector(sel) ? resolve(performance.now() - t0) : requestAnimationFrame(check);
      requestAnimationFrame(check);
    });
  }, selector);
  await action();
  return page.evaluate(() => window.__done);
}

/** Frame times while scrolling the page from top to bottom. */
async function scrollFrames() {
  return page.evaluate(async () => {
    const frames = [];
    let last = performance.now();
    const max = document.documentElement.scrollHeight - innerHeight;
    for (let y = 0; y <= max; y += 120) {
      scrollTo(0, y);
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    return { frames: frames.length, p95: frames[Math.floor(frames.length * 0.95)] ?? 0 };
  });
}

// Both are timed as a person meets them: an in-app navigation (no page load), from the
// click to the first rows on screen, so the request, the decode and the render are in.
const list = [];
const group = [];
let listScroll, groupScroll;
await page.goto(`${base}/groups/${seeded.bigGroupId}`);
await page.getByTestId("participant-row").first().waitFor();
for (let i = 0; i < RUNS; i++) {
  list.push(await timeUntil(() => page.getByRole("link", { name: "← All groups" }).click(), "[data-testid=group-row]"));
  if (i === 0) listScroll = await scrollFrames();
  await page.getByTestId("search").fill("Seeded big group");
  await page.getByTestId("group-row").filter({ hasText: "Seeded big group" }).waitFor();
  group.push(await timeUntil(
    () => page.getByTestId("group-row").filter({ hasText: "Seeded big group" }).getByRole("link").click(),
    "[data-testid=participant-row]",
  ));
  if (i === 0) groupScroll = await scrollFrames();
}

console.log(JSON.stringify({
  groups: seeded.groups,
  listFirstRenderMs: { median: median(list), runs: list.map((x) => Math.round(x)) },
  listScroll,
  bigGroupMembers: seeded.bigGroupMembers,
  groupFirstRenderMs: { median: median(group), runs: group.map((x) => Math.round(x)) },
  groupScroll,
}, null, 2));
await browser.close();
