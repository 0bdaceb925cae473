// Adds that don't cost the account, in the panel end to end: a privacy refusal turned into
// an invite (seen in the sandbox's `/_sandbox/messages`), and an exhausted safety budget
// stopping an add with nothing sent (seen in `/_sandbox/stats`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, connect, open, openNewGroup, shots, tag, useBrowser } from "./support.mjs";

useBrowser();

const messages = async (chatId) =>
  (await fetch(`${base}/_sandbox/messages?chatId=${encodeURIComponent(chatId)}`)).json();
const received = async (part) => {
  const { requests } = await (await fetch(`${base}/_sandbox/stats`)).json();
  return Object.entries(requests).filter(([route]) => route.includes(part)).reduce((n, [, c]) => n + c, 0);
};

test("a privacy refusal becomes an invite by link, and the budget shows what is left", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { session: "noweb" });
  // On by default: the create form says what is left.
  await page.getByTestId("budget-creates").filter({ hasText: "10 creates left today" }).waitFor();
  const private_ = `1555403${tag().slice(0, 4)}`;
  await openNewGroup(page, "noweb", `Invite ${tag()}`);
  await page.getByTestId("budget-adds").filter({ hasText: "50 adds left today" }).waitFor();
  await page.getByTestId("add-participants").fill(private_);
  await page.getByTestId("invite-on-privacy").check();
  await page.getByTestId("add").click();
  const result = page.getByTestId("participant-result").filter({ hasText: "invited by link" });
  await result.waitFor();
  // A refused add is still an attempt WhatsApp saw: it used a slot.
  await page.getByTestId("budget-adds").filter({ hasText: "49 adds left today" }).waitFor();
  const sent = await messages(`${private_}@c.us`);
  assert.equal(sent.length, 1, JSON.stringify(sent));
  assert.match(sent[0].text, /https:\/\/chat\.whatsapp\.com\/\w+/);
  await page.screenshot({ path: `${shots}/safety-invited.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("an exhausted budget stops an add before anything is sent", async (t) => {
  const { page, problems } = await open(t);
  await connect(page);
  await page.getByTestId("safety-settings").locator("summary").click();
  await page.getByTestId("safety-adds").fill("0");
  await page.getByTestId("safety-save").click();
  const phone = `55119${tag().slice(0, 4)}0001`;
  const id = await openNewGroup(page, "default", `Spent ${tag()}`);
  await page.getByTestId("budget-adds").filter({ hasText: "No adds left today" }).waitFor();
  await page.getByTestId("add-participants").fill(phone);
  await page.getByTestId("add").click();
  const error = page.getByTestId("participants-error");
  await error.filter({ hasText: "Nothing was sent: the safety limit of 0 adds" }).waitFor();
  assert.equal(await received(`${id}/participants/add`), 0, "no add reached the server");
  await page.screenshot({ path: `${shots}/safety-spent.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("a large add asks first, and declining sends nothing", async (t) => {
  const { page, problems } = await open(t);
  await connect(page);
  const t0 = tag().slice(0, 4);
  const id = await openNewGroup(page, "default", `Large ${tag()}`);
  const many = Array.from({ length: 21 }, (_, i) => `55119${t0}${String(i).padStart(4, "0")}`);
  await page.getByTestId("add-participants").fill(many.join("\n"));
  await page.getByTestId("add").click();
  // The page's dialog handler (support.mjs) declines and records the question.
  for (let i = 0; i < 50 && problems.length === 0; i++) await page.waitForTimeout(100);
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], /^dialog: Add 21 people at once \(50 adds left today\)\?/);
  assert.equal(await received(`${id}/participants/add`), 0, "declined: nothing sent");
  await page.getByTestId("budget-adds").filter({ hasText: "50 adds left today" }).waitFor();
});
