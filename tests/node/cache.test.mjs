// The metadata cache through the npm package (nodejs target) against the sandbox, counting
// the requests the sandbox received (`GET /_sandbox/stats`): reads at once share one
// request, a read within `ttlMs` is reused, a write forgets its group, `refreshGroups`
// forgets everything, and without the option every call is a request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError } = require("../../pkg/node/wa_groups.js");

const baseUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const tag = () => Math.floor(Math.random() * 1e6).toString().padStart(6, "0");
const waha = (extra = {}) => GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "default", ...extra });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many `GET` requests for the group `id` the sandbox has received. */
async function reads(id) {
  const { requests } = await (await fetch(`${baseUrl}/_sandbox/stats`)).json();
  return requests[`GET /api/default/groups/${id}`] ?? 0;
}

/** Counts the reads of `id` that `work` causes. */
async function readsDuring(id, work) {
  const before = await reads(id);
  await work();
  return (await reads(id)) - before;
}

test("cache: two getGroup at once send one request, and each caller gets its own object", async () => {
  const client = waha({ cache: { ttlMs: 60_000 } });
  const { id } = await client.createGroup({ subject: `Cache ${tag()}` });
  let a, b;
  const sent = await readsDuring(id, async () => {
    [a, b] = await Promise.all([client.getGroup(id), client.getGroup(id)]);
  });
  assert.equal(sent, 1);
  assert.deepEqual(a, b);
  assert.notEqual(a, b, "not the same object");
  a.subject = "changed by the caller";
  assert.notEqual((await client.getGroup(id)).subject, "changed by the caller");
});

test("cache: a read within ttlMs is reused; one after it is sent", async () => {
  const client = waha({ cache: { ttlMs: 400 } });
  const { id } = await client.createGroup({ subject: `Ttl ${tag()}` });
  assert.equal(await readsDuring(id, async () => {
    await client.getGroup(id);
    await client.getGroup(id);
    await client.getSettings(id); // WAHA's settings are read from the group: the same answer
  }), 1);
  await sleep(500);
  assert.equal(await readsDuring(id, () => client.getGroup(id)), 1);
});

test("cache: after setSubject the group is read again and shows the new subject", async () => {
  const client = waha({ cache: { ttlMs: 60_000 } });
  const { id } = await client.createGroup({ subject: `Before ${tag()}` });
  await client.getGroup(id);
  const subject = `After ${tag()}`;
  await client.setSubject(id, subject);
  let group;
  assert.equal(await readsDuring(id, async () => { group = await client.getGroup(id); }), 1);
  assert.equal(group.subject, subject);
});

test("cache: refreshGroups forgets everything; forgetCached forgets a group", async () => {
  const client = waha({ cache: { ttlMs: 60_000 } });
  const { id } = await client.createGroup({ subject: `Refresh ${tag()}` });
  await client.getGroup(id);
  assert.equal(await readsDuring(id, () => client.getGroup(id)), 0);
  await client.refreshGroups();
  assert.equal(await readsDuring(id, () => client.getGroup(id)), 1);
  client.forgetCached(id);
  assert.equal(await readsDuring(id, () => client.getGroup(id)), 1);
  client.forgetCached();
  assert.equal(await readsDuring(id, () => client.getGroup(id)), 1);
});

test("cache: an aborted caller does not fail the other caller waiting for the same read", async () => {
  const client = waha({ cache: { ttlMs: 60_000 } });
  const { id } = await client.createGroup({ subject: `Abort ${tag()}` });
  // The first read is held on the wire long enough to be joined, then its caller aborts.
  const slow = await fetch(`${baseUrl}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify([{ route: `/api/default/groups/${id}`, method: "GET", latencyMs: 400, times: 1 }]),
  });
  assert.equal(slow.status, 204);
  const controller = new AbortController();
  let second;
  const sent = await readsDuring(id, async () => {
    const first = client.getGroup(id, { signal: controller.signal });
    second = client.getGroup(id);
    let settled = false;
    second.then(() => { settled = true; }, () => { settled = true; });
    await sleep(100);
    assert.equal(settled, false, "the second caller waits for the first one's read");
    controller.abort();
    await assert.rejects(first, (err) => isGroupsError(err) && err.code === "aborted");
    assert.equal((await second).id, id, "the waiter sent the read itself");
  });
  assert.equal(sent, 2, "the aborted read and the waiter's own");
});

test("cache: ttlMs 0 shares reads in flight and keeps nothing", async () => {
  const client = waha({ cache: { ttlMs: 0 } });
  const { id } = await client.createGroup({ subject: `Zero ${tag()}` });
  assert.equal(await readsDuring(id, () => Promise.all([client.getGroup(id), client.getGroup(id)])), 1);
  assert.equal(await readsDuring(id, async () => {
    await client.getGroup(id);
    await client.getGroup(id);
  }), 2);
});

test("cache: without the option every call is a request", async () => {
  const client = waha();
  const { id } = await client.createGroup({ subject: `Off ${tag()}` });
  assert.equal(await readsDuring(id, async () => {
    await Promise.all([client.getGroup(id), client.getGroup(id)]);
    await client.getGroup(id);
  }), 3);
  client.forgetCached(id); // nothing to forget: no error
});

test("cache: a misspelt or bad option is invalid_input naming it", () => {
  const invalid = (options, field, words) => {
    assert.throws(() => waha(options), (err) => {
      assert.ok(isGroupsError(err), String(err));
      assert.equal(err.code, "invalid_input", err.message);
      assert.equal(err.field, field, err.message);
      assert.match(err.message, words);
      return true;
    });
  };
  invalid({ cache: { ttl: 1000 } }, "options", /ttl/);
  invalid({ cahce: { ttlMs: 1000 } }, "options", /cahce/);
  invalid({ cache: { ttlMs: -1 } }, "options.cache.ttlMs", /0 to 2147483647/);
  invalid({ cache: { ttlMs: 2 ** 31 } }, "options.cache.ttlMs", /0 to 2147483647/);
  invalid({ cache: { ttlMs: "1000" } }, "options", /ttlMs|number|string/);
  assert.throws(() => GroupsClient.wavy({ baseUrl, userName: "u", authenticationToken: "t", cache: { tll: 1 } }),
    (err) => isGroupsError(err) && err.code === "invalid_input" && /tll/.test(err.message));
  assert.throws(() => waha({ cache: { ttlMs: 1 } }).forgetCached(42),
    (err) => isGroupsError(err) && err.code === "invalid_input" && err.field === "groupId");
});
