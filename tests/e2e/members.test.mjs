// Members in and out, end to end in the panel against the sandbox: a 1,024-member group
// exported to one CSV, a list imported into another group (a bad row reported with its
// line, the rest run as a paced job with progress and a downloadable result), export of
// the groups ticked on the list, and a member whose number WhatsApp hides shown as
// "number hidden", with names beside numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useBrowser, open, connect, openNewGroup, base, tag, shots, waha } from "./support.mjs";

useBrowser();

const people = async (body) => {
  const res = await fetch(`${base}/_sandbox/people`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
};

/** Clicks `button` and returns the text of the CSV file it downloads. */
async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const text = await readFile(await download.path(), "utf8");
  return { name: download.suggestedFilename(), text: text.replace(/^\uFEFF/, "") };
}

test("a 1,024-member group exports to one CSV; a list imports into another group with a bad row reported", async (t) => {
  const { page, problems } = await open(t);
  await connect(page);
  const seeded = await fetch(`${base}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ groups: 0, bigGroupMembers: 1024 }),
  });
  const { bigGroupId } = await seeded.json();
  assert.ok(bigGroupId, "seeded");
  await page.goto(`${base}/groups/${encodeURIComponent(bigGroupId)}`);
  await page.getByTestId("group-subject").waitFor();

  const exported = await downloaded(page, page.getByTestId("export-members"));
  assert.match(exported.name, /members\.csv$/);
  const lines = exported.text.trimEnd().split("\r\n");
  assert.equal(lines[0], "groupId,groupSubject,id,phone,lid,role");
  const rows = lines.slice(1);
  assert.ok(rows.length >= 1024, `${rows.length} rows`);
  assert.ok(rows.every((r) => r.startsWith(`${bigGroupId},Seeded big group,`)));
  await page.getByTestId("export-status").filter({ hasText: /Exported \d+ rows/ }).waitFor();

  // Into another group: 30 members of the export, then a row that is not a number.
  const t2 = tag();
  const other = await openNewGroup(page, "default", `Import ${t2}`);
  const phones = rows.slice(0, 31).map((r) => r.split(",")[3]).filter((p) => p && p !== "5511900000000").slice(0, 30);
  const list = ["phone,action", ...phones.map((p) => `${p},add`), "not-a-number,add"].join("\r\n");
  await page.getByTestId("import-file").setInputFiles({ name: "list.csv", mimeType: "text/csv", buffer: Buffer.from(list) });
  await page.getByTestId("import-summary").filter({ hasText: "30 rows ready, 1 refused" }).waitFor();
  const bad = page.getByTestId("import-bad-row");
  assert.equal(await bad.count(), 1);
  assert.match(await bad.innerText(), /line 32: `not-a-number` is not a phone number/);
  await page.screenshot({ path: `${shots}/members-import-preview.png`, fullPage: true });
  // At 360 px the preview scrolls inside its box; the page itself does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 800 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true,
    "no horizontal scroll at 360 px with the preview shown");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId("import-run").click();
  await page.getByTestId("import-progress-text").filter({ hasText: "30 of 30" }).waitFor({ timeout: 60_000 });
  await page.getByTestId("import-results-download").waitFor();
  const statuses = await page.getByTestId("import-status").allInnerTexts();
  assert.deepEqual([...new Set(statuses)], ["✓ done"]);
  const results = await downloaded(page, page.getByTestId("import-results-download"));
  const resultLines = results.text.trimEnd().split("\r\n");
  assert.equal(resultLines[0], "line,phone,action,result,reason");
  assert.equal(resultLines.filter((l) => l.includes(",ok,")).length, 30);
  assert.match(resultLines.at(-1), /refused,"line 32: /);

  const res = await fetch(`${base}/api/default/groups/${encodeURIComponent(other)}/participants/v2`, { headers: waha });
  const members = (await res.json()).map((m) => m.id.replace("@c.us", ""));
  for (const p of phones) assert.ok(members.includes(p), p);
  assert.deepEqual(problems, []);
});

test("a hidden number says \"number hidden\"; names show beside numbers", async (t) => {
  const t3 = tag();
  const [named, hidden] = [`55119${t3}001`, `55119${t3}002`];
  await people({ phone: named, name: `Ana ${t3}` });
  await people({ phone: hidden, hiddenNumber: true, name: `Bia ${t3}` });
  const { page, problems } = await open(t);
  await connect(page);
  await openNewGroup(page, "default", `Hidden ${t3}`, [named, hidden]);
  const rows = page.getByTestId("participant-row");
  await rows.filter({ hasText: "number hidden" }).waitFor();
  const hiddenRow = rows.filter({ hasText: "number hidden" });
  assert.equal(await hiddenRow.count(), 1);
  await hiddenRow.getByTestId("member-name").filter({ hasText: `Bia ${t3}` }).waitFor();
  assert.doesNotMatch(await hiddenRow.innerText(), new RegExp(hidden.slice(4)));
  const namedRow = rows.filter({ hasText: `Ana ${t3}` });
  await namedRow.waitFor();
  assert.match(await namedRow.innerText(), /\+55 11 9\d{4}-\d{4}/);
  await page.screenshot({ path: `${shots}/members-hidden-number.png`, fullPage: true });
  // The export says the same: no number for the hidden member.
  const exported = await downloaded(page, page.getByTestId("export-members"));
  const hiddenLine = exported.text.split("\r\n").find((l) => l.includes("@lid"));
  assert.ok(hiddenLine, exported.text);
  assert.equal(hiddenLine.split(",")[3], "", hiddenLine);
  assert.deepEqual(problems, []);
});

test("the groups ticked on the list export to one file", async (t) => {
  const t4 = tag();
  const { page, problems } = await open(t);
  await connect(page);
  const ids = [];
  for (const n of [1, 2]) {
    const res = await fetch(`${base}/api/default/groups`, {
      method: "POST", headers: waha, body: JSON.stringify({ name: `Pick ${t4} ${n}`, participants: [{ id: `55116${t4}000${n}@c.us` }] }),
    });
    const created = await res.json();
    ids.push(created.id?._serialized ?? created.gid?._serialized ?? created.JID ?? created.id);
  }
  await page.goto(base);
  await page.getByTestId("subject").waitFor();
  await page.getByTestId("search").fill(`Pick ${t4}`);
  for (const n of [1, 2]) {
    await page.getByTestId("group-row").filter({ hasText: `Pick ${t4} ${n}` }).getByTestId("group-select").check();
  }
  const { text } = await downloaded(page, page.getByText("Export members of selected"));
  for (const id of ids) assert.ok(text.includes(`${id},Pick ${t4}`), `${id} in ${text}`);
  for (const n of [1, 2]) assert.ok(text.includes(`55116${t4}000${n}`));
  assert.deepEqual(problems, []);
});
