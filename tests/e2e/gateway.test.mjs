// The panel served by a real gateway (issue 13): sign-in and its failures, the choice of
// connection, WAHA and Wavy groups listed and created through the gateway, a member joining
// shown live on the Events page and the group's timeline, a viewer refused, the audit, a
// session that ends, sign-out, and the stream recovering after the gateway restarts; an
// Evolution API instance chosen, changed and heard from the same way.
//
// It starts the gateway binary itself (WA_GROUPS_GATEWAY_BIN) in front of the sandbox
// (WA_GROUPS_SANDBOX_URL), serving the panel from WA_GROUPS_PANEL_DIST (default `dist`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { base as sandbox, shots, tag, useBrowser } from "./support.mjs";

const browser = useBrowser();
const BIN = process.env.WA_GROUPS_GATEWAY_BIN;
const DIST = resolve(process.env.WA_GROUPS_PANEL_DIST ?? "dist");
const ADMIN = ["ana", "ana's long password"];
const VIEWER = ["vic", "vic's long password"];
const HOOK_SECRET = "e2e-hook-secret-5a1c";
const WAVY_TOKEN = "e2ewavyhooktoken7b2";
const EVO_TOKEN = "e2eevohooktoken3c9";
// The sandbox's credentials, held by the gateway only (from its environment).
const ENV = {
  E2E_WAHA_KEY: "sandbox", E2E_WAVY_USER: "sandbox", E2E_WAVY_TOKEN: "sandbox",
  E2E_WAHA_HOOK: HOOK_SECRET, E2E_WAVY_HOOK: WAVY_TOKEN,
  E2E_EVO_KEY: "sandbox", E2E_EVO_HOOK: EVO_TOKEN,
  // A connection configured with a key the sandbox refuses: its 401s are the provider's.
  E2E_BAD_KEY: "not-the-sandbox-key",
};

let data;
let config;
let gateway; // { process, base, addr }

/** `wa-groups-gateway user …` on the test's data dir, the password on stdin. */
function userCommand(args, password = "") {
  const run = spawnSync(BIN, ["user", ...args, "--data", data], { input: password + "\n", encoding: "utf8" });
  assert.equal(run.status, 0, `user ${args.join(" ")}: ${run.stderr}`);
}

/** Starts the gateway (on `addr`, else a free port) and waits for its "listening" line. */
async function startGateway(addr = "127.0.0.1:0") {
  const child = spawn(BIN, ["--config", config, "--addr", addr, "--data", data, "--static", DIST], {
    env: { ...process.env, ...ENV }, stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the gateway did not start: ${err}`)), 20_000);
    child.stdout.on("data", (d) => {
      out += d;
      const found = out.match(/wa-groups-gateway listening on (http:\/\/[0-9.:]+)/);
      if (found) { clearTimeout(timer); ok(found[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`the gateway exited (${code}): ${err}`)); });
  });
  return { process: child, base, addr: base.replace("http://", ""), stderr: () => err };
}

async function stopGateway() {
  if (!gateway) return;
  const child = gateway.process;
  child.removeAllListeners("exit");
  const exited = new Promise((ok) => child.once("exit", ok));
  child.kill("SIGKILL");
  await exited;
  gateway = undefined;
}

before(async () => {
  assert.ok(BIN, "set WA_GROUPS_GATEWAY_BIN to the wa-groups-gateway binary (cargo build -p wa-groups-gateway)");
  data = mkdtempSync(join(tmpdir(), "wa-groups-gw-e2e-"));
  config = join(data, "gateway.toml");
  writeFileSync(config, `
[[connection]]
name = "main"
provider = "waha"
upstream = "${sandbox}"
session = "default"
api_key_env = "E2E_WAHA_KEY"
webhook_secret_env = "E2E_WAHA_HOOK"

[[connection]]
name = "sales"
provider = "wavy"
upstream = "${sandbox}"
user_name_env = "E2E_WAVY_USER"
auth_token_env = "E2E_WAVY_TOKEN"
webhook_secret_env = "E2E_WAVY_HOOK"

[[connection]]
name = "broken"
provider = "waha"
upstream = "${sandbox}"
api_key_env = "E2E_BAD_KEY"

[[connection]]
name = "evo"
provider = "evolution"
upstream = "${sandbox}"
instance = "sales"
api_key_env = "E2E_EVO_KEY"
webhook_secret_env = "E2E_EVO_HOOK"
`);
  userCommand(["add", ADMIN[0], "--role", "admin"], ADMIN[1]);
  userCommand(["add", VIEWER[0], "--role", "viewer"], VIEWER[1]);
  gateway = await startGateway();
});

after(async () => {
  await stopGateway();
  await fetch(`${sandbox}/_sandbox/webhook`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: null }),
  });
  if (data) rmSync(data, { recursive: true, force: true });
});

/** Points the sandbox's one webhook at the gateway: WAHA signed, or Wavy's token URL; or
 * Evolution's webhook at its token URL. */
async function hookTo(connection) {
  const body = connection === "main"
    ? { url: `${gateway.base}/_gateway/hooks/main`, secret: HOOK_SECRET }
    : connection === "evo"
      ? { url: `${gateway.base}/_gateway/hooks/evo/${EVO_TOKEN}`, provider: "evolution" }
      : { url: `${gateway.base}/_gateway/hooks/sales/${WAVY_TOKEN}` };
  const res = await fetch(`${sandbox}/_sandbox/webhook`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 204, await res.text());
}

/** A page on the gateway that records errors (a 401 from `/_gateway/me` is expected). */
async function openGateway(t, { viewport = { width: 1280, height: 900 }, bypassCSP = false } = {}) {
  const context = await browser().newContext({ viewport, bypassCSP });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error"
    && !/the server responded with a status of 40[0134]|ERR_CONNECTION_REFUSED|net::ERR_|EventSource/.test(m.text())
    && problems.push(`console: ${m.text()}`));
  t.after(() => context.close());
  await page.goto(gateway.base);
  return { page, problems };
}

async function signIn(page, [user, password]) {
  await page.getByTestId("gateway-user").fill(user);
  await page.getByTestId("gateway-password").fill(password);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("connection-choice").first().waitFor();
}

async function choose(page, name) {
  await page.getByTestId(`choose-${name}`).click();
  await page.getByTestId("subject").waitFor();
}

/** Creates a group with the panel's form; returns its id (from the row's link). */
async function createInPanel(page, subject) {
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("create").click();
  const row = page.getByTestId("group-row").filter({ hasText: subject });
  await row.waitFor();
  const href = await row.locator("a").first().getAttribute("href");
  return decodeURIComponent(href.replace(/^\/groups\//, ""));
}

async function inviteCode(provider, id) {
  if (provider === "waha") {
    const res = await fetch(`${sandbox}/api/default/groups/${encodeURIComponent(id)}/invite-code`, { headers: { "x-api-key": "sandbox" } });
    assert.ok(res.ok);
    return (await res.text()).replace(/^"|"$/g, "");
  }
  const res = await fetch(`${sandbox}/v1/whatsapp/groups/${encodeURIComponent(id)}/invite`, { headers: { userName: "sandbox", authenticationToken: "sandbox" } });
  const body = await res.json();
  assert.ok(res.ok, JSON.stringify(body));
  return body.groups[0].link;
}

async function joinGroup(link, phone) {
  const res = await fetch(`${sandbox}/_sandbox/join`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ link, phone }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

const phone = () => `55119${tag()}${tag().slice(0, 3)}`; // 13 digits: +55 11 9xxxx-xxxx
const written = (p) => `+55 11 ${p.slice(4, 9)}-${p.slice(9)}`;

test("gateway: a wrong password is refused and the form keeps the user name; then the connections", async (t) => {
  const { page, problems } = await openGateway(t);
  await page.getByTestId("gateway-user").waitFor();
  assert.equal(await page.getByTestId("provider-waha").count(), 0, "no direct-mode form: no provider credential is asked for");
  await page.getByTestId("gateway-user").fill(ADMIN[0]);
  await page.getByTestId("gateway-password").fill("not the password");
  await page.getByTestId("sign-in").click();
  await page.getByTestId("sign-in-error").getByText("Wrong user name or password.").waitFor();
  assert.equal(await page.getByTestId("gateway-user").inputValue(), ADMIN[0], "the user name is kept");
  await page.screenshot({ path: `${shots}/gateway-sign-in-refused.png`, fullPage: true });

  await page.getByTestId("gateway-password").fill(ADMIN[1]);
  await page.getByTestId("sign-in").click();
  const choices = page.getByTestId("connection-choice");
  await choices.first().waitFor();
  assert.equal(await choices.count(), 4);
  assert.match(await choices.nth(0).innerText(), /main.*WAHA.*session default/s);
  assert.match(await choices.nth(1).innerText(), /sales.*Wavy/s);
  assert.match(await choices.nth(3).innerText(), /evo.*Evolution API.*instance sales/s);
  await page.screenshot({ path: `${shots}/gateway-connections.png`, fullPage: true });
  await choose(page, "main");
  assert.match(await page.getByTestId("connection-label").innerText(), /main · WAHA · default/);
  // Nothing provider-secret in the browser: the gateway holds the keys.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.doesNotMatch(stored, /sandbox/);
  assert.match(stored, /gateway\W+main/);
  assert.deepEqual(problems, []);
});

test("gateway: 429 after too many failures says how long to wait", async (t) => {
  const { page } = await openGateway(t);
  await page.getByTestId("gateway-user").fill("nobody");
  for (let i = 0; i < 6; i++) {
    await page.getByTestId("gateway-password").fill(`wrong ${i}`);
    await page.getByTestId("sign-in").click();
    await page.getByTestId("sign-in").and(page.locator(":enabled")).waitFor();
  }
  await page.getByTestId("sign-in-error").getByText(/Too many failed sign-ins: try again in \d+\ss\./).waitFor();
  assert.equal(await page.getByTestId("gateway-user").inputValue(), "nobody");
});

test("gateway WAHA: list, create, and a member joining shows on the Events page and the timeline without a reload", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "main");
  const subject = `GW WAHA ${tag()}`;
  const id = await createInPanel(page, subject);
  await hookTo("main");
  const code = await inviteCode("waha", id);

  await page.getByTestId("nav-events").click();
  await page.getByTestId("live-state").getByText("Live").waitFor();
  const first = phone();
  const joined = await joinGroup(code, first);
  assert.equal(joined.delivered, true, "the gateway took the webhook");
  const row = page.getByTestId("live-event").filter({ hasText: `${written(first)} joined` });
  await row.waitFor();
  assert.equal(await row.locator("time").count(), 1, "with its local time");
  await page.screenshot({ path: `${shots}/gateway-events-live.png`, fullPage: true });

  // The group's timeline, on the group's page: the join from the history, then a second one
  // arriving live.
  await page.goto(`${gateway.base}/groups/${encodeURIComponent(id)}`);
  const entries = page.getByTestId("timeline-entry");
  await entries.filter({ hasText: `${written(first)} joined` }).waitFor();
  const second = phone();
  await joinGroup(code, second);
  await entries.filter({ hasText: `${written(second)} joined` }).waitFor();
  assert.match(await entries.first().innerText(), new RegExp(written(second).replace(/\+/g, "\\+")), "newest first");
  assert.equal(await page.getByTestId("live-event").count(), 0);
  // Reloading shows each event once (history and stream share ids).
  await page.goto(`${gateway.base}/events`);
  await page.getByTestId("live-event").filter({ hasText: `${written(second)} joined` }).waitFor();
  assert.equal(await page.getByTestId("live-event").filter({ hasText: `${written(first)} joined` }).count(), 1);
  assert.deepEqual(problems, []);
});

test("gateway: the group page shows its membership timeline, updated live", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "main");
  const subject = `GW Timeline ${tag()}`;
  const id = await createInPanel(page, subject);
  await hookTo("main");
  const code = await inviteCode("waha", id);
  await page.getByTestId("group-row").filter({ hasText: subject }).locator("a").first().click();
  await page.getByTestId("group-subject").waitFor();
  await page.getByTestId("timeline").waitFor();
  const member = phone();
  await joinGroup(code, member);
  await page.getByTestId("timeline-entry").filter({ hasText: `${written(member)} joined` }).waitFor();
  assert.deepEqual(problems, []);
});

test("gateway Wavy: list, create, and a member's message shows live", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "sales");
  assert.match(await page.getByTestId("connection-label").innerText(), /sales · Wavy/);
  const subject = `GW Wavy ${tag()}`;
  const id = await createInPanel(page, subject);
  const member = phone();
  await joinGroup(await inviteCode("wavy", id), member);
  await hookTo("sales");
  await page.getByTestId("nav-events").click();
  await page.getByTestId("live-state").getByText("Live").waitFor();
  const text = `hello ${tag()}`;
  const res = await fetch(`${sandbox}/_sandbox/message`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ groupId: id, phone: member, text }),
  });
  assert.equal((await res.json()).delivered, true);
  const row = page.getByTestId("live-event").filter({ hasText: text });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${written(member).replace(/\+/g, "\\+")} wrote: “${text}”`));
  assert.deepEqual(problems, []);
});

test("gateway Evolution: create with a member, rename, the member's message live, and the audit", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "evo");
  assert.match(await page.getByTestId("connection-label").innerText(), /evo · Evolution API/);
  const subject = `GW Evo ${tag()}`;
  const member = phone();
  // Evolution creates a group only with a first member.
  await page.getByTestId("subject").fill(subject);
  await page.getByTestId("participants").fill(member);
  await page.getByTestId("create").click();
  const row = page.getByTestId("group-row").filter({ hasText: subject });
  await row.waitFor();
  const href = await row.locator("a").first().getAttribute("href");
  const id = decodeURIComponent(href.replace(/^\/groups\//, ""));
  await row.getByRole("link").first().click();
  await page.getByTestId("rename").click();
  await page.getByTestId("subject-input").fill(`${subject} renamed`);
  await page.getByTestId("subject-input").press("Enter");
  await page.getByTestId("group-subject").filter({ hasText: `${subject} renamed` }).waitFor();

  await hookTo("evo");
  await page.getByTestId("nav-events").click();
  await page.getByTestId("live-state").getByText("Live").waitFor();
  const text = `hello ${tag()}`;
  const res = await fetch(`${sandbox}/_sandbox/message`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ groupId: id, phone: member, text }),
  });
  assert.equal((await res.json()).delivered, true, "the gateway took Evolution's webhook");
  await page.getByTestId("live-event").filter({ hasText: text }).waitFor();

  await page.goto(`${gateway.base}/audit?group=${encodeURIComponent(id)}`);
  const renamed = page.getByTestId("audit-row").filter({ hasText: "Renamed a group" }).first();
  await renamed.waitFor();
  await renamed.getByText("Technical detail").click();
  assert.match(await renamed.getByTestId("technical-detail").innerText(), /setSubject · POST evo \/group\/updateGroupSubject\/sales/);
  await page.screenshot({ path: `${shots}/gateway-evolution-audit.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("gateway: a viewer is told they can only read, and the audit is not theirs", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, VIEWER);
  await page.getByTestId("write-denied").getByText("Your role (viewer) can only read").waitFor();
  await choose(page, "main");
  assert.equal(await page.getByTestId("nav-audit").count(), 0, "no audit link for a viewer");
  // The gateway refuses a viewer's write anyway (the panel does not offer one): the
  // panel's words for that refusal are pinned natively (logic.rs,
  // the_gateway_refusing_a_viewer_says_their_role_can_only_read).
  const status = await page.evaluate(async () => (await fetch("/c/main/api/default/groups", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "x", participants: [] }),
  })).status);
  assert.equal(status, 403);
  await page.screenshot({ path: `${shots}/gateway-viewer-refused.png`, fullPage: true });
  await page.goto(`${gateway.base}/audit`);
  await page.getByTestId("audit-unavailable").getByText("Only the gateway's admins can read the audit.").waitFor();
  assert.deepEqual(problems, []);
});

// The controls that change something, on the groups page and on a group's page.
const LIST_WRITES = ["create"];
const GROUP_WRITES = ["rename", "description-save", "setting-info-admin-only", "setting-messages-admin-only",
  "setting-members-can-add", "setting-approval-required", "icon-file", "add", "promote", "demote", "remove", "send",
  "leave", "delete"];

/** Creates a WAHA group on the sandbox directly (a viewer cannot). */
async function sandboxGroup(subject) {
  const res = await fetch(`${sandbox}/api/default/groups`, {
    method: "POST", headers: { "content-type": "application/json", "x-api-key": "sandbox" },
    body: JSON.stringify({ name: subject, participants: [] }),
  });
  assert.ok(res.ok, await res.text());
}

test("gateway: a viewer sees every write control disabled with the reason; an admin's are enabled", async (t) => {
  const subject = `GW Viewer ${tag()}`;
  await sandboxGroup(subject);
  const reason = "Your role (viewer) can only read";
  const { page, problems } = await openGateway(t);
  await signIn(page, VIEWER);
  await choose(page, "main");
  for (const c of LIST_WRITES) assert.equal(await page.getByTestId(c).isDisabled(), true, `${c} is disabled for a viewer`);
  const note = page.getByTestId("write-denied");
  assert.equal(await note.count(), 1, "the reason once on the groups page");
  assert.match(await note.innerText(), new RegExp(reason.replace(/[()]/g, "\\$&")));
  assert.equal(await note.isVisible(), true, "the reason is visible text, not only a tooltip");
  const openGroup = async (page) => {
    await page.getByTestId("search").fill(subject);
    await page.getByTestId("group-row").filter({ hasText: subject }).locator("a").first().click();
    await page.getByTestId("group-subject").waitFor();
    await page.getByTestId("setting-info-admin-only").waitFor();
  };
  await openGroup(page);
  for (const c of GROUP_WRITES) assert.equal(await page.getByTestId(c).isDisabled(), true, `${c} is disabled for a viewer`);
  assert.equal(await page.getByTestId("write-denied").count(), 1, "the reason once on the group page");
  assert.equal(await page.getByTestId("write-denied").isVisible(), true);
  await page.screenshot({ path: `${shots}/gateway-viewer-group.png`, fullPage: true });
  assert.deepEqual(problems, []);

  const admin = await openGateway(t);
  await signIn(admin.page, ADMIN);
  await choose(admin.page, "main");
  for (const c of LIST_WRITES) assert.equal(await admin.page.getByTestId(c).isDisabled(), false, `${c} is enabled for an admin`);
  assert.equal(await admin.page.getByTestId("write-denied").count(), 0);
  await openGroup(admin.page);
  // Promote, demote and remove wait for a selection; everything else is enabled.
  for (const c of GROUP_WRITES.filter((c) => !["promote", "demote", "remove"].includes(c))) {
    assert.equal(await admin.page.getByTestId(c).isDisabled(), false, `${c} is enabled for an admin`);
  }
  assert.equal(await admin.page.getByTestId("write-denied").count(), 0);
  assert.deepEqual(admin.problems, []);
});

test("gateway: the audit lists the create, newest first, and filters by group", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "main");
  const subject = `GW Audit ${tag()}`;
  const id = await createInPanel(page, subject);
  await page.getByTestId("nav-audit").click();
  const rows = page.getByTestId("audit-row");
  await rows.first().waitFor();
  const newest = await rows.first().innerText();
  // In an admin's words; the operation, method and path one click away (issue 12, item 14).
  assert.match(newest, /Created a group/);
  assert.doesNotMatch(newest, /createGroup/);
  assert.match(newest, /\bana\b/);
  assert.match(newest, /Accepted · (201|200) · \d+\sms/, "the provider's answer in words, then its status");
  assert.match(newest, /\d+\sms/);
  await rows.first().getByText("Technical detail").click();
  assert.match(await rows.first().getByTestId("technical-detail").innerText(), /createGroup · POST main \/api\/default\/groups/);
  await page.screenshot({ path: `${shots}/gateway-audit.png`, fullPage: true });
  // A change to the group (through the gateway, as the panel sends it), then only that
  // group's rows.
  const renamed = await page.evaluate(async (id) => (await fetch(`/c/main/api/default/groups/${id}/subject`, {
    method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ subject: "Renamed for the audit" }),
  })).status, id);
  assert.ok(renamed >= 200 && renamed < 300, `rename: ${renamed}`);
  await page.getByTestId("audit-group").fill(id);
  await page.getByTestId("audit-filter").click();
  await page.waitForURL(/\/audit\?group=/);
  await rows.filter({ hasText: "Renamed a group" }).first().waitFor();
  for (const r of await rows.all()) assert.equal(await r.getAttribute("data-operation"), "setSubject", "creates name no group id yet");
  assert.deepEqual(problems, []);
});

test("gateway: a session that ends on the server brings back the sign-in form", async (t) => {
  const temp = [`tmp${tag()}`, "a temporary password"];
  userCommand(["add", temp[0], "--role", "admin"], temp[1]);
  const { page } = await openGateway(t);
  await signIn(page, temp);
  await choose(page, "main");
  userCommand(["remove", temp[0]]);
  // The panel may notice by itself first (a background read of the group page's listing, the
  // live stream): then the button is gone. Otherwise a refresh makes it ask the gateway.
  await page.getByTestId("refresh").click({ timeout: 3_000 }).catch(() => {});
  await page.getByTestId("session-ended").getByText("Your session has ended").waitFor();
  await page.getByTestId("gateway-user").waitFor();
});

test("gateway: a provider's own 401 through the gateway is an error, not the end of the session", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await page.getByTestId("choose-broken").click();
  await page.getByTestId("connect-error").getByText(/did not accept the credentials/).waitFor();
  await page.waitForTimeout(500); // time for a wrong sign-out to happen, were it to
  assert.equal(await page.getByTestId("connection-choice").count(), 4, "still signed in, still choosing");
  assert.equal(await page.getByTestId("session-ended").count(), 0);
  await choose(page, "main");
  assert.deepEqual(problems, []);
});

test("gateway: sign out ends the session on the server", async (t) => {
  const { page, problems } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "main");
  await page.getByTestId("sign-out").click();
  await page.getByTestId("gateway-user").waitFor();
  assert.equal(await page.getByTestId("session-ended").count(), 0);
  const me = await page.evaluate(() => fetch("/_gateway/me").then((r) => r.status));
  assert.equal(me, 401);
  await page.reload();
  await page.getByTestId("gateway-user").waitFor();
  assert.deepEqual(problems, []);
});

test("gateway: the live stream says it is reconnecting while the gateway is down, and recovers", async (t) => {
  const { page } = await openGateway(t);
  await signIn(page, ADMIN);
  await choose(page, "main");
  const id = await createInPanel(page, `GW Restart ${tag()}`);
  const code = await inviteCode("waha", id);
  await page.getByTestId("nav-events").click();
  await page.getByTestId("live-state").getByText("Live").waitFor();
  const addr = gateway.addr;
  await stopGateway();
  await page.getByTestId("live-state").getByText("Reconnecting…").waitFor();
  await page.screenshot({ path: `${shots}/gateway-events-reconnecting.png`, fullPage: true });
  gateway = await startGateway(addr);
  await hookTo("main");
  await page.getByTestId("live-state").getByText("Live").waitFor({ timeout: 30_000 });
  const member = phone();
  await joinGroup(code, member);
  await page.getByTestId("live-event").filter({ hasText: `${written(member)} joined` }).waitFor();
});

// Kept last: the axe run on the gateway's own screens.
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["360", { width: 360, height: 740 }]]) {
  test(`axe-core: the gateway's screens at ${name} have no serious or critical violation`, async (t) => {
    const { page } = await openGateway(t, { viewport, bypassCSP: true });
    const bad = {};
    const check = async (screen) => {
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(" ") }));
      });
      await page.screenshot({ path: `${shots}/axe-gateway-${screen}-${name}.png`, fullPage: true });
      const serious = found.filter((v) => v.impact === "serious" || v.impact === "critical");
      if (serious.length) bad[screen] = serious;
    };
    await page.getByTestId("gateway-user").waitFor();
    await check("sign-in");
    await signIn(page, ADMIN);
    await check("connections");
    await choose(page, "main");
    await page.getByTestId("nav-events").click();
    await page.getByTestId("live-state").getByText("Live").waitFor();
    // The earlier tests left events of group members joining.
    const href = await page.getByTestId("live-event").locator("a").first().getAttribute("href");
    await check("events-live");
    await page.getByTestId("nav-audit").click();
    await page.getByTestId("audit-row").first().waitFor();
    await check("audit");
    await page.goto(`${gateway.base}${href}`);
    await page.getByTestId("timeline-entry").first().waitFor();
    await check("timeline");
    assert.deepEqual(bad, {});
  });
}
