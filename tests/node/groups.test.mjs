// The npm package (nodejs target, built into pkg/ by `cargo xtask test`) against the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const waha = (apiKey = "sandbox") => GroupsClient.waha({ baseUrl, apiKey, session: "default" });
const unique = (prefix) => `${prefix} ${Math.random().toString(16).slice(2, 10)}`;

/** Asserts that `promise` rejects with a GroupsError matching `expected`. */
async function rejectsWith(promise, expected) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof Error, "a real Error");
    assert.equal(err.name, "GroupsError");
    assert.ok(isGroupsError(err));
    for (const [key, value] of Object.entries(expected)) assert.equal(err[key], value, key);
    return true;
  });
}

test("createGroup then listGroups finds the group with its members", async () => {
  const client = waha();
  const subject = unique("Node");
  const created = await client.createGroup({ subject, participants: ["+55 11 98888-1234"] });
  assert.equal(created.subject, subject);
  assert.match(created.id, /@g\.us$/);

  const groups = await client.listGroups();
  const found = groups.find((g) => g.id === created.id);
  assert.ok(found, "the new group is listed");
  assert.equal(found.subject, subject);
  assert.deepEqual(
    found.participants.map((p) => [p.id, p.role]),
    [["5511900000000@c.us", "superadmin"], ["5511988881234@c.us", "member"]],
  );
  assert.equal(found.participants[1].phone, "5511988881234");
  assert.equal(typeof found.createdAt, "number");
});

test("listGroups pages with limit and offset", async () => {
  const client = waha();
  await client.createGroup({ subject: unique("Page") });
  await client.createGroup({ subject: unique("Page") });
  const all = await client.listGroups({ sortBy: "id" });
  const page = await client.listGroups({ sortBy: "id", limit: 1, offset: 1 });
  assert.equal(page.length, 1);
  assert.equal(page[0].id, all[1].id);
});

test("a wrong API key rejects with code unauthorized", async () => {
  await rejectsWith(waha("wrong").listGroups(), {
    code: "unauthorized",
    status: 401,
    operation: "listGroups",
    provider: "waha",
  });
});

test("the client reports its provider", () => {
  assert.equal(waha().provider, "waha");
});

test("bad options throw a GroupsError naming the field", () => {
  assert.throws(
    () => GroupsClient.waha({ baseUrl: "localhost:3000", apiKey: "sandbox" }),
    (err) => err.name === "GroupsError" && err.code === "invalid_input" && err.field === "baseUrl",
  );
  assert.throws(
    () => GroupsClient.waha({ baseUrl, apiKey: "sandbox", sesion: "typo" }),
    (err) => err.code === "invalid_input" && /sesion/.test(err.message),
  );
});

test("invalid input rejects before anything is sent", async () => {
  // Nothing listens on port 9: a request that was sent would fail with `network`.
  const offline = GroupsClient.waha({ baseUrl: "http://127.0.0.1:9", apiKey: "k" });
  await rejectsWith(offline.createGroup({ subject: "   " }), { code: "invalid_input", field: "subject" });
  await rejectsWith(offline.createGroup({ subject: "ok", participants: ["12", "x"] }), {
    code: "invalid_input",
    field: "participants[0]",
  });
  await rejectsWith(offline.createGroup(42), { code: "invalid_input", field: "group" });
  await rejectsWith(offline.listGroups({ limit: -1 }), { code: "invalid_input", field: "options" });
});

test("an unreachable server rejects with code network", async () => {
  const offline = GroupsClient.waha({ baseUrl: "http://127.0.0.1:9", apiKey: "k" });
  await rejectsWith(offline.listGroups(), { code: "network" });
});
