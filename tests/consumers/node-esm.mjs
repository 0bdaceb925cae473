// A Node ES-module consumer: `import` from the installed package, against the sandbox.
import assert from "node:assert/strict";
import wa, { GroupsClient, isGroupsError, parseInbound } from "wa-groups";

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL;
const client = GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "noweb" });
const created = await client.createGroup({ subject: "ESM consumer", participants: [] });
const groups = await client.listGroups();
assert.ok(groups.some((g) => g.id === created.id), "the new group is listed");
await assert.rejects(client.getGroup("nope"), (e) => isGroupsError(e) && e.code === "invalid_input");
assert.deepEqual(parseInbound("wavy", { total: 0, data: [] }), []);
// The default export is the CommonJS build's module.exports: the same functions and classes.
assert.equal(wa.GroupsClient, GroupsClient);
assert.equal(wa.parseInbound, parseInbound);
assert.equal(wa.default, undefined);
// `[Symbol.dispose]` is there where the runtime has the symbol, as the types say.
if (typeof Symbol.dispose === "symbol") {
  assert.equal(typeof client[Symbol.dispose], "function");
}
console.log("ok - node ESM import of wa-groups");
