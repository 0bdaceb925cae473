// An axe-core run on every screen of the panel, desktop and 360 px (issue 12, Tests):
// no serious or critical violation. Each run writes what it found to artifacts/axe/.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { base, shots, useBrowser } from "./support.mjs";

const browser = useBrowser(); // a getter: the browser starts in `before`

import { readFileSync, writeFileSync } from "node:fs";

const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const found = {};

after(() => {
  mkdirSync("artifacts/axe", { recursive: true });
  writeFileSync(process.env.AXE_OUT ?? "artifacts/axe/results.json", JSON.stringify(found, null, 2) + "\n");
});

/** Runs axe on what is on screen; returns its violations as `impact id (count)`. */
async function axe(page, screen) {
  // The panel's CSP forbids inline script, so the context bypasses it to inject axe.
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(" ") }));
  });
  found[screen] = result;
  await page.screenshot({ path: `${shots}/axe-${screen}.png`, fullPage: true });
  return result;
}

function serious(violations) {
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["360", { width: 360, height: 740 }]]) {
  test(`axe-core: every screen at ${name} has no serious or critical violation`, async (t) => {
    const context = await browser().newContext({ viewport, bypassCSP: true });
    t.after(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const bad = {};
    const check = async (screen) => {
      const v = serious(await axe(page, `${screen}-${name}`));
      if (v.length) bad[screen] = v;
    };
    await page.goto(base);
    await page.getByTestId("connect").waitFor();
    await check("connect");
    await page.getByTestId("api-key").fill("sandbox");
    await page.getByTestId("session").fill("default");
    await page.getByTestId("connect").click();
    await page.getByTestId("subject").waitFor();
    const subject = `Axe ${Math.floor(Math.random() * 1e5)}`;
    await page.getByTestId("subject").fill(subject);
    await page.getByTestId("create").click().catch(() => {});
    await page.getByTestId("group-row").first().waitFor();
    await check("groups");
    await page.getByTestId("group-row").first().locator("a").click();
    await page.getByTestId("group-subject").waitFor();
    await page.getByTestId("participants").waitFor();
    await check("group");
    await page.getByTestId("leave").click();
    await page.getByTestId("confirm-dialog").waitFor();
    await check("dialog");
    await page.getByTestId("confirm-cancel").click();
    await page.getByTestId("nav-events").click();
    await page.waitForURL(/\/events$/);
    await page.locator("main textarea, main input").first().waitFor();
    await check("events");
    assert.deepEqual(bad, {});
  });
}
