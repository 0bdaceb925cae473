// How the npm package reads what JS hands it: every option is checked before anything is sent,
// numbers that JSON would silently turn into `null` are refused, and hostile objects (a Proxy
// whose traps throw, a throwing getter) become a GroupsError `invalid_input` — never a plain
// Error, never a crash. No server is needed: nothing listens on port 9, so a request that was
// sent would fail with `network`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient, isGroupsError } = require("../../pkg/node/wa_groups.js");

const offline = { baseUrl: "http://127.0.0.1:9", apiKey: "k" };
const wavyOffline = { baseUrl: "http://127.0.0.1:9", userName: "u", authenticationToken: "t" };
const groupId = "120363000000000001@g.us";
const item = { groupId, change: "promote", participant: "5511988880000" };
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `value` is a GroupsError `invalid_input` naming `field` (when given). */
function invalid(field) {
  return (err) => {
    assert.ok(isGroupsError(err), `a GroupsError, not ${err?.name}: ${err?.message}`);
    assert.equal(err.code, "invalid_input", err.message);
    if (field !== undefined) assert.equal(err.field, field, err.message);
    return true;
  };
}

/** Calls `call`, which must return a Promise (not throw) that rejects with `invalid_input`. */
async function rejectsInvalid(call, field) {
  const promise = call();
  assert.ok(promise instanceof Promise, "returns a Promise instead of throwing");
  await assert.rejects(promise, invalid(field));
}

test("timeoutMs and maxDelayMs must be 1 to 2^31-1 ms (JS timers fire at once outside it)", () => {
  for (const [factory, base] of [[GroupsClient.waha, offline], [GroupsClient.wavy, wavyOffline]]) {
    for (const key of ["timeoutMs", "maxDelayMs"]) {
      for (const bad of [0, 2 ** 31, 2 ** 32, -1]) {
        assert.throws(() => factory({ ...base, [key]: bad }), invalid(`options.${key}`), `${key}: ${bad}`);
      }
      for (const good of [1, 5_000, MAX_TIMER_MS]) {
        assert.doesNotThrow(() => factory({ ...base, [key]: good }), `${key}: ${good}`);
      }
    }
  }
});

test("a call's timeoutMs must be 1 to 2^31-1 ms too", async () => {
  const client = GroupsClient.waha(offline);
  for (const bad of [0, 0.5, 2 ** 31, 2 ** 40]) {
    await rejectsInvalid(() => client.countGroups({ timeoutMs: bad }), "options.timeoutMs");
  }
});

test("the longest timeoutMs does not time out at once", async (t) => {
  const server = createServer((_req, res) => {
    setTimeout(() => { res.writeHead(200, { "content-type": "application/json" }); res.end("[]"); }, 100);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", timeoutMs: MAX_TIMER_MS, retries: 0 });
  assert.deepEqual(await client.listGroups(), []);
  assert.deepEqual(await client.listGroups(undefined, { timeoutMs: MAX_TIMER_MS }), []);
});

test("NaN and Infinity are refused wherever options are read, never turned off", async () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const key of ["timeoutMs", "maxDelayMs", "retries"]) {
      assert.throws(() => GroupsClient.waha({ ...offline, [key]: bad }), invalid(`options.${key}`), `waha ${key}: ${bad}`);
      assert.throws(() => GroupsClient.wavy({ ...wavyOffline, [key]: bad }), invalid(`options.${key}`), `wavy ${key}: ${bad}`);
    }
    const client = GroupsClient.waha(offline);
    await rejectsInvalid(() => client.listGroups({ limit: bad }), "options.limit");
    await rejectsInvalid(() => client.listGroups({ offset: bad, limit: 10 }), "options.offset");
    await rejectsInvalid(() => client.countGroups({ timeoutMs: bad }), "options.timeoutMs");
    await rejectsInvalid(() => client.updateSettings(groupId, { infoAdminOnly: bad }), "patch.infoAdminOnly");
    for (const key of ["concurrency", "batchSize", "requestsPerSecond", "rateLimitRetries"]) {
      await rejectsInvalid(() => client.bulkChangeParticipants([item], { [key]: bad }), `options.${key}`);
    }
    await rejectsInvalid(() => client.bulkChangeParticipants([item, { ...item, participant: bad }]), "items[1].participant");
    await rejectsInvalid(() => client.createGroup({ subject: "Team", participants: ["5511988880000", bad] }), "group.participants[1]");
  }
});

/** A Proxy whose every trap throws. */
const hostile = (target = {}) => new Proxy(target, Object.fromEntries(
  ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "apply"].map((trap) => [
    trap, () => { throw new Error(`hostile ${trap}`); },
  ]),
));
const revoked = (target = {}) => { const { proxy, revoke } = Proxy.revocable(target, {}); revoke(); return proxy; };
const throwingGetter = (key) => Object.defineProperty({}, key, { enumerable: true, get() { throw new Error("getter"); } });

test("hostile client options throw a GroupsError", () => {
  for (const options of [hostile(), revoked(), throwingGetter("baseUrl"), { ...offline, timeoutMs: 10n }]) {
    assert.throws(() => GroupsClient.waha(options), invalid());
    assert.throws(() => GroupsClient.wavy(options), invalid());
  }
});

test("hostile call options reject with a GroupsError", async () => {
  const client = GroupsClient.waha(offline);
  for (const options of [hostile(), revoked(), throwingGetter("timeoutMs"), throwingGetter("signal")]) {
    await rejectsInvalid(() => client.countGroups(options));
    await rejectsInvalid(() => client.getGroup(groupId, options));
    await rejectsInvalid(() => client.bulkChangeParticipants([item], undefined, options));
  }
});

test("hostile list options, arguments and bulk options reject with a GroupsError", async () => {
  const client = GroupsClient.waha(offline);
  for (const make of [hostile, revoked]) {
    await rejectsInvalid(() => client.listGroups(make()));
    await rejectsInvalid(() => client.createGroup(make()));
    await rejectsInvalid(() => client.updateSettings(groupId, make()));
    await rejectsInvalid(() => client.addParticipants(groupId, make([])));
    await rejectsInvalid(() => client.bulkChangeParticipants([item], make()));
    await rejectsInvalid(() => client.bulkChangeParticipants(make([])));
    await rejectsInvalid(() => client.bulkChangeParticipants([make()]));
  }
  await rejectsInvalid(() => client.bulkChangeParticipants([item], throwingGetter("concurrency")), "options.concurrency");
  await rejectsInvalid(() => client.bulkChangeParticipants([item], throwingGetter("onProgress")), "options.onProgress");
  await rejectsInvalid(() => client.bulkChangeParticipants([throwingGetter("groupId")]));
  // Still alive and well: an ordinary call afterwards behaves as usual.
  await assert.rejects(client.countGroups(), (e) => e.code === "network");
});
