// What the panel's end-to-end tests share: the sandbox's address, one headless Chromium per
// test file, pages that record their errors, fault injection, and the connect and
// open-a-group steps.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const base = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
export const shots = "artifacts/screenshots";
export const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
export const OWNER = "5511900000000"; // the sandbox's WAHA account
export const waha = { "content-type": "application/json", "x-api-key": "sandbox" };

let browser;

/** One headless Chromium for the calling test file, closed (and faults cleared) after it. */
export function useBrowser() {
  before(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    });
  });
  after(async () => {
    await clearFaults();
    await browser?.close();
  });
  return () => browser;
}

export async function clearFaults() {
  await fetch(`${base}/_sandbox/faults`, { method: "DELETE" });
}

export async function inject(faults) {
  const res = await fetch(`${base}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults),
  });
  assert.equal(res.status, 204, await res.text());
}

/** A fresh page that records page errors and console errors (`allow` filters expected ones). */
export async function open(t, { viewport = { width: 1280, height: 900 }, allow = /^$/ } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && !/the server responded with a status of 40[04]/.test(m.text())
    && !allow.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  t.after(() => context.close());
  await page.goto(base);
  return { page, problems };
}

/** Connects to WAHA `session` (or Wavy, or Evolution instance `session`); `engine` picks the
 *  connect form's engine choice. */
export async function connect(page, { provider = "waha", session = "default", engine } = {}) {
  await page.getByTestId(`provider-${provider}`).check();
  if (provider === "waha") {
    await page.getByTestId("api-key").fill("sandbox");
    await page.getByTestId("session").fill(session);
    if (engine) await page.getByTestId("engine").selectOption(engine);
  } else if (provider === "evolution") {
    await page.getByTestId("evolution-key").fill("sandbox");
    await page.getByTestId("instance").fill(session);
  } else {
    await page.getByTestId("user-name").fill("sandbox");
    await page.getByTestId("token").fill("sandbox");
  }
  await page.getByTestId("connect").click();
  await page.getByTestId("subject").waitFor();
}

/** Creates a group through the WAHA API of `session` and opens its page in the panel. */
export async function openNewGroup(page, session, subject, participants = []) {
  const res = await fetch(`${base}/api/${session}/groups`, {
    method: "POST", headers: waha,
    body: JSON.stringify({ name: subject, participants: participants.map((p) => ({ id: `${p}@c.us` })) }),
  });
  const body = await res.text();
  assert.ok(res.ok, body);
  const created = JSON.parse(body);
  const id = created.id?._serialized ?? created.gid?._serialized ?? created.JID ?? created.id;
  assert.ok(typeof id === "string", JSON.stringify(created));
  await page.goto(`${base}/groups/${encodeURIComponent(id)}`);
  await page.getByTestId("group-subject").waitFor();
  return id;
}

export function row(page, phone) {
  return page.getByTestId("participant-row").filter({ hasText: `+${phone}` });
}

/** The participant row of `phone` (digits), whichever way the table writes the number. */
export function member(page, phone) {
  return page.locator(`[data-testid=participant-row][data-key="${phone}"], [data-testid=participant-row][data-key="${phone}@c.us"]`);
}

/** A Brazilian (55) or North American (1) number as the panel writes it for people:
 *  `5511999990001` → `+55 11 99999-0001`, `15554030001` → `+1 555 403 0001`. */
export function written(phone) {
  if (/^55\d{10,11}$/.test(phone)) return `+55 ${phone.slice(2, 4)} ${phone.slice(4, -4)}-${phone.slice(-4)}`;
  if (/^1\d{10}$/.test(phone)) return `+1 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  throw new Error(`no written form for ${phone} in the tests`);
}

/** A pattern for the digits of `phone` however they are written (`+55 11 99999-0001`). */
export function spaced(phone) {
  return new RegExp(`\\+${phone.split("").join("[\\s-]?")}`);
}
