// The group page end to end, for WAHA and for Wavy, as a person would use it: every
// operation through the panel against the sandbox, checked on screen after a re-read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { member as memberRow, written } from "./support.mjs";

const base = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const shots = "artifacts/screenshots";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==", "base64");

let browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
});
after(async () => browser?.close());

async function open(t, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && !/the server responded with a status of 40[04]/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  t.after(() => context.close());
  await page.goto(base);
  return { page, problems };
}

async function connect(page, provider) {
  await page.getByTestId(`provider-${provider}`).check();
  if (provider === "waha") {
    await page.getByTestId("api-key").fill("sandbox");
    await page.getByTestId("session").fill("default");
  } else {
    await page.getByTestId("user-name").fill("sandbox");
    await page.getByTestId("token").fill("sandbox");
  }
  await page.getByTestId("connect").click();
  await page.getByTestId("subject").waitFor();
}

async function userJoins(link, phone) {
  const res = await fetch(`${base}/_sandbox/join`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ link, phone }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Creates a group from the list page and opens its page. */
async function createAndOpen(page, subject) {
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("create").click();
  await page.getByTestId("toasts").getByText(`Created “${subject}”`).waitFor();
  await page.getByTestId("search").fill(subject);
  await page.getByTestId("group-row").filter({ hasText: subject }).getByRole("link").click();
  await page.getByTestId("group-subject").filter({ hasText: subject }).waitFor();
}

async function participantRow(page, phone) {
  return memberRow(page, phone);
}

for (const provider of ["waha", "wavy"]) {
  test(`${provider}: every group operation through the panel`, async (t) => {
    const { page, problems } = await open(t);
    await connect(page, provider);
    const t5 = tag();
    const subject = `E2E ${provider} ${t5}`;
    await createAndOpen(page, subject);
    const url = page.url();
    assert.match(url, /\/groups\//, "the group has its own URL");

    // Rename in place (Enter saves).
    await page.getByTestId("rename").click();
    await page.getByTestId("subject-input").fill(`Renamed ${t5}`);
    await page.getByTestId("subject-input").press("Enter");
    await page.getByTestId("group-subject").filter({ hasText: `Renamed ${t5}` }).waitFor();

    // Description: WAHA edits it; Wavy cannot, and the panel does not offer it.
    if (provider === "waha") {
      await page.getByTestId("description").fill("Weekly sync");
      await page.getByTestId("description-save").click();
      await page.getByTestId("toasts").getByText("Description saved").waitFor();
    } else {
      assert.equal(await page.getByTestId("description").count(), 0);
    }

    // Icon: a wrong type is refused before upload; a PNG previews, uploads and shows.
    await page.getByTestId("icon-file").setInputFiles({ name: "x.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
    await page.getByTestId("icon-error").waitFor();
    if (provider === "waha") {
      await page.getByTestId("icon-file").setInputFiles({ name: "icon.png", mimeType: "image/png", buffer: PNG });
    } else {
      // Drag and drop, as from a file manager.
      const transfer = await page.evaluateHandle((b64) => {
        const dt = new DataTransfer();
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], "icon.png", { type: "image/png" }));
        return dt;
      }, PNG.toString("base64"));
      await page.getByTestId("icon-dropzone").dispatchEvent("drop", { dataTransfer: transfer });
    }
    await page.getByTestId("icon-preview").waitFor();
    await page.getByTestId("icon-upload").click();
    await page.getByTestId("icon-current").waitFor();

    // Invite: link, QR, a user joins through the control API and shows up.
    await page.getByTestId("show-invite").click();
    const link = await page.getByTestId("invite-link").innerText();
    assert.match(link, /^https:\/\/chat\.whatsapp\.com\//);
    assert.equal(await page.getByTestId("invite-qr").locator("svg").count(), 1);
    await page.getByTestId("copy-invite").click();
    await page.getByTestId("toasts").getByText("Invite link copied").waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    const member = `55119${t5.slice(0, 4)}0001`;
    await userJoins(link, member);
    await page.reload();
    await (await participantRow(page, member)).waitFor();

    // Promote, demote, remove: the row's badge follows.
    const select = async () => (await participantRow(page, member)).getByTestId("participant-select").check();
    await select();
    await page.getByTestId("promote").click();
    await (await participantRow(page, member)).getByText("Admin").waitFor();
    await select();
    await page.getByTestId("demote").click();
    await (await participantRow(page, member)).getByText("Member").waitFor();
    await select();
    await page.getByTestId("remove").click();
    // Remove asks first, naming who goes.
    await page.getByTestId("confirm-items").getByText(written(member)).waitFor();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("participant-results").waitFor();
    await page.waitForFunction((p) => ![...document.querySelectorAll("[data-testid=participant-row]")].some((r) => r.textContent.includes(p)), written(member));

    // Settings (WAHA): a toggle is saved and read back after a reload.
    if (provider === "waha") {
      await page.getByTestId("setting-approval-required").check();
      await page.getByTestId("toasts").getByText("Setting saved").waitFor();
      await page.reload();
      await page.getByTestId("setting-approval-required").waitFor();
      await page.waitForFunction(() => document.querySelector("[data-testid=setting-approval-required]").checked);
    } else {
      assert.equal(await page.getByTestId("setting-approval-required").count(), 0);
    }

    // Revoke: confirm, and the link changes; the old one no longer admits anyone.
    await page.getByTestId("show-invite").click();
    const before = await page.getByTestId("invite-link").innerText();
    await page.getByTestId("revoke-invite").click();
    await page.getByTestId("confirm-ok").click();
    await page.waitForFunction((old) => document.querySelector("[data-testid=invite-link]").textContent !== old, before);
    const revoked = await fetch(`${base}/_sandbox/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ link: before, phone: "5511999998888" }) });
    assert.equal(revoked.status, 404);

    // Send a text to the group.
    await page.getByTestId("message").fill("Hello from the panel");
    await page.getByTestId("send").click();
    await page.getByTestId("toasts").getByText("Message sent to the group").waitFor();

    await page.screenshot({ path: `${shots}/group-${provider}-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, "no horizontal scroll at 360 px");
    await page.screenshot({ path: `${shots}/group-${provider}-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Delete where the provider can; otherwise the button says why it is disabled.
    if (provider === "waha") {
      await page.getByTestId("delete").click();
      assert.match(await page.getByTestId("confirm-dialog").innerText(), new RegExp(`Renamed ${t5}`));
      await page.getByTestId("confirm-cancel").click();
    } else {
      assert.equal(await page.getByTestId("delete").isDisabled(), true);
      assert.match(await page.getByTestId("cannot-delete").innerText(), /Wavy cannot delete groups/);
    }

    // Leave: the dialog names the group; Escape cancels, confirming leaves.
    await page.getByTestId("leave").click();
    await page.getByTestId("confirm-dialog").getByText(`Renamed ${t5}`).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(await page.getByTestId("confirm-dialog").count(), 0);
    await page.getByTestId("leave").click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("toasts").getByText("You left the group").waitFor();
    await page.getByTestId("search").fill(`Renamed ${t5}`);
    await page.getByTestId("groups-empty").waitFor();
    assert.deepEqual(problems, []);
  });
}

test("waha: add members with a per-participant result, join requests, join by link, delete", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, "waha");
  const t5 = tag();
  await createAndOpen(page, `Members ${t5}`);
  const [a, b] = [`55118${t5.slice(0, 4)}0001`, `55118${t5.slice(0, 4)}0002`];
  await page.getByTestId("add-participants").fill(`${a}, ${b}`);
  await page.getByTestId("add").click();
  await (await participantRow(page, a)).waitFor();
  await (await participantRow(page, b)).waitFor();
  // Adding someone already there is reported for that person, not dropped.
  await page.getByTestId("add-participants").fill(a);
  await page.getByTestId("add").click();
  await page.getByTestId("participant-results").getByText(`${written(a)} is already a member`).waitFor();

  // Join requests: approval on, two people ask, one approved, one rejected.
  await page.getByTestId("setting-approval-required").check();
  await page.getByTestId("toasts").getByText("Setting saved").waitFor();
  await page.getByTestId("show-invite").click();
  const link = await page.getByTestId("invite-link").innerText();
  const [yes, no] = [`55117${t5.slice(0, 4)}0001`, `55117${t5.slice(0, 4)}0002`];
  for (const p of [yes, no]) {
    await fetch(`${base}/_sandbox/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ link, phone: p }) });
  }
  await page.reload();
  await page.getByTestId("join-request").filter({ hasText: written(yes) }).getByTestId("approve").click();
  await page.getByTestId("toasts").getByText("Request approved").waitFor();
  await page.getByTestId("join-request").filter({ hasText: written(no) }).getByTestId("reject").click();
  await page.getByTestId("no-join-requests").waitFor();
  await (await participantRow(page, yes)).waitFor();

  // Delete behind a confirmation naming the group.
  await page.getByTestId("delete").click();
  await page.getByTestId("confirm-ok").click();
  await page.getByTestId("toasts").getByText("Group deleted").waitFor();

  // Join another account's group by link, with a preview first.
  const other = await fetch(`${base}/api/noweb/groups`, {
    method: "POST", headers: { "content-type": "application/json", "x-api-key": "sandbox" },
    body: JSON.stringify({ name: `Theirs ${t5}`, participants: [] }),
  }).then((r) => r.json());
  const code = await fetch(`${base}/api/noweb/groups/${encodeURIComponent(other.id)}/invite-code`, { headers: { "x-api-key": "sandbox" } }).then((r) => r.text());
  await page.getByTestId("join-link").fill(`https://chat.whatsapp.com/${code}`);
  await page.getByTestId("join-preview").click();
  await page.getByTestId("join-info").getByText(`Theirs ${t5}`).waitFor();
  await page.getByTestId("join").click();
  await page.getByTestId("toasts").getByText("Joined the group").waitFor();
  await page.getByTestId("search").fill(`Theirs ${t5}`);
  await page.getByTestId("group-row").filter({ hasText: `Theirs ${t5}` }).waitFor();
  assert.deepEqual(problems, []);
});

test("events: a Wavy group MO is a group message, never direct; WAHA HMAC is checked", async (t) => {
  const { page, problems } = await open(t);
  await page.getByTestId("nav-events").click();
  await page.getByTestId("event-payload").fill(JSON.stringify({ total: 1, data: [{ source: "5511999990001", origin: "5511999990001", message: { type: "TEXT", messageText: "Hi", waGroupId: "5519900000000-1553784379" } }] }));
  assert.equal(await page.getByTestId("event-kind").getAttribute("data-kind"), "groupMessage");
  assert.equal(await page.getByTestId("event-kind").innerText(), "Message in group");
  await page.getByTestId("event-provider").selectOption("waha");
  await page.getByTestId("event-payload").fill('{"event":"message","session":"default","engine":"WEBJS"}');
  await page.getByTestId("event-secret").fill("my-secret-key");
  await page.getByTestId("event-signature").fill("208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89");
  await page.getByTestId("event-hmac").getByText("Signature valid").waitFor();
  await page.getByTestId("event-signature").fill("00");
  await page.getByTestId("event-hmac").getByText("INVALID").waitFor();
  await page.screenshot({ path: `${shots}/events-desktop.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("wavy: with more groups than a page, the search filters the account", async (t) => {
  // Wavy pages by ids (a request per group's details); the panel loads every group behind
  // the first page and searches them all (trust.test.mjs: a group on page 5). With 60
  // groups the first page is full and a search must still narrow it.
  const seeded = await fetch(`${base}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ wavy: true, groups: 60, membersPerGroup: 1 }),
  });
  assert.equal(seeded.status, 200);
  const { page, problems } = await open(t);
  await connect(page, "wavy");
  await page.getByTestId("group-row").first().waitFor();
  assert.equal(await page.getByTestId("group-row").count(), 50, "a full first page");
  const first = (await page.getByTestId("group-row").first().getByRole("link").first().innerText()).trim();
  assert.ok(first.length > 3, `a subject to search for: "${first}"`);
  await page.getByTestId("search").fill(first);
  await page.waitForFunction((s) => {
    const rows = [...document.querySelectorAll("[data-testid=group-row]")];
    return rows.length > 0 && rows.length < 50 && rows.every((r) => r.innerText.includes(s));
  }, first);
  await page.getByTestId("search").fill(`no such group ${tag()}`);
  await page.getByTestId("groups-empty").waitFor();
  assert.deepEqual(problems, []);
});
