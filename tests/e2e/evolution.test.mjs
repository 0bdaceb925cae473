// The panel on Evolution API (issue 16): connect, create with members, rename, invite link,
// promote, remove, send text (mentioning everyone), leave — and what Evolution cannot do is
// hidden or disabled with the reason, from `capabilities()`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, connect, open, shots, tag, useBrowser, written } from "./support.mjs";

useBrowser();

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==", "base64");

const memberRow = (page, phone) =>
  page.getByTestId("participant-row").filter({ hasText: written(phone) });

test("evolution: an admin's routine through the panel", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { provider: "evolution", session: "default" });
  const t5 = tag();
  const [ana, bo] = [`55119${t5.slice(0, 4)}0001`, `55119${t5.slice(0, 4)}0002`];
  const subject = `Evo ${t5}`;

  // Create with first members (Evolution needs at least one).
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("participants").fill(`${ana}, ${bo}`);
  await page.getByTestId("create").click();
  await page.getByTestId("toasts").getByText(`Created “${subject}”`).waitFor();
  await page.getByTestId("search").fill(subject);
  await page.getByTestId("group-row").filter({ hasText: subject }).getByRole("link").click();
  await page.getByTestId("group-subject").filter({ hasText: subject }).waitFor();
  const groupId = decodeURIComponent(page.url().split("/groups/")[1]);

  // Rename in place.
  await page.getByTestId("rename").click();
  await page.getByTestId("subject-input").fill(`Renamed ${t5}`);
  await page.getByTestId("subject-input").press("Enter");
  await page.getByTestId("group-subject").filter({ hasText: `Renamed ${t5}` }).waitFor();

  // Settings: only the two Evolution can change, and the reason for the others.
  await page.getByTestId("setting-messages-admin-only").waitFor();
  assert.equal(await page.getByTestId("setting-approval-required").count(), 0);
  assert.equal(await page.getByTestId("setting-members-can-add").count(), 0);
  assert.match(await page.getByTestId("settings-unavailable").innerText(), /Evolution API cannot change who may add members/);

  // Icon: set, shown; removal is not offered, with the reason.
  await page.getByTestId("icon-file").setInputFiles({ name: "icon.png", mimeType: "image/png", buffer: PNG });
  await page.getByTestId("icon-upload").click();
  await page.getByTestId("icon-current").waitFor();
  assert.equal(await page.getByTestId("icon-remove").count(), 0);
  await page.getByTestId("icon-no-remove").waitFor();

  // Invite link.
  await page.getByTestId("show-invite").click();
  assert.match(await page.getByTestId("invite-link").innerText(), /^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9]{22}$/);

  // Promote Ana, remove Bo.
  await memberRow(page, ana).getByTestId("participant-select").check();
  await page.getByTestId("promote").click();
  await memberRow(page, ana).getByText("Admin").waitFor();
  await memberRow(page, bo).getByTestId("participant-select").check();
  await page.getByTestId("remove").click();
  await page.getByTestId("confirm-items").getByText(written(bo)).waitFor();
  await page.getByTestId("confirm-ok").click();
  await page.getByTestId("participant-results").waitFor();
  await page.waitForFunction((p) => ![...document.querySelectorAll("[data-testid=participant-row]")].some((r) => r.textContent.includes(p)), written(bo));

  // Send a text mentioning everyone: Evolution's mentionsEveryOne, seen by the sandbox.
  await page.getByTestId("message").fill("Hello from the panel");
  await page.getByTestId("mention-all").check();
  await page.getByTestId("send").click();
  await page.getByTestId("toasts").getByText("Message sent to the group").waitFor();
  const sent = await (await fetch(`${base}/_sandbox/messages?chatId=${encodeURIComponent(groupId)}`)).json();
  assert.deepEqual(sent.map((m) => [m.text, m.mentions]), [["Hello from the panel", ["all"]]]);

  // Delete is disabled with the reason; leaving works.
  assert.equal(await page.getByTestId("delete").isDisabled(), true);
  assert.match(await page.getByTestId("cannot-delete").innerText(), /Evolution API cannot delete groups/);
  await page.screenshot({ path: `${shots}/group-evolution-desktop.png`, fullPage: true });
  await page.getByTestId("leave").click();
  await page.getByTestId("confirm-ok").click();
  await page.getByTestId("toasts").getByText("You left the group").waitFor();
  await page.getByTestId("search").fill(`Renamed ${t5}`);
  await page.getByTestId("groups-empty").waitFor();
  assert.deepEqual(problems, []);
});
