// Issue 12, items 12, 14 and 15: a focus ring that shows on every background, results and
// errors in an admin's words (the technical detail one click away), and a layout that does
// not break words at 360 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, open, connect, openNewGroup, inject, written, tag, shots, base, waha, OWNER } from "./support.mjs";

useBrowser();

// --- Contrast (WCAG 2.x relative luminance) -------------------------------------------------

/** [r, g, b, a] of a computed CSS colour (`rgb(…)` / `rgba(…)`); null when there is none. */
function rgba(css) {
  const m = css?.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [r, g, b, a];
}

/** `top` drawn over the opaque `bottom`. */
const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];

function luminance([r, g, b]) {
  const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** What the focused element's ring is drawn with and on: the outline and box-shadow
 *  colours, the opaque background around the element, and its own background (if any). */
async function ring(locator) {
  return locator.evaluate((el) => {
    const style = getComputedStyle(el);
    // The background an element shows: the first opaque one from it upwards, with the
    // translucent ones on the way composited over it.
    const layers = (from) => {
      const found = [];
      for (let e = from; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        found.push(bg);
        if (/^rgb\(/.test(bg)) break;
      }
      found.push("rgb(255, 255, 255)");
      return found;
    };
    return {
      visible: el.matches(":focus-visible") || el.matches("input:focus, textarea:focus, select:focus"),
      outline: style.outlineStyle === "none" ? null : style.outlineColor,
      outlineWidth: parseFloat(style.outlineWidth),
      shadow: style.boxShadow === "none" ? null : style.boxShadow,
      around: layers(el.parentElement),
      own: layers(el),
    };
  });
}

const flatten = (layers) => layers.map(rgba).filter(Boolean).reverse()
  .reduce((under, top) => (under ? over(top, under) : top), null);

/** The best contrast the ring reaches against `bg`: its outline or its shadow. */
function best(r, bg) {
  const colours = [r.outline, r.shadow].map(rgba).filter(Boolean).map((c) => over(c, bg));
  return Math.max(0, ...colours.map((c) => contrast(c, bg)));
}

async function checkRing(page, locator, name, seen) {
  await locator.scrollIntoViewIfNeeded();
  // A key press first: the browser then draws focus as it does for keyboard users.
  await page.keyboard.press("Shift");
  await locator.focus();
  const r = await ring(locator);
  assert.ok(r.visible, `${name} shows it has focus`);
  assert.ok(r.outline && r.outlineWidth >= 2, `${name}: a ring of at least 2 px (${r.outline}, ${r.outlineWidth}px)`);
  const around = flatten(r.around);
  const own = flatten(r.own);
  const outside = best(r, around);
  const inside = best(r, own);
  seen.push(`${name}: ${outside.toFixed(2)}:1 on rgb(${around.slice(0, 3).map(Math.round)}), ${inside.toFixed(2)}:1 on its own rgb(${own.slice(0, 3).map(Math.round)})`);
  assert.ok(outside >= 3, `${name}: the ring is ${outside.toFixed(2)}:1 against the background around it (${r.outline} / ${r.shadow} on ${r.around.join(" > ")})`);
  assert.ok(inside >= 3, `${name}: the ring is ${inside.toFixed(2)}:1 against the element's own background (${r.outline} / ${r.shadow} on ${r.own.join(" > ")})`);
}

test("the focus ring is at least 3:1 against every background it is drawn on", async (t) => {
  const { page, problems } = await open(t);
  await connect(page);
  const id = await openNewGroup(page, "default", `Focus ${tag()}`, [`55117${tag()}01`]);
  const seen = [];
  // The header (green), its links and its button.
  await checkRing(page, page.locator("header .brand"), "the brand link in the header", seen);
  await checkRing(page, page.getByTestId("nav-events"), "a nav link in the header", seen);
  await checkRing(page, page.getByTestId("sign-out"), "the sign-out button in the header", seen);
  // A white card: a link, a text field, a checkbox, a select, each kind of button.
  await checkRing(page, page.getByRole("link", { name: "← All groups" }), "a link on the page", seen);
  await checkRing(page, page.getByTestId("description"), "a text area", seen);
  await checkRing(page, page.getByTestId("participant-select").first(), "a checkbox", seen);
  await checkRing(page, page.getByTestId("add"), "a primary (green) button", seen);
  await checkRing(page, page.getByTestId("rename"), "a secondary button", seen);
  await checkRing(page, page.getByTestId("leave"), "a danger (red) button", seen);
  // The dialog.
  await page.getByTestId("leave").click();
  await checkRing(page, page.getByTestId("confirm-cancel"), "Cancel in the dialog", seen);
  await checkRing(page, page.getByTestId("confirm-ok"), "the confirm button in the dialog", seen);
  await page.keyboard.press("Escape");
  // The groups list: the search field and the sort menu.
  await page.goto(`${base}/?q=Focus`);
  await checkRing(page, page.getByTestId("sort"), "the sort menu", seen);
  await checkRing(page, page.getByTestId("search"), "the search field", seen);
  await page.screenshot({ path: `${shots}/words-focus-search.png` });
  t.diagnostic(seen.join("\n"));
  assert.ok(id);
  assert.deepEqual(problems, []);
});

/** The participant row of `phone` however the table writes it (digits with or without
 *  separators), so this test also runs against a panel that writes raw digits. */
function rowOf(page, phone) {
  const loose = new RegExp(phone.split("").join("[\\s-]?"));
  return page.getByTestId("participant-row").filter({ hasText: loose });
}

// --- Words ------------------------------------------------------------------------------------

/** What reads as developer language: operation and field names, status lines, raw ids and
 *  Unix times (ten digits from 1e9, or thirteen). */
const DEVELOPER = /promoteAdmins|demoteAdmins|addParticipants|removeParticipants|participants\[\d+\]|HTTP \d{3}|invalid_input|Unix time|@c\.us|@s\.whatsapp\.net|\b1\d{9}\b|\b\d{13}\b/;

test("member changes and errors are said for an admin, the detail one click away", async (t) => {
  const { page, problems } = await open(t, { allow: /status of 500/ });
  await connect(page);
  const phone = `55119${tag()}001`;
  const id = await openNewGroup(page, "default", `Words ${tag()}`, [phone]);
  const results = page.getByTestId("participant-results");

  // A promote: "Promoted 1 of 1", and the person as people write their number.
  await rowOf(page, phone).getByTestId("participant-select").check();
  await page.getByTestId("promote").click();
  await page.getByTestId("toasts").getByText("Promoted 1 of 1").waitFor();
  await results.getByText(`${written(phone)} was promoted to admin`).waitFor();
  assert.equal(await rowOf(page, phone).locator("td").nth(1).innerText(), written(phone), "the table writes the number the same way");

  // Adding someone already there: "+55 11 9…-…01 is already a member".
  await page.getByTestId("add-participants").fill(phone);
  await page.getByTestId("add").click();
  await results.getByText(`${written(phone)} is already a member`).waitFor();
  // The technical detail (the provider's id and status) is there, one click away.
  const detail = results.getByTestId("technical-detail").first();
  assert.doesNotMatch(await results.innerText(), /@c\.us/, "the raw id is not on screen until asked for");
  await detail.locator("summary").click();
  assert.match(await detail.innerText(), new RegExp(`${phone}@c\\.us`));
  await detail.locator("summary").click();

  // A number that is not one: which one, in the admin's words; the field name is detail.
  await page.getByTestId("add-participants").fill(`${phone}, not-a-phone`);
  await page.getByTestId("add").click();
  const error = page.getByTestId("participants-error");
  await error.waitFor();
  assert.match(await error.innerText(), /Number 2: “not-a-phone” is not a phone number/);
  await error.getByTestId("technical-detail").locator("summary").click();
  assert.match(await error.getByTestId("technical-detail").innerText(), /participants\[1\]/);
  await error.getByTestId("technical-detail").locator("summary").click();

  // A server failure on promote: said for an admin, the status in the detail.
  const route = (g) => `/api/default/groups/${g}/admin/promote`;
  await inject([{ route: route(encodeURIComponent(id)), method: "POST", status: 500, times: 1 },
    { route: route(id), method: "POST", status: 500, times: 1 }]);
  await rowOf(page, OWNER).getByTestId("participant-select").check();
  await page.getByTestId("promote").click();
  await error.getByText(/The server failed to do it/).waitFor();
  assert.match(await error.getByTestId("technical-detail").textContent(), /HTTP 500/);

  // Nothing on screen is developer language.
  const text = await page.locator("main").innerText();
  const header = await page.locator("header").innerText();
  const toasts = await page.getByTestId("toasts").innerText();
  for (const [where, said] of [["the page", text.replace(id, "")], ["the header", header], ["the toasts", toasts]]) {
    assert.doesNotMatch(said, DEVELOPER, `${where}: ${said.match(DEVELOPER)?.[0]} in\n${said}`);
  }
  await page.screenshot({ path: `${shots}/words-results.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("the group's creation time is a local date", async (t) => {
  const { page, problems } = await open(t);
  await connect(page);
  const id = await openNewGroup(page, "default", `Dates ${tag()}`);
  const res = await fetch(`${base}/api/default/groups/${encodeURIComponent(id)}`, { headers: waha });
  const group = await res.json();
  const created = group.creation ?? group.groupMetadata?.creation;
  assert.ok(Number.isInteger(created), JSON.stringify(group));
  const local = await page.evaluate((s) => new Date(s * 1000).toLocaleString(navigator.language), created);
  const shown = page.locator("section.card p").filter({ hasText: /^created /i });
  assert.equal(await shown.innerText(), `Created ${local}`);
  assert.doesNotMatch(await page.locator("main").innerText(), new RegExp(String(created)));
  assert.deepEqual(problems, []);
});

// --- 360 px -----------------------------------------------------------------------------------

/** The words (of the UI, not user data) that the layout broke across two lines. */
async function brokenWords(page) {
  return page.evaluate(() => {
    const broken = [];
    const scope = "header, nav, button, th, label, h1, h2, summary, .toolbar, .row";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el.closest(scope) || el.closest(".mono, code, textarea, select, .sr-only")) continue;
      if (!el.checkVisibility()) continue;
      for (const m of node.data.matchAll(/\S+/g)) {
        // A word longer than a narrow line may break; a word of the UI never is.
        if (m[0].length > 16) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
}

test("at 360 px no word of the panel breaks across lines and the account label shows", async (t) => {
  const { page, problems } = await open(t, { viewport: { width: 360, height: 740 } });
  await connect(page);
  await page.getByTestId("group-row").first().waitFor().catch(() => {});
  const label = page.getByTestId("connection-label");
  assert.equal(await label.isVisible(), true, "the account label is shown");
  const box = await label.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `the label fits the screen: ${JSON.stringify(box)}`);
  await page.screenshot({ path: `${shots}/words-360-groups.png`, fullPage: true });
  assert.deepEqual(await brokenWords(page), [], "groups screen");

  const phone = `55118${tag()}01`;
  await openNewGroup(page, "default", `Narrow ${tag()}`, [phone]);
  await page.getByTestId("add-participants").fill(phone);
  await page.getByTestId("add").click();
  await page.getByTestId("participant-results").waitFor();
  await page.screenshot({ path: `${shots}/words-360-group.png`, fullPage: true });
  assert.deepEqual(await brokenWords(page), [], "group screen");
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, "no horizontal scroll");

  // The failure toast ("Added 0 of 1") stays until dismissed, over the bottom of the page.
  for (const dismiss of await page.getByTestId("toast-dismiss").all()) await dismiss.click();
  await page.getByTestId("leave").click();
  await page.getByTestId("confirm-dialog").waitFor();
  assert.deepEqual(await brokenWords(page), [], "confirmation dialog");
  await page.keyboard.press("Escape");

  await page.goto(`${base}/events`);
  await page.getByTestId("event-payload").waitFor();
  assert.deepEqual(await brokenWords(page), [], "events screen");
  assert.deepEqual(problems, []);
});
