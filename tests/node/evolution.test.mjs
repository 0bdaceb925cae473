// Evolution API v2 through the npm package against the sandbox: switching from
// `GroupsClient.waha(…)` to `GroupsClient.evolution(…)`, the same code works wherever
// Evolution offers the operation, and what it does not offer rejects with `unsupported`
// before anything is sent (issue 16, "Done when").
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, parseInbound } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55119${t.slice(0, 4)}${String(n).padStart(4, "0")}`;

async function stats() {
  return (await fetch(`${baseUrl}/_sandbox/stats`)).json();
}

async function rejectsWith(promise, code, extra = {}) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, "GroupsError");
    assert.equal(err.code, code, err.message);
    for (const [k, v] of Object.entries(extra)) assert.equal(err[k], v, k);
    return true;
  });
}

// One admin's routine, written once against the neutral API.
async function routine(client) {
  const t = tag();
  const [ana, bo] = [phone(t, 1), phone(t, 2)];
  const group = await client.createGroup({ subject: `Routine ${t}`, participants: [ana] });
  assert.deepEqual(group.added.map((r) => r.ok), [true]);
  await client.setSubject(group.id, `Renamed ${t}`);
  await client.setDescription(group.id, "Our team");
  const read = await client.getGroup(group.id);
  assert.equal(read.subject, `Renamed ${t}`);
  assert.equal(read.description, "Our team");
  const link = await client.getInviteLink(group.id);
  assert.match(link, /^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9]{22}$/);
  const added = await client.addParticipants(group.id, [bo]);
  assert.equal(added[0].ok, true);
  const promoted = await client.promoteAdmins(group.id, [ana]);
  assert.equal(promoted[0].ok, true);
  const members = await client.listParticipants(group.id);
  assert.equal(members.find((m) => m.phone === ana).role, "admin");
  // By the id the group lists (a LID in LID-addressed groups) as well as by phone.
  const listedBo = members.find((m) => m.phone === bo).id;
  const removed = await client.removeParticipants(group.id, [listedBo]);
  assert.equal(removed[0].ok, true);
  assert.ok(!(await client.listParticipants(group.id)).some((m) => m.phone === bo));
  const sent = await client.sendText(group.id, "Hello team", { mentions: "all" });
  assert.equal(typeof sent.id, "string");
  const fresh = await client.revokeInviteLink(group.id);
  assert.notEqual(fresh, link);
  await client.leaveGroup(group.id);
  assert.ok(!(await client.listGroups()).some((g) => g.id === group.id));
}

test("the same routine works on WAHA and on Evolution", async () => {
  await routine(GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "noweb" }));
  await routine(GroupsClient.evolution({ baseUrl, apiKey: "sandbox", instance: "default" }));
});

test("what Evolution cannot do rejects with unsupported before sending", async () => {
  const client = GroupsClient.evolution({ baseUrl, apiKey: "sandbox", instance: "default" });
  assert.equal(client.provider, "evolution");
  const caps = client.capabilities();
  assert.equal(caps.deleteGroup, false);
  assert.equal(caps.removeIcon, false);
  assert.equal(caps.joinRequests, false);
  assert.equal(caps.settingsMembersCanAdd, false);
  assert.equal(caps.addParticipants, true);
  const t = tag();
  const group = await client.createGroup({ subject: `Caps ${t}`, participants: [phone(t, 1)] });
  const before = (await stats()).total;
  await rejectsWith(client.deleteGroup(group.id), "unsupported", { provider: "evolution" });
  await rejectsWith(client.removeIcon(group.id), "unsupported");
  await rejectsWith(client.listJoinRequests(group.id), "unsupported");
  await rejectsWith(client.refreshGroups(), "unsupported");
  await rejectsWith(client.updateSettings(group.id, { membersCanAdd: true }), "unsupported");
  // Evolution needs a first member, by number.
  await rejectsWith(client.createGroup({ subject: "Empty" }), "invalid_input", { field: "participants" });
  assert.equal((await stats()).total, before, "nothing was sent");
  await client.updateSettings(group.id, { messagesAdminOnly: true });
  assert.equal((await client.getSettings(group.id)).messagesAdminOnly, true);
});

test("a number not on WhatsApp, dropped silently by Evolution's create, is reported", async () => {
  const client = GroupsClient.evolution({ baseUrl, apiKey: "sandbox", instance: "default" });
  const t = tag();
  const absent = phone(t, 9);
  const res = await fetch(`${baseUrl}/_sandbox/people`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone: absent, onWhatsApp: false }),
  });
  assert.equal(res.status, 200);
  const group = await client.createGroup({ subject: `Drop ${t}`, participants: [phone(t, 1), absent] });
  assert.deepEqual(group.added.map((r) => [r.id, r.ok]), [[`${phone(t, 1)}@c.us`, true], [`${absent}@c.us`, false]]);
});

test("bad options and a wrong key are typed errors", async () => {
  assert.throws(() => GroupsClient.evolution({ baseUrl, apiKey: "sandbox" }), (err) => {
    assert.equal(err.code, "invalid_input");
    return true;
  });
  assert.throws(() => GroupsClient.evolution({ baseUrl, apiKey: "sandbox", instance: "a", sesion: "x" }), (err) => {
    assert.equal(err.code, "invalid_input");
    assert.match(err.message, /sesion/);
    return true;
  });
  const wrong = GroupsClient.evolution({ baseUrl, apiKey: "nope", instance: "default" });
  await rejectsWith(wrong.listGroups(), "unauthorized", { status: 401, provider: "evolution" });
  const nobody = GroupsClient.evolution({ baseUrl, apiKey: "sandbox", instance: "ghost" });
  await rejectsWith(nobody.countGroups(), "not_found", { status: 404 });
});

test("parseInbound reads Evolution's webhooks", () => {
  const [event] = parseInbound("evolution", {
    event: "group-participants.update", instance: "default",
    data: { id: "120363400000000001@g.us", author: "5511900000000@s.whatsapp.net",
            participants: [{ id: "38583844390020@lid", phoneNumber: "5511977770001@s.whatsapp.net", admin: null }],
            action: "add" },
    date_time: "2026-11-26T16:00:00.000Z",
  });
  assert.equal(event.kind, "participantsChanged");
  assert.equal(event.groupId, "120363400000000001@g.us");
  assert.equal(event.participants[0].phone, "5511977770001");
  const [message] = parseInbound("evolution", JSON.stringify({
    event: "messages.upsert", instance: "default",
    data: { key: { remoteJid: "120363400000000001@g.us", participant: "5511977770001@s.whatsapp.net", id: "1" },
            message: { conversation: "hi" }, messageTimestamp: 1732526100 },
  }));
  assert.equal(message.kind, "groupMessage");
  assert.deepEqual(message.replyTo, { destination: "120363400000000001@g.us", recipientType: "group" });
});
