// Every operation through the npm package (nodejs target) against the sandbox, for WAHA and
// Wavy: what each provider supports works and shows in a second call; what it does not
// rejects with `unsupported`; bad input rejects with `invalid_input` before sending.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55119${t.slice(0, 4)}${String(n).padStart(4, "0")}`;
const PNG = Uint8Array.from(Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==", "base64"));

async function userJoins(link, who) {
  const res = await fetch(`${baseUrl}/_sandbox/join`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ link, phone: who }),
  });
  return { status: res.status, body: await res.json() };
}

async function rejectsWith(promise, code, extra = {}) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, "GroupsError");
    assert.equal(err.code, code, err.message);
    for (const [k, v] of Object.entries(extra)) assert.equal(err[k], v, k);
    return true;
  });
}

const roleOf = async (client, id, who) =>
  (await client.getGroup(id)).participants.find((p) => p.phone === who)?.role;

const providers = {
  waha: () => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "default" }),
  wavy: () => GroupsClient.wavy({ baseUrl, userName: "sandbox", authenticationToken: "sandbox" }),
};

for (const [name, make] of Object.entries(providers)) {
  describe(name, () => {
    test("capabilities describe the provider", () => {
      const caps = make().capabilities();
      assert.equal(typeof caps.addParticipants, "boolean");
      assert.equal(caps.description, name === "waha");
      assert.equal(caps.addParticipants, name === "waha");
    });

    test("create, get, list, count, rename", async () => {
      const client = make();
      const t = tag();
      const group = await client.createGroup({ subject: `Ops ${t}` });
      assert.equal((await client.getGroup(group.id)).subject, `Ops ${t}`);
      const listed = await client.listGroups();
      assert.ok(listed.some((g) => g.id === group.id));
      assert.equal(await client.countGroups(), listed.length);
      await client.setSubject(group.id, `Renamed ${t}`);
      assert.equal((await client.getGroup(group.id)).subject, `Renamed ${t}`);
      await rejectsWith(client.setSubject(group.id, "x".repeat(101)), "invalid_input", { field: "subject" });
      // A light listing: members left out, their count kept.
      const light = (await client.listGroups({ participants: false })).find((g) => g.id === group.id);
      assert.deepEqual(light.participants, []);
      assert.equal(light.size, 1);
    });

    test("invite, a user joins, promote, demote, remove", async () => {
      const client = make();
      const t = tag();
      const { id } = await client.createGroup({ subject: `Roles ${t}` });
      const link = await client.getInviteLink(id);
      assert.match(link, /^https:\/\/chat\.whatsapp\.com\/\w+$/);
      const who = phone(t, 1);
      assert.equal((await userJoins(link, who)).status, 200);
      assert.equal(await roleOf(client, id, who), "member");
      const promoted = await client.promoteAdmins(id, [who]);
      assert.deepEqual(promoted.map((r) => r.ok), [true]);
      assert.equal(await roleOf(client, id, who), "admin");
      await client.demoteAdmins(id, [who]);
      assert.equal(await roleOf(client, id, who), "member");
      await client.removeParticipants(id, [who]);
      assert.equal(await roleOf(client, id, who), undefined);
      const participants = await client.listParticipants(id);
      assert.ok(participants.some((p) => p.role === "superadmin"));
    });

    test("revoke stops the old link", async () => {
      const client = make();
      const t = tag();
      const { id } = await client.createGroup({ subject: `Revoke ${t}` });
      const before = await client.getInviteLink(id);
      const revoked = await client.revokeInviteLink(id);
      if (name === "waha") assert.match(revoked, /^https:\/\//);
      else assert.equal(revoked, null);
      assert.notEqual(await client.getInviteLink(id), before);
      assert.equal((await userJoins(before, phone(t, 2))).status, 404);
    });

    test("icon set, get, remove", async () => {
      const client = make();
      const { id } = await client.createGroup({ subject: `Icon ${tag()}` });
      assert.equal(await client.getIcon(id), null);
      await client.setIcon(id, PNG, "image/png");
      const icon = await client.getIcon(id);
      const served = await fetch(icon.url);
      assert.equal(served.status, 200);
      assert.deepEqual(new Uint8Array(await served.arrayBuffer()), PNG);
      await client.removeIcon(id);
      assert.equal(await client.getIcon(id), null);
      await rejectsWith(client.setIcon(id, PNG, "image/gif"), "invalid_input", { field: "mimeType" });
      await rejectsWith(client.setIcon(id, "not bytes", "image/png"), "invalid_input", { field: "bytes" });
    });

    test("sendText to the group, leave", async () => {
      const client = make();
      const { id } = await client.createGroup({ subject: `Send ${tag()}` });
      const sent = await client.sendText(id, "Hello group");
      assert.equal(typeof sent.id, "string");
      await client.leaveGroup(id);
      assert.ok(!(await client.listGroups()).some((g) => g.id === id));
      await rejectsWith(client.getGroup(id), "not_found");
    });

    test("bad input rejects with invalid_input naming the field", async () => {
      const client = make();
      await rejectsWith(client.getGroup(42), "invalid_input", { field: "groupId" });
      await rejectsWith(client.getGroup("../etc"), "invalid_input", { field: "groupId" });
      await rejectsWith(client.promoteAdmins(name === "waha" ? "1203630@g.us" : "1-2", "5511"), "invalid_input", { field: "participants" });
      await rejectsWith(client.createGroup({ subject: "" }), "invalid_input", { field: "subject" });
    });
  });
}

describe("waha only", () => {
  const client = providers.waha();

  test("description, settings, add participants (per-participant results)", async () => {
    const t = tag();
    const { id } = await client.createGroup({ subject: `Waha ${t}`, participants: [phone(t, 1)] });
    await client.setDescription(id, "Weekly sync");
    assert.equal((await client.getGroup(id)).description, "Weekly sync");
    await client.updateSettings(id, { infoAdminOnly: true, approvalRequired: true });
    const settings = await client.getSettings(id);
    assert.equal(settings.infoAdminOnly, true);
    assert.equal(settings.approvalRequired, true);
    const results = await client.addParticipants(id, [phone(t, 2), phone(t, 1)]);
    assert.deepEqual(results.map((r) => [r.id, r.ok]), [[`${phone(t, 2)}@c.us`, true], [`${phone(t, 1)}@c.us`, false]]);
    assert.equal(results[1].status, 409);
  });

  test("join requests: approve and reject", async () => {
    const t = tag();
    const { id } = await client.createGroup({ subject: `Requests ${t}` });
    await client.updateSettings(id, { approvalRequired: true });
    const link = await client.getInviteLink(id);
    await userJoins(link, phone(t, 3));
    await userJoins(link, phone(t, 4));
    assert.equal((await client.listJoinRequests(id)).length, 2);
    assert.equal((await client.approveJoinRequests(id, [phone(t, 3)]))[0].ok, true);
    assert.equal((await client.rejectJoinRequests(id, [phone(t, 4)]))[0].ok, true);
    assert.deepEqual(await client.listJoinRequests(id), []);
    assert.equal(await roleOf(client, id, phone(t, 3)), "member");
  });

  test("join by link with a preview, refresh, delete", async () => {
    const other = GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "noweb" });
    const t = tag();
    const theirs = await other.createGroup({ subject: `Theirs ${t}` });
    const link = await other.getInviteLink(theirs.id);
    assert.equal((await client.getJoinInfo(link)).subject, `Theirs ${t}`);
    assert.equal(await client.joinGroup(link), theirs.id);
    await client.refreshGroups();
    const mine = await client.createGroup({ subject: `Doomed ${t}` });
    await client.deleteGroup(mine.id);
    await rejectsWith(client.getGroup(mine.id), "not_found");
  });

  test("an engine without delete: unsupported, before sending when declared", async () => {
    const gows = GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "gows" });
    const { id } = await gows.createGroup({ subject: `Gows ${tag()}` });
    await rejectsWith(gows.deleteGroup(id), "unsupported", { status: 501 });
    const declared = GroupsClient.waha({ baseUrl: "http://127.0.0.1:9", apiKey: "k", engine: "GOWS" });
    assert.equal(declared.capabilities().deleteGroup, false);
    await rejectsWith(declared.deleteGroup(id), "unsupported");
  });
});

describe("wavy only", () => {
  const client = providers.wavy();

  test("what Wavy cannot do rejects with unsupported before sending", async () => {
    // Nothing listens on port 9: a request that was sent would fail with `network`.
    const offline = GroupsClient.wavy({ baseUrl: "http://127.0.0.1:9", userName: "u", authenticationToken: "t" });
    const id = "5519900000000-1513616971";
    for (const call of [
      () => offline.setDescription(id, "x"),
      () => offline.deleteGroup(id),
      () => offline.refreshGroups(),
      () => offline.joinGroup("https://chat.whatsapp.com/AbC"),
      () => offline.getJoinInfo("AbC"),
      () => offline.addParticipants(id, ["5511988880000"]),
      () => offline.getSettings(id),
      () => offline.updateSettings(id, { infoAdminOnly: true }),
      () => offline.listJoinRequests(id),
      () => offline.createGroup({ subject: "x", participants: ["5511988880000"] }),
    ]) {
      await rejectsWith(call(), "unsupported", { provider: "wavy" });
    }
  });

  test("subjects over 25 characters are rejected before sending", async () => {
    await rejectsWith(client.createGroup({ subject: "x".repeat(26) }), "invalid_input", { field: "subject" });
  });

  test("a wrong token rejects with unauthorized", async () => {
    const bad = GroupsClient.wavy({ baseUrl, userName: "sandbox", authenticationToken: "nope" });
    await rejectsWith(bad.listGroups(), "unauthorized", { status: 401 });
  });
});
