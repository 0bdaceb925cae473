// "Mention everyone" on the group page's send form, end to end: on WAHA the message reaches
// the group with `mentions: ["all"]` (the sandbox's `GET /_sandbox/messages` shows what was
// sent), the choice is for one message only; on Wavy, which cannot mention, the box is
// disabled and says why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, connect, open, openNewGroup, shots, tag, useBrowser } from "./support.mjs";

useBrowser();

const messages = async (chatId) =>
  (await fetch(`${base}/_sandbox/messages?chatId=${encodeURIComponent(chatId)}`)).json();

test("waha: a message with 'Mention everyone' is delivered with mentions [\"all\"]", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { session: "default" });
  const id = await openNewGroup(page, "default", `Mention ${tag()}`);
  const box = page.getByTestId("mention-all");
  assert.equal(await box.isDisabled(), false);
  assert.equal(await page.getByTestId("cannot-mention").count(), 0);

  await page.getByTestId("message").fill("Meeting in 5 minutes");
  await box.check();
  await page.screenshot({ path: `${shots}/mention-all-desktop.png`, fullPage: true });
  await page.getByTestId("send").click();
  await page.getByTestId("toasts").getByText("Message sent to the group").waitFor();
  assert.equal(await box.isChecked(), false, "chosen for one message, not for the next");
  let sent = await messages(id);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].text, "Meeting in 5 minutes");
  assert.deepEqual(sent[0].mentions, ["all"]);

  // Without the box, nobody is mentioned.
  await page.getByTestId("message").fill("Thanks");
  await page.getByTestId("send").click();
  await page.getByTestId("toasts").getByText("Message sent to the group").nth(1).waitFor();
  sent = await messages(id);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1].mentions, []);
  assert.deepEqual(problems, []);
});

test("wavy: 'Mention everyone' is disabled with the reason", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { provider: "wavy" });
  const subject = `Mention ${tag()}`;
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("create").click();
  await page.getByTestId("toasts").getByText(`Created “${subject}”`).waitFor();
  await page.getByTestId("search").fill(subject);
  await page.getByTestId("group-row").filter({ hasText: subject }).getByRole("link").click();
  await page.getByTestId("group-subject").filter({ hasText: subject }).waitFor();
  const box = page.getByTestId("mention-all");
  assert.equal(await box.isDisabled(), true);
  assert.match(await page.getByTestId("cannot-mention").innerText(), /Wavy cannot mention people/);
  assert.equal(await box.getAttribute("aria-describedby"), "cannot-mention");
  assert.deepEqual(problems, []);
});
