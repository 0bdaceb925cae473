// The metadata cache in the panel, measured: the requests a panel session sends to the
// provider to open 20 group pages (groups list → group page → back, 20 distinct groups,
// then the same 20 again), with the panel's cache (web/src/reuse.rs) and with it switched
// off (`localStorage["wa-groups.cache"] = "off"`, which only this measurement uses). Prints
// the figures (BENCHMARKS.md, "Requests to open 20 group pages") and asserts, by count, that
// the cache sends fewer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, connect, open, tag, useBrowser, waha } from "./support.mjs";

useBrowser();

const SESSION = "noweb";
const GROUPS = 20;

/** Counts the page's provider requests (`/api/…`) and waits for them to settle. */
function track(page) {
  const seen = [];
  const under = new Set();
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith("/api/")) return;
    seen.push(`${r.method()} ${url.pathname}${url.search}`);
    under.add(r);
  });
  page.on("requestfinished", (r) => under.delete(r));
  page.on("requestfailed", (r) => under.delete(r));
  return {
    seen,
    /** Waits until no request has been under way for a few polls in a row. */
    async idle() {
      for (let quiet = 0, polls = 0; quiet < 4; polls++) {
        assert.ok(polls < 400, `requests still under way: ${[...under].map((r) => r.url()).join(", ")}`);
        await new Promise((resolve) => setTimeout(resolve, 40));
        quiet = under.size === 0 ? quiet + 1 : 0;
      }
    },
  };
}

/** Opens each group from the searched list and comes back, twice; returns the requests. */
async function session(t, subjects, prefix, { cache }) {
  const { page, problems } = await open(t);
  if (!cache) {
    await page.evaluate(() => localStorage.setItem("wa-groups.cache", "off"));
    await page.reload();
  }
  await connect(page, { session: SESSION });
  await page.getByTestId("search").fill(prefix);
  await page.getByTestId("group-row").filter({ hasText: subjects[GROUPS - 1] }).waitFor();
  const requests = track(page);
  for (let pass = 0; pass < 2; pass++) {
    for (const subject of subjects) {
      await page.getByTestId("group-row").filter({ hasText: subject }).getByRole("link").click();
      await page.getByTestId("group-subject").filter({ hasText: subject }).waitFor();
      await requests.idle();
      await page.goBack();
      await page.getByTestId("group-row").filter({ hasText: subjects[GROUPS - 1] }).waitFor();
      await requests.idle();
    }
  }
  assert.deepEqual(problems, []);
  return requests.seen;
}

test(`cache: requests to open ${GROUPS} group pages twice, with and without the panel's cache`, async (t) => {
  const prefix = `Bench ${tag()}`;
  const subjects = [];
  for (let i = 0; i < GROUPS; i++) {
    const subject = `${prefix} ${String(i).padStart(2, "0")}`;
    const res = await fetch(`${base}/api/${SESSION}/groups`, {
      method: "POST", headers: waha, body: JSON.stringify({ name: subject, participants: [] }),
    });
    assert.ok(res.ok, await res.text());
    subjects.push(subject);
  }
  const { count } = await (await fetch(`${base}/api/${SESSION}/groups/count`, { headers: waha })).json();
  const without = await session(t, subjects, prefix, { cache: false });
  const withCache = await session(t, subjects, prefix, { cache: true });
  const by = (seen) => {
    const kinds = {};
    for (const line of seen) {
      const [method, path] = line.split(" ");
      const kind = `${method} ${path.replace(/\/groups\/[^/?]+/, "/groups/{id}").replace(/\?.*/, "?…")}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return kinds;
  };
  console.log(`# ${GROUPS} group pages opened twice from a searched list (WAHA ${SESSION}, ${count} groups in the account):`);
  console.log(`#   without the cache: ${without.length} requests ${JSON.stringify(by(without))}`);
  console.log(`#   with the cache:    ${withCache.length} requests ${JSON.stringify(by(withCache))}`);
  assert.ok(withCache.length < without.length, `${withCache.length} with the cache, ${without.length} without`);
});
