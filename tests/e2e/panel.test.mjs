// The admin panel end to end: headless Debian Chromium driven by playwright-core, against
// the sandbox serving both the panel and the WAHA API. Screenshots go to artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const shots = "artifacts/screenshots";
const unique = (prefix) => `${prefix} ${Math.random().toString(16).slice(2, 8)}`;
const TIMEOUT = 15_000;

let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh page (own storage) that fails the test on any page error or console error. */
async function openPanel(t, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("dialog", (d) => problems.push(`dialog: ${d.message()}`) && d.dismiss());
  t.after(async () => {
    await context.close();
  });
  await page.goto(base);
  return { page, problems, allowErrors: (pattern) => problems.splice(0, problems.length, ...problems.filter((p) => !pattern.test(p))) };
}

async function connect(page, apiKey = "sandbox") {
  await page.getByTestId("api-key").fill(apiKey);
  await page.getByTestId("session").fill("default");
  await page.getByTestId("connect").click();
}

test("a person connects, creates a group and sees it listed", async (t) => {
  const { page, problems } = await openPanel(t);
  assert.equal(await page.getByTestId("base-url").inputValue(), base, "the base URL defaults to where the panel is served");
  await page.screenshot({ path: `${shots}/connect-desktop.png`, fullPage: true });
  // "Test connection" checks the credentials without leaving the form or storing them.
  await page.getByTestId("api-key").fill("sandbox");
  await page.getByTestId("test-connection").click();
  await page.getByTestId("connection-ok").getByText(/Connection works/).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await connect(page);
  await page.getByTestId("subject").waitFor();

  const subject = unique("Panel");
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("participants").fill("+55 11 98888-4321, 5511988884322");
  await page.getByTestId("create").click();

  await page.getByTestId("toasts").getByText(`Created “${subject}”`).waitFor();
  const row = page.getByTestId("group-row").filter({ hasText: subject });
  await row.waitFor();
  assert.match(await row.innerText(), /\b3\b/, "creator + two members");
  assert.equal(await page.getByTestId("subject").inputValue(), "", "the form clears after success");
  await page.screenshot({ path: `${shots}/groups-desktop.png`, fullPage: true });

  // The key lives in sessionStorage only, and never in the URL.
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem("wa-groups.connection"),
    // Only the safety budget's counts (no credential) may be in localStorage.
    local: Object.keys(localStorage).filter((k) => !k.startsWith("wa-groups.safety.v1 ")),
    counts: Object.values(localStorage).join(" "),
    url: location.href,
  }));
  assert.match(stored.session, /"api_key":"sandbox"/);
  assert.deepEqual(stored.local, []);
  assert.doesNotMatch(stored.counts, /sandbox/);
  assert.doesNotMatch(stored.url, /sandbox/);

  // A reload reconnects from sessionStorage and still lists the group.
  await page.reload();
  await page.getByTestId("group-row").filter({ hasText: subject }).waitFor();
  assert.deepEqual(problems, []);
});

test("a wrong API key shows an inline error and keeps what was typed", async (t) => {
  const { page, problems, allowErrors } = await openPanel(t);
  await connect(page, "wrong-key");
  const error = page.getByTestId("connect-error");
  await error.waitFor();
  assert.match(await error.innerText(), /API key/);
  // The status is one click away, not in the sentence.
  assert.match(await error.getByTestId("technical-detail").textContent(), /401/);
  assert.equal(await page.getByTestId("api-key").inputValue(), "wrong-key");
  // Chromium logs the failed request itself; that is the 401 we asked for.
  allowErrors(/401/);
  assert.deepEqual(problems, []);
});

test("a create that fails keeps the form and says which field is wrong", async (t) => {
  const { page, problems } = await openPanel(t);
  await connect(page);
  await page.getByTestId("subject").waitFor();
  const subject = unique("Kept");
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("participants").fill("5511988880000, not-a-phone");
  await page.getByTestId("create").click();
  const error = page.getByTestId("create-error");
  await error.waitFor();
  // Which one, as the admin typed them; the library's field name is the technical detail.
  assert.match(await error.innerText(), /Number 2: “not-a-phone”/);
  assert.doesNotMatch(await error.innerText(), /participants\[1\]/);
  assert.match(await error.getByTestId("technical-detail").textContent(), /participants\[1\]/);
  assert.equal(await page.getByTestId("subject").inputValue(), subject);
  assert.equal(await page.getByTestId("participants").inputValue(), "5511988880000, not-a-phone");
  assert.equal(await page.getByTestId("group-row").filter({ hasText: subject }).count(), 0);
  assert.deepEqual(problems, []);
});

test("a hostile subject renders as text, not HTML", async (t) => {
  const { page, problems } = await openPanel(t);
  await connect(page);
  const hostile = `<img src=x onerror=alert(1)> ${unique("x")}`;
  await page.getByTestId("subject").fill(hostile);
  await page.getByTestId("create").click();
  const row = page.getByTestId("group-row").filter({ hasText: hostile });
  await row.waitFor();
  assert.equal(await row.locator("img").count(), 0);
  assert.deepEqual(problems, [], "no alert dialog, no errors");
});

test("the groups screen works at 360 px wide", async (t) => {
  const { page, problems } = await openPanel(t, { width: 360, height: 740 });
  await page.screenshot({ path: `${shots}/connect-360.png`, fullPage: true });
  await connect(page);
  await page.getByTestId("group-row").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "no horizontal scrolling");
  await page.screenshot({ path: `${shots}/groups-360.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("keyboard only: Tab reaches every field in order, Enter submits", async (t) => {
  const { page, problems } = await openPanel(t);
  /** Presses Tab until the element with `testid` has focus; fails if it is never reached. */
  async function tabTo(testid) {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((id) => document.activeElement?.dataset?.testid === id, testid)) return;
    }
    assert.fail(`Tab never reached ${testid}`);
  }
  await tabTo("api-key");
  await page.keyboard.type("sandbox");
  await page.keyboard.press("Enter");
  await page.getByTestId("subject").waitFor();
  await tabTo("subject");
  const subject = unique("Keyboard");
  await page.keyboard.type(subject);
  await page.keyboard.press("Enter");
  await page.getByTestId("toasts").getByText(`Created “${subject}”`).waitFor();
  await tabTo("search");
  await page.keyboard.type(subject);
  await page.getByTestId("group-row").filter({ hasText: subject }).waitFor();
  assert.equal(await page.getByTestId("next-page").innerText(), "Next");
  assert.deepEqual(problems, []);
});
