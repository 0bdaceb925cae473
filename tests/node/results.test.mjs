// Results that tell the truth, through the npm package (nodejs target) against the sandbox's
// real engine shapes: a person is `ok` only where the provider said so for them or a fresh
// read of the group shows it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55119${t.slice(0, 4)}${String(n).padStart(4, "0")}`;
const waha = (session) => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session });

test("WEBJS: demoting or removing the owner is never ok, though WEBJS answers 200", async () => {
  const client = waha("webjs");
  const group = await client.createGroup({ subject: `Owner ${tag()}` });
  const owner = (await client.getGroup(group.id)).participants.find((p) => p.role === "superadmin");
  for (const change of ["demoteAdmins", "removeParticipants"]) {
    const [result] = await client[change](group.id, [owner.id]);
    assert.equal(result.ok, false, `${change}: ${JSON.stringify(result)}`);
    assert.match(result.message, /owner/);
  }
  const after = (await client.getGroup(group.id)).participants.find((p) => p.id === owner.id);
  assert.equal(after.role, "superadmin");
});

test("createGroup reports each first member: a privacy refusal is ok: false, 403", async () => {
  for (const session of ["webjs", "noweb", "gows"]) {
    const t = tag();
    const welcome = phone(t, 1);
    const private_ = `1555403${t.slice(0, 4)}`;
    const group = await waha(session).createGroup({ subject: `First ${t}`, participants: [welcome, private_] });
    assert.equal(group.added.length, 2, session);
    assert.equal(group.added[0].ok, true, `${session}: ${JSON.stringify(group.added)}`);
    assert.equal(group.added[0].id, `${welcome}@c.us`);
    assert.equal(group.added[1].ok, false, `${session}: ${JSON.stringify(group.added)}`);
    const members = (await waha(session).getGroup(group.id)).participants;
    assert.ok(members.some((p) => p.phone === welcome), session);
    assert.ok(!members.some((p) => p.phone === private_), session);
  }
});

test("GOWS and NOWEB LID groups: a change by the @lid the library listed is ok", async () => {
  for (const session of ["gows", "noweb"]) {
    const client = waha(session);
    const t = tag();
    const member = phone(t, 2);
    const group = await client.createGroup({ subject: `Lid ${t}`, participants: [member] });
    const listed = (await client.listParticipants(group.id)).find((p) => p.phone === member);
    assert.match(listed.id, /@lid$/, session);
    const [promoted] = await client.promoteAdmins(group.id, [listed.id]);
    assert.deepEqual(promoted, { id: listed.id, ok: true }, session);
    const [demoted] = await client.demoteAdmins(group.id, [member]);
    assert.equal(demoted.ok, true, session);
  }
});

test("WEBJS: a plain member's add is forbidden, not a success", async () => {
  const owner = waha("gows");
  const group = await owner.createGroup({ subject: `Theirs ${tag()}` });
  await owner.updateSettings(group.id, { membersCanAdd: false });
  const link = await owner.getInviteLink(group.id);
  const member = waha("webjs");
  await member.joinGroup(link);
  await assert.rejects(member.addParticipants(group.id, [phone(tag(), 5)]), (err) => {
    assert.equal(err.code, "forbidden", err.message);
    assert.match(err.message, /admin rights/);
    return true;
  });
});

test("a refused add says why: privacy, already_member; an added person has no reason", async () => {
  for (const session of ["webjs", "noweb", "gows"]) {
    const client = waha(session);
    const t = tag();
    const [member, newcomer, private_] = [phone(t, 5), phone(t, 6), `1555403${t.slice(0, 4)}`];
    const group = await client.createGroup({ subject: `Why ${t}`, participants: [member] });
    const results = await client.addParticipants(group.id, [private_, member, newcomer]);
    assert.deepEqual(results.map((r) => [r.ok, r.reason]),
      [[false, "privacy"], [false, "already_member"], [true, undefined]], `${session}: ${JSON.stringify(results)}`);
    assert.ok(!("reason" in results[2]), session);
  }
});
