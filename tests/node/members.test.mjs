// Numbers behind LIDs, names, exports and the CSV helpers through the npm package (nodejs
// target) against the sandbox: a member whose number WhatsApp hides
// (`POST /_sandbox/people {"hiddenNumber": true}`) stays `null`/absent, never guessed;
// visible members' LIDs resolve through WAHA's `/lids`; Wavy sends nothing to resolve.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError, membersToCsv, parseMembersCsv } =
  require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55118${t.slice(0, 4)}${String(n).padStart(4, "0")}`;
const waha = (session) => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session });
const wavy = () => GroupsClient.wavy({ baseUrl, userName: "sandbox", authenticationToken: "sandbox" });
const people = async (body) => {
  const res = await fetch(`${baseUrl}/_sandbox/people`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
};
const stats = async () => (await (await fetch(`${baseUrl}/_sandbox/stats`)).json()).requests;
const lidOf = async (session, digits) =>
  (await (await fetch(`${baseUrl}/api/${session}/lids/pn/${digits}`, { headers: { "X-Api-Key": "sandbox" } })).json()).lid;

const rejects = (promise, code, field, operation) =>
  assert.rejects(promise, (err) => {
    assert.ok(isGroupsError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (field) assert.equal(err.field, field, err.message);
    if (operation) assert.equal(err.operation, operation);
    return true;
  });

/** A group on `session` with a named member, a hidden one and a plain one. */
async function lidGroup(session) {
  const t = tag();
  const [named, hidden, plain] = [phone(t, 1), phone(t, 2), phone(t, 3)];
  await people({ phone: named, name: `Ana ${t}` });
  await people({ phone: hidden, hiddenNumber: true, name: `Bia ${t}` });
  const client = waha(session);
  const group = await client.createGroup({ subject: `Members ${t}`, participants: [named, hidden, plain] });
  return { client, group, named, hidden, plain, t };
}

test("listParticipants with resolvePhones: every number but the hidden one, on every engine", async () => {
  for (const session of ["webjs", "noweb", "gows"]) {
    const { client, group, named, hidden, plain } = await lidGroup(session);
    const members = await client.listParticipants(group.id, { resolvePhones: true, timeoutMs: 5000 });
    const phones = members.map((m) => m.phone);
    assert.ok(phones.includes(named) && phones.includes(plain), `${session}: ${JSON.stringify(members)}`);
    assert.ok(!phones.includes(hidden), session);
    const unknown = members.filter((m) => m.phone === undefined);
    assert.equal(unknown.length, 1, `${session}: ${JSON.stringify(members)}`);
    assert.match(unknown[0].id, /@lid$/, session);
    assert.equal(unknown[0].lid, unknown[0].id, session);
    assert.ok(!("phone" in unknown[0]), "absent, not guessed");
  }
});

test("names: true fills names from WAHA contacts, hidden members included", async () => {
  const { client, group, named, plain, t } = await lidGroup("webjs");
  const members = await client.listParticipants(group.id, { names: true });
  const byPhone = (p) => members.find((m) => m.phone === p);
  assert.equal(byPhone(named).name, `Ana ${t}`);
  assert.equal(byPhone(plain).name, undefined);
  assert.equal(members.find((m) => m.phone === undefined).name, `Bia ${t}`);
  const without = await client.listParticipants(group.id);
  assert.ok(without.every((m) => m.name === undefined), "names only when asked");
});

test("resolvePhones: keyed by the ids given; a LID asks /lids once; a hidden one is null", async () => {
  const { client, group, plain } = await lidGroup("webjs");
  const lid = await lidOf("webjs", plain);
  assert.match(lid, /@lid$/);
  const members = await client.listParticipants(group.id);
  const hiddenId = members.find((m) => m.id.endsWith("@lid")).id;
  const before = await stats();
  const phones = await client.resolvePhones([lid, hiddenId, `+${plain}`]);
  assert.deepEqual(phones, { [lid]: plain, [hiddenId]: null, [`+${plain}`]: plain });
  const after = await stats();
  const asked = (path) => (after[path] ?? 0) - (before[path] ?? 0);
  assert.equal(asked(`GET /api/webjs/lids/${lid.split("@")[0]}`), 1);
  assert.equal(asked(`GET /api/webjs/lids/${hiddenId.split("@")[0]}`), 1);
  // Both remembered: asking again sends nothing.
  await client.resolvePhones([lid, hiddenId]);
  const again = await stats();
  assert.equal(again[`GET /api/webjs/lids/${hiddenId.split("@")[0]}`], after[`GET /api/webjs/lids/${hiddenId.split("@")[0]}`]);
});

test("exportMembers: one row per membership, hidden numbers absent, groups in order", async () => {
  const a = await lidGroup("gows");
  const b = await a.client.createGroup({ subject: `=Second ${a.t}`, participants: [a.plain] });
  const rows = await a.client.exportMembers([a.group.id, b.id]);
  assert.equal(rows.length, 4 + 2, JSON.stringify(rows)); // the account + 3, the account + 1
  assert.deepEqual([...new Set(rows.map((r) => r.groupId))], [a.group.id, b.id]);
  assert.ok(rows.every((r) => ["superadmin", "admin", "member"].includes(r.role)));
  assert.equal(rows.filter((r) => r.phone === undefined).length, 1);
  assert.ok(rows.every((r) => r.lid === undefined || r.lid.endsWith("@lid")));
  const csv = membersToCsv(rows);
  assert.ok(csv.startsWith("groupId,groupSubject,id,phone,lid,role\r\n"));
  assert.ok(csv.includes(`,'=Second ${a.t},`), "a formula-looking subject is neutralised");
  const back = parseMembersCsv(csv);
  // Read back as a list to add: each number once (a member of both groups repeats).
  const unique = [...new Set(rows.filter((r) => r.phone).map((r) => r.phone))];
  assert.deepEqual(back.rows.map((r) => r.phone), unique);
  assert.ok(back.rows.every((r) => r.action === "add"));
  assert.equal(back.errors.filter((e) => /hidden/.test(e.reason)).length, 1, "the hidden number is reported, not dropped");
  assert.equal(back.errors.filter((e) => /repeats line/.test(e.reason)).length, 2, JSON.stringify(back.errors));
  await rejects(a.client.exportMembers([]), "invalid_input", "groupIds", "exportMembers");
  await rejects(a.client.exportMembers("x"), "invalid_input", "groupIds", "exportMembers");
  await rejects(a.client.exportMembers(["120363999999999999@g.us"]), "not_found", undefined, "exportMembers");
});

test("Wavy: numbers are known, nothing is sent to resolve", async () => {
  const client = wavy();
  const t = tag();
  const group = await client.createGroup({ subject: `W ${t}` });
  const before = await stats();
  const phones = await client.resolvePhones([phone(t, 1), "76699677012110@lid"]);
  assert.deepEqual(phones, { [phone(t, 1)]: phone(t, 1), "76699677012110@lid": null });
  const listed = await client.listParticipants(group.id, { resolvePhones: true, names: true });
  assert.ok(listed.every((m) => typeof m.phone === "string"));
  const after = await stats();
  const lookups = Object.keys(after).filter((k) => k.includes("/lids") || k.includes("/contacts"));
  assert.deepEqual(lookups.filter((k) => after[k] !== before[k]), []);
  const rows = await client.exportMembers([group.id]);
  assert.ok(rows.every((r) => r.groupId === group.id && typeof r.phone === "string"));
});

test("a misspelt or mistyped option is invalid_input naming it, before sending", async () => {
  const client = waha("default");
  const group = await client.createGroup({ subject: `Opt ${tag()}` });
  await rejects(client.listParticipants(group.id, { resolvePhone: true }), "invalid_input", "options.resolvePhone", "listParticipants");
  await rejects(client.listParticipants(group.id, { resolvePhones: "yes" }), "invalid_input", "options.resolvePhones");
  await rejects(client.listParticipants(group.id, { names: 1 }), "invalid_input", "options.names");
  await rejects(client.resolvePhones("5511988880000"), "invalid_input", "ids", "resolvePhones");
  await rejects(client.resolvePhones(["120363@g.us"]), "invalid_input", "ids[0]");
  await rejects(client.resolvePhones([], { signl: 1 }), "invalid_input", "options.signl");
});

test("membersToCsv neutralises every formula lead and quotes what must be", () => {
  const row = (groupSubject) => ({
    groupId: "120363000000000001@g.us", groupSubject, id: "5511988880000@c.us",
    phone: "5511988880000", role: "member",
  });
  for (const lead of ["=", "+", "-", "@", "\t", "\r"]) {
    const csv = membersToCsv([row(`${lead}cmd|' /C calc'!A0`)]);
    const cell = csv.split("\r\n")[1].split(",")[1].replace(/^"/, "");
    assert.ok(cell.startsWith("'"), JSON.stringify({ lead, csv }));
  }
  assert.equal(membersToCsv([row('a,"b"')]).split("\r\n")[1].split(",5511")[0],
    '120363000000000001@g.us,"a,""b"""');
  assert.equal(membersToCsv([]), "groupId,groupSubject,id,phone,lid,role\r\n");
  assert.throws(() => membersToCsv([{ ...row("x"), extra: 1 }]), (e) => isGroupsError(e) && e.code === "invalid_input");
  assert.throws(() => membersToCsv([{ ...row("x"), role: "owner" }]), (e) => isGroupsError(e) && e.code === "invalid_input");
  assert.throws(() => membersToCsv("x"), (e) => isGroupsError(e) && e.field === "rows");
});

test("parseMembersCsv: header optional, BOM, CRLF, quotes; each bad row with line and reason", () => {
  const { rows, errors } = parseMembersCsv(
    "\uFEFFphone,action\r\n+55 11 98888-0000,add\r\n\"5511977770000\",Promote\r\nabc,add\r\n5511966660000,kick\r\n\r\n5511988880000,add\r\n",
  );
  assert.deepEqual(rows, [
    { line: 2, phone: "5511988880000", action: "add" },
    { line: 3, phone: "5511977770000", action: "promote" },
  ]);
  assert.deepEqual(errors.map((e) => e.line), [4, 5, 7]);
  assert.match(errors[0].reason, /not a phone number/);
  assert.match(errors[1].reason, /`kick`/);
  assert.match(errors[2].reason, /repeats line 2/);
  assert.deepEqual(parseMembersCsv("5511988880000\n5511977770000,remove").rows.map((r) => r.action), ["add", "remove"]);
  assert.throws(() => parseMembersCsv(42), (e) => isGroupsError(e) && e.field === "text");
});
