// The groups screen's loading of a big WAHA account, end to end: the first page at once,
// then the rest in the background, in as few list requests as the count allows — and
// never one past it (logic::load_account; its unit tests cover servers that ignore
// limit/offset, which the sandbox does not emulate).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
// A session of its own, so that the other tests' groups do not change the count.
const session = "webjs";

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
});
after(async () => browser?.close());

test("waha: a 550-group account loads as its first page and two chunks, none past the count", async (t) => {
  // The first page holds 50 and a chunk 250: 50 + 250 + 250 is the whole account, so the
  // loading stops there instead of asking for an empty fourth answer.
  const headers = { "X-Api-Key": "sandbox" };
  const { count: existing } = await (await fetch(`${base}/api/${session}/groups/count`, { headers })).json();
  assert.ok(existing < 550, `${existing} groups already in session ${session}`);
  const seeded = await fetch(`${base}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ session, groups: 550 - existing }),
  });
  assert.equal(seeded.status, 200);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  // The pages of the listing the panel asks for (not the connect form's `limit=1` check).
  const pages = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname === `/api/${session}/groups` && url.searchParams.has("offset")) {
      pages.push(`limit=${url.searchParams.get("limit")}&offset=${url.searchParams.get("offset")}`);
    }
  });
  await page.goto(base);
  await page.getByTestId("provider-waha").check();
  await page.getByTestId("api-key").fill("sandbox");
  await page.getByTestId("session").fill(session);
  await page.getByTestId("connect").click();

  await page.getByTestId("group-row").first().waitFor();
  // The whole account is here once the last page can be opened and searched.
  await page.getByTestId("groups-count").getByText("550 groups").waitFor();
  // The last group seeded is on the last page: searching finds it.
  const last = `Seeded group ${String(550 - existing - 1).padStart(5, "0")}`;
  await page.getByTestId("search").fill(last);
  await page.waitForFunction((last) => {
    const rows = [...document.querySelectorAll("[data-testid=group-row]")];
    return rows.length > 0 && rows.every((r) => r.innerText.includes(last));
  }, last);
  assert.equal(await page.getByTestId("groups-incomplete").count(), 0);
  assert.deepEqual(pages, ["limit=50&offset=0", "limit=250&offset=50", "limit=250&offset=300"]);
  assert.deepEqual(problems, []);
});
