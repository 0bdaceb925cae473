// Adds that don't cost the account, through the npm package (nodejs target) against the
// sandbox: the safety budget (`budget_exceeded` before anything is sent, a custom store,
// the refill time), bulk dry runs, and invites to those whose privacy refuses adds.
// `GET /_sandbox/stats` and `GET /_sandbox/messages` show what reached the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55119${t.slice(0, 4)}${String(n).padStart(4, "0")}`;
const privatePhone = (t) => `1555403${t.slice(0, 4)}`;
const waha = (session, extra = {}) => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session, ...extra });
const messages = async (chatId) =>
  (await fetch(`${baseUrl}/_sandbox/messages?chatId=${encodeURIComponent(chatId)}`)).json();
/** Requests the sandbox received whose `METHOD path` contains `part`. */
const received = async (part) => {
  const { requests } = await (await fetch(`${baseUrl}/_sandbox/stats`)).json();
  return Object.entries(requests)
    .filter(([route]) => route.includes(part))
    .reduce((n, [, count]) => n + count, 0);
};

const rejects = (promise, code, field) =>
  assert.rejects(promise, (err) => {
    assert.ok(isGroupsError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (field) assert.equal(err.field, field, err.message);
    return true;
  });

/** A store the test can look into. */
const mapStore = () => {
  const map = new Map();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v) };
};

test("past the add budget: budget_exceeded, and the sandbox received no add", async () => {
  const t = tag();
  const client = waha("default", { safety: { addsPerDay: 2, store: mapStore() } });
  const group = await client.createGroup({ subject: `Budget ${t}` });
  const route = `${group.id}/participants/add`;
  // Three people, two slots: the first two are sent, the third is held back.
  const results = await client.addParticipants(group.id, [phone(t, 1), phone(t, 2), phone(t, 3)]);
  assert.deepEqual(results.map((r) => r.ok), [true, true, false]);
  assert.equal(results[2].reason, "budget_exceeded");
  assert.equal(await received(route), 1);
  const members = (await client.listParticipants(group.id)).map((p) => p.phone);
  assert.ok(!members.includes(phone(t, 3)), "the held-back person was never added");
  // Nothing left: the whole add rejects, and no request reaches the server.
  await assert.rejects(client.addParticipants(group.id, [phone(t, 4)]), (err) => {
    assert.equal(err.code, "budget_exceeded");
    assert.equal(err.operation, "addParticipants");
    assert.ok(err.retryAfterMs > 23 * 3600e3 && err.retryAfterMs <= 24 * 3600e3, String(err.retryAfterMs));
    return true;
  });
  assert.equal(await received(route), 1, "no request sent");
});

test("safetyBudget() says what is left and when the next slot refills; a custom store sees the counts", async () => {
  const store = mapStore();
  const t = tag();
  const before = Date.now();
  const client = waha("default", { safety: { addsPerDay: 5, createsPerDay: 3, store } });
  assert.deepEqual(client.safetyBudget(), {
    adds: { limit: 5, used: 0, left: 5 },
    creates: { limit: 3, used: 0, left: 3 },
  });
  // A create with two first members uses one create and two adds.
  await client.createGroup({ subject: `Counted ${t}`, participants: [phone(t, 1), phone(t, 2)] });
  const budget = client.safetyBudget();
  assert.equal(budget.adds.used, 2);
  assert.equal(budget.adds.left, 3);
  assert.equal(budget.creates.left, 2);
  assert.equal(budget.joins, undefined, "joins are not limited");
  const day = 24 * 3600e3;
  assert.ok(budget.adds.refillsAt >= before + day && budget.adds.refillsAt <= Date.now() + day);
  assert.equal(store.map.size, 1);
  const [[key, value]] = [...store.map];
  assert.match(key, /waha .*127\.0\.0\.1.* default$/);
  // One line per use: kind, time (ms since the epoch), count.
  assert.match(value, /^adds (\d+) 2\ncreates \1 1\n$/);
  // Another client of the same account over the same store (a reload) sees the uses.
  const again = waha("default", { safety: { addsPerDay: 5, store } });
  assert.equal(again.safetyBudget().adds.left, 3);
  // Another session is another account.
  assert.equal(waha("noweb", { safety: { addsPerDay: 5, store } }).safetyBudget().adds.left, 5);
});

test("creates and joins past their budget send nothing", async () => {
  const t = tag();
  const client = waha("default", { safety: { createsPerDay: 1, joinsPerDay: 0 } });
  await client.createGroup({ subject: `Only ${t}` });
  await rejects(client.createGroup({ subject: `Second ${t}` }), "budget_exceeded");
  const subjects = (await client.listGroups()).map((g) => g.subject);
  assert.ok(subjects.includes(`Only ${t}`) && !subjects.includes(`Second ${t}`), "no second create");
  // A real link from another account: the join is refused here, and the group stays away.
  const other = waha("gows");
  const elsewhere = await other.createGroup({ subject: `Elsewhere ${t}` });
  await rejects(client.joinGroup(await other.getInviteLink(elsewhere.id)), "budget_exceeded");
  assert.ok(!(await client.listGroups()).some((g) => g.subject === `Elsewhere ${t}`), "not joined");
  // Off by default: the same calls without a budget go.
  assert.ok((await waha("default").createGroup({ subject: `Free ${t}` })).id);
});

test("a bulk dry run sends nothing and reports what would be done, budget applied", async () => {
  const t = tag();
  const store = mapStore();
  const client = waha("default", { safety: { addsPerDay: 2, store } });
  const group = await client.createGroup({ subject: `Dry ${t}` });
  const items = [1, 2, 3].map((n) => ({ groupId: group.id, change: "add", participant: phone(t, n) }));
  items.push({ groupId: group.id, change: "remove", participant: "nope" });
  const report = await client.bulkChangeParticipants(items, { dryRun: true });
  assert.equal(report.dryRun, true);
  assert.deepEqual(
    report.outcomes.map((o) => (o.ok ? o.message : o.code)),
    ["would add", "would add", "budget_exceeded", "invalid_input"],
  );
  assert.equal(await received(group.id), 0, "nothing reached the server for the group");
  assert.equal(client.safetyBudget().adds.used, 0, "a dry run takes no slot");
  // The real run respects the budget per item.
  const real = await client.bulkChangeParticipants(items);
  assert.equal(real.dryRun, false);
  assert.deepEqual(real.outcomes.map((o) => o.ok), [true, true, false, false]);
  assert.equal(real.outcomes[2].code, "budget_exceeded");
  assert.equal(client.safetyBudget().adds.left, 0);
});

test("inviteOnPrivacy: the invite link goes to the person, and the result says invited", async () => {
  for (const session of ["noweb", "gows"]) {
    const t = tag();
    const client = waha(session);
    const group = await client.createGroup({ subject: `Invite ${t}` });
    const [welcome, refusing] = [phone(t, 1), privatePhone(t)];
    const results = await client.addParticipants(group.id, [welcome, refusing], {
      inviteOnPrivacy: true,
      inviteText: "Hello! Join us here: {link}",
      timeoutMs: 5000,
    });
    assert.equal(results[0].ok, true, session);
    assert.equal(results[0].invited, undefined, session);
    assert.equal(results[1].reason, "privacy", session);
    assert.equal(results[1].invited, true, `${session}: ${JSON.stringify(results[1])}`);
    const link = await client.getInviteLink(group.id);
    assert.match(link, /^https:\/\/chat\.whatsapp\.com\/\w+/);
    const sent = await messages(`${refusing}@c.us`);
    assert.equal(sent.length, 1, session);
    assert.equal(sent[0].text, `Hello! Join us here: ${link}`, session);
    assert.deepEqual(await messages(`${welcome}@c.us`), [], `${session}: the added one gets nothing`);
  }
});

test("inviteOnPrivacy on WEBJS: the engine's own invite is reported, none sent again", async () => {
  const t = tag();
  const client = waha("webjs");
  const group = await client.createGroup({ subject: `Webjs ${t}` });
  const refusing = privatePhone(t);
  const [result] = await client.addParticipants(group.id, [refusing], { inviteOnPrivacy: true });
  assert.equal(result.reason, "privacy");
  assert.equal(result.invited, true);
  assert.deepEqual(await messages(`${refusing}@c.us`), [], "no second invite");
});

test("without inviteOnPrivacy nothing is sent to the person", async () => {
  const t = tag();
  const client = waha("noweb");
  const group = await client.createGroup({ subject: `NoInvite ${t}` });
  const [result] = await client.addParticipants(group.id, [privatePhone(t)]);
  assert.equal(result.reason, "privacy");
  assert.equal(result.invited, undefined);
  assert.deepEqual(await messages(`${privatePhone(t)}@c.us`), []);
});

test("misspelt or wrong options are invalid_input naming them, before anything is sent", async () => {
  const bad = [
    [{ safety: { addPerDay: 5 } }, "options.safety.addPerDay"],
    [{ safety: { addsPerDay: -1 } }, "options.safety.addsPerDay"],
    [{ safety: { addsPerDay: 1.5 } }, "options.safety.addsPerDay"],
    [{ safety: { store: { get() {} } } }, "options.safety.store.set"],
    [{ safety: { store: 42 } }, "options.safety.store"],
    [{ safety: "on" }, "options.safety"],
  ];
  for (const [extra, field] of bad) {
    assert.throws(() => waha("default", extra), (err) => {
      assert.equal(err.code, "invalid_input", field);
      assert.equal(err.field, field, err.message);
      return true;
    });
  }
  const client = waha("default");
  const group = await client.createGroup({ subject: `Opts ${tag()}` });
  const p = phone(tag(), 1);
  await rejects(client.addParticipants(group.id, [p], { inviteOnPrivacy: "yes" }), "invalid_input", "options.inviteOnPrivacy");
  await rejects(client.addParticipants(group.id, [p], { invitOnPrivacy: true }), "invalid_input", "options.invitOnPrivacy");
  await rejects(client.addParticipants(group.id, [p], { inviteText: "hi" }), "invalid_input", "options.inviteText");
  await rejects(
    client.addParticipants(group.id, [p], { inviteOnPrivacy: true, inviteText: "  " }),
    "invalid_input",
    "options.inviteText",
  );
  await rejects(client.bulkChangeParticipants([], { dryrun: true }), "invalid_input", "options.dryrun");
  await rejects(client.bulkChangeParticipants([], { dryRun: 1 }), "invalid_input", "options.dryRun");
  assert.equal(await received(`${group.id}/participants/add`), 0);
  // A store that throws fails the call before sending, naming the store.
  const throwing = waha("default", { safety: { addsPerDay: 5, store: { get() { throw new Error("disk"); }, set() {} } } });
  await rejects(throwing.addParticipants(group.id, [p]), "invalid_input", "options.safety.store");
  assert.throws(() => throwing.safetyBudget(), (err) => err.code === "invalid_input");
  assert.equal(await received(`${group.id}/participants/add`), 0);
  assert.equal(waha("default").safetyBudget(), null, "off by default");
});

test("Wavy: inviteOnPrivacy is unsupported before sending; its budget counts creates", async () => {
  const client = GroupsClient.wavy({
    baseUrl, userName: "sandbox", authenticationToken: "sandbox", safety: { createsPerDay: 1, store: mapStore() },
  });
  const group = await client.createGroup({ subject: `Wavy ${tag()}` });
  await rejects(client.addParticipants(group.id, ["5511988880000"], { inviteOnPrivacy: true }), "unsupported");
  await rejects(client.createGroup({ subject: `Wavy2 ${tag()}` }), "budget_exceeded");
  assert.equal(client.safetyBudget().creates.left, 0);
});
