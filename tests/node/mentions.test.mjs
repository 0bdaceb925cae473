// Mentions in sendText through the npm package (nodejs target) against the sandbox: "all"
// reaches WAHA as ["all"], members are checked first and mentioned by the ids the group
// lists them by, and Wavy refuses before sending. `GET /_sandbox/messages` shows what went.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e5).toString().padStart(5, "0");
const phone = (t, n) => `55119${t.slice(0, 4)}${String(n).padStart(4, "0")}`;
const waha = (session) => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session });
const wavy = () => GroupsClient.wavy({ baseUrl, userName: "sandbox", authenticationToken: "sandbox" });
const messages = async (chatId) =>
  (await fetch(`${baseUrl}/_sandbox/messages?chatId=${encodeURIComponent(chatId)}`)).json();

const rejects = (promise, code, field) =>
  assert.rejects(promise, (err) => {
    assert.ok(isGroupsError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (field) assert.equal(err.field, field, err.message);
    assert.equal(err.operation, "sendText");
    return true;
  });

test("mentions: \"all\" is sent as WAHA's [\"all\"], on every engine", async () => {
  for (const session of ["webjs", "noweb", "gows"]) {
    const client = waha(session);
    const group = await client.createGroup({ subject: `All ${tag()}` });
    const sent = await client.sendText(group.id, "Meeting now", { mentions: "all", timeoutMs: 5000 });
    assert.ok(sent.id, session);
    const [message] = await messages(group.id);
    assert.equal(message.text, "Meeting now", session);
    assert.deepEqual(message.mentions, ["all"], session);
  }
});

test("mentions of members are checked first and sent as the ids the group lists", async () => {
  for (const session of ["webjs", "noweb", "gows"]) {
    const client = waha(session);
    const t = tag();
    const [a, b, stranger] = [phone(t, 1), phone(t, 2), phone(t, 9)];
    const group = await client.createGroup({ subject: `Mention ${t}`, participants: [a, b] });
    await rejects(client.sendText(group.id, "You?", { mentions: [a, stranger] }), "invalid_input", "options.mentions[1]");
    assert.deepEqual(await messages(group.id), [], `${session}: nothing sent`);
    await client.sendText(group.id, "You two?", { mentions: [`+${a}`, b] });
    const listed = await client.listParticipants(group.id);
    const idOf = (p) => listed.find((m) => m.phone === p).id;
    const [message] = await messages(group.id);
    assert.deepEqual(message.mentions, [idOf(a), idOf(b)], session);
  }
});

test("bad mentions are invalid_input naming them; a misspelt option too", async () => {
  const client = waha("default");
  const group = await client.createGroup({ subject: `Bad ${tag()}` });
  await rejects(client.sendText(group.id, "x", { mentions: "everyone" }), "invalid_input", "options.mentions");
  await rejects(client.sendText(group.id, "x", { mentions: [] }), "invalid_input", "options.mentions");
  await rejects(client.sendText(group.id, "x", { mentions: ["not a number"] }), "invalid_input", "options.mentions[0]");
  await rejects(client.sendText(group.id, "x", { mentions: [42] }), "invalid_input", "options.mentions");
  await rejects(client.sendText(group.id, "x", { mention: "all" }), "invalid_input", "options.mention");
  assert.deepEqual(await messages(group.id), []);
  // Without mentions (or with them undefined) it is the plain send.
  await client.sendText(group.id, "plain", { mentions: undefined });
  await client.sendText(group.id, "plain too");
  assert.deepEqual((await messages(group.id)).map((m) => m.mentions), [[], []]);
});

test("Wavy cannot mention: unsupported, before anything is sent", async () => {
  const client = wavy();
  const group = await client.createGroup({ subject: `Wavy ${tag()}` });
  await rejects(client.sendText(group.id, "Hi all", { mentions: "all" }), "unsupported");
  await rejects(client.sendText(group.id, "Hi", { mentions: ["5511988880000"] }), "unsupported");
  assert.deepEqual(await messages(group.id), []);
  await client.sendText(group.id, "Hi");
  assert.equal((await messages(group.id)).length, 1);
});
