// A Node CommonJS consumer: `require` the installed package, against the sandbox.
const assert = require("node:assert/strict");
const { GroupsClient, isGroupsError } = require("wa-groups");

(async () => {
  const baseUrl = process.env.WA_GROUPS_SANDBOX_URL;
  const client = GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "noweb" });
  const count = await client.countGroups();
  assert.equal(typeof count, "number");
  assert.throws(() => GroupsClient.waha({ baseUrl: "not a url", apiKey: "k" }), (e) => isGroupsError(e) && e.field === "baseUrl");
  console.log("ok - node CommonJS require of wa-groups");
})().catch((e) => { console.error(e); process.exit(1); });
