// A Node ES-module consumer: `import` from the installed package, against the sandbox.
import assert from "node:assert/strict";
import { GroupsClient, isGroupsError, parseInbound } from "wa-groups";

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL;
const client = GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "noweb" });
const created = await client.createGroup({ subject: "ESM consumer", participants: [] });
const groups = await client.listGroups();
assert.ok(groups.some((g) => g.id === created.id), "the new group is listed");
await assert.rejects(client.getGroup("nope"), (e) => isGroupsError(e) && e.code === "invalid_input");
assert.deepEqual(parseInbound("wavy", { total: 0, data: [] }), []);
console.log("ok - node ESM import of wa-groups");
