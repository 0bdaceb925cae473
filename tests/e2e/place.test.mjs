// The panel keeps the admin's place and works by keyboard and screen reader (issue 12,
// items 8-15, 17), against the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  OWNER, base, clearFaults, connect, inject, member as row, open, openNewGroup, shots, tag, useBrowser, waha,
} from "./support.mjs";

useBrowser();

const focused = (page) => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);

test("item 11: the confirmation is a modal dialog: focus on the safe choice, Tab stays inside, Escape closes, focus returns", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { session: "default" });
  await openNewGroup(page, "default", `Dialog ${tag()}`, [`55113${tag()}01`]);
  await page.getByTestId("leave").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("confirm-dialog");
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.tagName === "DIALOG" && d.matches(":modal")), true, "a modal <dialog>");
  assert.equal(await focused(page), "confirm-cancel", "focus on the safe choice");
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement)), true, `Tab ${i + 1} stays inside`);
  }
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement)), true, `Shift+Tab ${i + 1} stays inside`);
  }
  await page.screenshot({ path: `${shots}/place-dialog-desktop.png` });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${shots}/place-dialog-360.png` });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await focused(page), "leave", "focus back on the button that opened it");
  // Twice: Enter on the opener, then Enter again, does not confirm.
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("group-subject").waitFor();
  assert.equal(await focused(page), "leave");
  assert.deepEqual(problems, []);
});

test("item 9: the list's search, page and sort are in the URL: Back and a bookmark bring them back", async (t) => {
  const seeded = await fetch(`${base}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ groups: 120, membersPerGroup: 1 }),
  });
  assert.equal(seeded.status, 200);
  const { page, problems } = await open(t);
  await connect(page, { session: "default" });
  await page.getByTestId("group-row").first().waitFor();
  await page.getByTestId("sort").selectOption("subject-desc");
  await page.getByTestId("search").fill("Seeded");
  await page.getByTestId("next-page").click();
  await page.getByTestId("page-label").getByText(/^Page 2 of/).waitFor();
  await page.waitForURL(/[?&]q=Seeded/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("q"), "Seeded");
  assert.equal(url.searchParams.get("page"), "2");
  assert.equal(url.searchParams.get("sort"), "subject-desc");
  const first = await page.getByTestId("group-row").first().innerText();

  // Into a group and Back.
  await page.getByTestId("group-row").first().locator("a").click();
  await page.getByTestId("group-subject").waitFor();
  await page.goBack();
  await page.getByTestId("group-row").first().waitFor();
  assert.equal(await page.getByTestId("search").inputValue(), "Seeded");
  assert.equal(await page.getByTestId("sort").inputValue(), "subject-desc");
  await page.getByTestId("page-label").getByText(/^Page 2 of/).waitFor();
  assert.equal(await page.getByTestId("group-row").first().innerText(), first);

  // A bookmark, opened afresh.
  await page.goto(url.href);
  await page.getByTestId("group-row").first().waitFor();
  assert.equal(await page.getByTestId("search").inputValue(), "Seeded");
  assert.equal(await page.getByTestId("sort").inputValue(), "subject-desc");
  await page.getByTestId("page-label").getByText(/^Page 2 of/).waitFor();
  assert.equal(await page.getByTestId("group-row").first().innerText(), first);
  assert.deepEqual(problems, []);
});

test("item 8: after a promote on page 2 of a filtered table the page, filter, scroll and focus are kept", async (t) => {
  const { page, problems } = await open(t);
  await connect(page, { session: "default" });
  const t5 = tag();
  const members = Array.from({ length: 120 }, (_, i) => `55114${t5}${String(i).padStart(3, "0")}`);
  await openNewGroup(page, "default", `Big ${t5}`, members);
  await row(page, members[0]).waitFor();
  const filter = page.getByTestId("participant-filter");
  await filter.fill(`+55 11 4${t5}`);
  const pager = page.getByRole("navigation", { name: "Participant pages" });
  const label = pager.locator("span");
  await pager.getByRole("button", { name: "Next" }).click();
  await label.getByText("Page 2 of 3").waitFor();
  const target = page.getByTestId("participant-row").nth(3);
  const phone = (await target.locator("td.mono").innerText()).trim();
  await target.getByTestId("participant-select").check();
  await page.getByTestId("promote").scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.getByTestId("promote").focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("participant-results").waitFor();
  await page.getByTestId("participant-row").filter({ hasText: phone }).getByText("Admin").waitFor()
    .catch(async () => assert.fail(`the promoted ${phone} is not on screen: filter "${await filter.inputValue()}", ${await label.innerText()}`));
  assert.equal(await filter.inputValue(), `+55 11 4${t5}`, "the filter is kept");
  assert.equal(await label.innerText(), "Page 2 of 3", "the page is kept");
  const now = await page.evaluate(() => window.scrollY);
  assert.ok(Math.abs(now - scrolled) < 2, `the scroll is kept: ${scrolled} then ${now}`);
  const where = await page.evaluate(() => {
    const a = document.activeElement;
    return { body: a === document.body || a === null, inCard: !!a?.closest("section")?.querySelector("[data-testid=participants]") };
  });
  assert.equal(where.body, false, "focus is not dropped to <body>");
  assert.equal(where.inCard, true, "focus stays with the members");
  await page.screenshot({ path: `${shots}/place-promote-kept-desktop.png` });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${shots}/place-promote-kept-360.png` });
  assert.deepEqual(problems, []);
});

test("item 13: a title per page, one h1, a skip link, and focus on the new page's heading after navigating", async (t) => {
  const { page, problems } = await open(t);
  await page.waitForFunction(() => document.title === "Connect — wa-groups");
  await connect(page, { session: "default" });
  await page.waitForFunction(() => document.title === "Groups — wa-groups");
  assert.equal(await page.locator("h1").count(), 1, "one h1");
  // A fresh load (the connection stays in the tab): the first Tab reaches the skip link.
  await page.reload();
  await page.waitForFunction(() => document.title === "Groups — wa-groups");
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "skip-link", "the first Tab reaches the skip link");
  const subject = `Book club ${tag()}`;
  await openNewGroup(page, "default", subject);
  await page.waitForFunction((s) => document.title === `${s} — wa-groups`, subject);
  // Back to the list and into the group by its link: focus lands on the new page's heading.
  await page.getByRole("link", { name: "← All groups" }).click();
  await page.waitForFunction(() => document.activeElement?.tagName === "H1");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Groups$/);
  await page.getByTestId("nav-events").click();
  await page.waitForFunction(() => document.activeElement?.tagName === "H1" && document.title === "Events — wa-groups");
  assert.equal(await page.locator("h1").count(), 1, "one h1 on Events");
  assert.deepEqual(problems, []);
});
