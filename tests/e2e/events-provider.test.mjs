// Issue 12, item 17: the Events page reads a pasted payload as the current connection's
// provider, and a payload of the other provider's shape says plainly what was expected
// instead of failing silently. Direct mode, against the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, open, shots, useBrowser } from "./support.mjs";

useBrowser();

const WAVY_MO = JSON.stringify({ total: 1, data: [{ source: "5511999990001", origin: "5511999990001", message: { type: "TEXT", messageText: "Hi", waGroupId: "5519900000000-1553784379" } }] });
const WAHA_HOOK = JSON.stringify({ event: "group.v2.participants", session: "default", payload: { group: { id: "120363000000000001@g.us" }, type: "join", participants: [{ id: "5511999990001@c.us", role: "participant" }] } });

test("events: connected to WAHA, a pasted Wavy MO says what WAHA sends; a WAHA webhook is read as WAHA", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { provider: "waha" });
  await page.getByTestId("nav-events").click();
  assert.equal(await page.getByTestId("event-provider").inputValue(), "waha", "the connection's provider by default");
  await page.getByTestId("event-payload").fill(WAVY_MO);
  const said = await page.getByTestId("event-mismatch").innerText();
  assert.match(said, /^This looks like a Wavy MO message; you are connected to WAHA, which sends webhook JSON like \{/);
  assert.equal(await page.getByTestId("event-results").count(), 0, "no misleading classification");
  await page.screenshot({ path: `${shots}/events-mismatch-waha.png`, fullPage: true });

  await page.getByTestId("event-payload").fill(WAHA_HOOK);
  assert.equal(await page.getByTestId("event-mismatch").count(), 0);
  assert.equal(await page.getByTestId("event-kind").getAttribute("data-kind"), "participantsChanged");
  assert.deepEqual(problems, []);
});

test("events: connected to Wavy, a pasted WAHA webhook says what Wavy sends; a Wavy MO is read as Wavy", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { provider: "wavy" });
  await page.getByTestId("nav-events").click();
  assert.equal(await page.getByTestId("event-provider").inputValue(), "wavy");
  await page.getByTestId("event-payload").fill(WAHA_HOOK);
  const said = await page.getByTestId("event-mismatch").innerText();
  assert.match(said, /^This looks like a WAHA webhook; you are connected to Wavy, which sends MO batches like \{/);
  assert.equal(await page.getByTestId("event-results").count(), 0);

  await page.getByTestId("event-payload").fill(WAVY_MO);
  assert.equal(await page.getByTestId("event-mismatch").count(), 0);
  assert.equal(await page.getByTestId("event-kind").getAttribute("data-kind"), "groupMessage");
  // Said in an admin's words; the kind one click away (issue 12, item 14).
  assert.equal(await page.getByTestId("event-kind").innerText(), "Message in group");
  // Choosing the other provider by hand reads it as that one.
  await page.getByTestId("event-payload").fill(WAHA_HOOK);
  await page.getByTestId("event-provider").selectOption("waha");
  assert.equal(await page.getByTestId("event-mismatch").count(), 0);
  assert.equal(await page.getByTestId("event-kind").getAttribute("data-kind"), "participantsChanged");
  assert.deepEqual(problems, []);
});
