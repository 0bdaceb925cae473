// Retries and timeouts through the npm package, against small misbehaving servers started
// by the test on loopback (each bounded in requests and time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient } = require("../../pkg/node/wa_groups.js");

/** A server answering request n with `script[n]` (the last entry repeats); counts hits. */
async function scripted(t, script) {
  const hits = [];
  const server = createServer((req, res) => {
    const step = script[Math.min(hits.length, script.length - 1)];
    hits.push(`${req.method} ${req.url}`);
    step(req, res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const { port } = server.address();
  return { baseUrl: `http://127.0.0.1:${port}`, hits };
}

const status = (code, headers = {}) => (_req, res) => { res.writeHead(code, headers); res.end("{}"); };
const json = (code, body) => (_req, res) => { res.writeHead(code, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
const stall = () => () => {};
const stallBody = () => (_req, res) => { res.writeHead(200, { "content-type": "application/json" }); res.write("[{\"id\":"); };

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (err) => { assert.equal(err.code, code, err.message); return true; });
}

test("a GET hit by 503s is retried and succeeds", async (t) => {
  const { baseUrl, hits } = await scripted(t, [status(503), status(502), json(200, [])]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", maxDelayMs: 50 });
  assert.deepEqual(await client.listGroups(), []);
  assert.equal(hits.length, 3);
});

test("a POST hit by a 500 is sent exactly once", async (t) => {
  const { baseUrl, hits } = await scripted(t, [status(500), json(201, {})]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", maxDelayMs: 50 });
  await rejectsWith(client.createGroup({ subject: "Once" }), "server");
  assert.equal(hits.length, 1);
});

test("a GET hit by 429 with Retry-After: 1 succeeds after about a second", async (t) => {
  const { baseUrl, hits } = await scripted(t, [status(429, { "retry-after": "1" }), json(200, [])]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k" });
  const started = Date.now();
  assert.deepEqual(await client.listGroups(), []);
  const waited = Date.now() - started;
  assert.equal(hits.length, 2);
  // Not a timing assertion of our speed: it proves the client honoured the server's wait.
  assert.ok(waited >= 950, `waited ${waited} ms`);
});

test("retries: 0 sends once", async (t) => {
  const { baseUrl, hits } = await scripted(t, [status(503)]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", retries: 0 });
  await rejectsWith(client.listGroups(), "server");
  assert.equal(hits.length, 1);
});

test("a server that never answers times out with code timeout", async (t) => {
  const { baseUrl } = await scripted(t, [stall()]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", timeoutMs: 200, retries: 0 });
  await rejectsWith(client.listGroups(), "timeout");
});

test("a body that stalls after the headers times out too", async (t) => {
  const { baseUrl } = await scripted(t, [stallBody()]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", timeoutMs: 200, retries: 0 });
  await rejectsWith(client.listGroups(), "timeout");
});

test("a malformed body is a decode error, never a crash", async (t) => {
  const { baseUrl } = await scripted(t, [(_q, res) => { res.writeHead(200); res.end("[{\"id\": tru"); }]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", retries: 0 });
  await rejectsWith(client.listGroups(), "decode");
});

test("an already aborted signal rejects with aborted and sends nothing", async (t) => {
  const { baseUrl, hits } = await scripted(t, [json(200, [])]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k" });
  const controller = new AbortController();
  controller.abort();
  await rejectsWith(client.listGroups(undefined, { signal: controller.signal }), "aborted");
  assert.equal(hits.length, 0);
});

test("abort during a retry wait returns at once", async (t) => {
  const { baseUrl, hits } = await scripted(t, [status(503, { "retry-after": "5" })]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await rejectsWith(client.listGroups(undefined, { signal: controller.signal }), "aborted");
  assert.equal(hits.length, 1, "the wait was cut short, no second request");
  assert.ok(Date.now() - started < 4000, "did not wait out the 5 s Retry-After");
});

test("abort during a request cancels it", async (t) => {
  const { baseUrl } = await scripted(t, [stall()]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await rejectsWith(client.getGroup("1@g.us", { signal: controller.signal }), "aborted");
});

test("a call's own timeoutMs overrides the client's", async (t) => {
  const { baseUrl } = await scripted(t, [stall()]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k", retries: 0 });
  await rejectsWith(client.countGroups({ timeoutMs: 150 }), "timeout");
});

test("call options are checked", async () => {
  const client = GroupsClient.waha({ baseUrl: "http://127.0.0.1:9", apiKey: "k" });
  await assert.rejects(client.countGroups({ timeout: 5 }), (e) => e.code === "invalid_input" && /timeout/.test(e.message));
  await assert.rejects(client.countGroups({ signal: "stop" }), (e) => e.code === "invalid_input" && e.field === "options.signal");
});

// Against the sandbox's own fault injection (a route no other test uses; `times` bounds it).
const sandboxUrl = process.env.WA_GROUPS_SANDBOX_URL ?? "http://127.0.0.1:3000";
const inject = (rules) => fetch(`${sandboxUrl}/_sandbox/faults`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rules),
});

test("sandbox faults: a stalled body times out, a dropped connection is a network error", async () => {
  const client = GroupsClient.waha({ baseUrl: sandboxUrl, apiKey: "sandbox", session: "gows", retries: 0 });
  assert.equal((await inject([{ route: "/api/gows/groups/count", body: "stall", times: 1 }])).status, 204);
  await rejectsWith(client.countGroups({ timeoutMs: 300 }), "timeout");
  assert.equal((await inject([{ route: "/api/gows/groups/count", body: "drop", times: 1 }])).status, 204);
  await rejectsWith(client.countGroups(), "network");
  assert.equal(typeof (await client.countGroups()), "number", "faults used up: back to normal");
});

test("bulkChangeParticipants reports every item in order, with progress", async () => {
  const seeded = await fetch(`${sandboxUrl}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ session: "webjs", groups: 0, bigGroupMembers: 30 }),
  }).then((r) => r.json());
  const client = GroupsClient.waha({ baseUrl: sandboxUrl, apiKey: "sandbox", session: "webjs" });
  const group = await client.getGroup(seeded.bigGroupId);
  const members = group.participants.filter((p) => p.role === "member").map((p) => p.phone);
  assert.equal(members.length, 30);
  const items = members.map((participant) => ({ groupId: group.id, change: "promote", participant }));
  items.push({ groupId: group.id, change: "promote", participant: "not a phone" });
  const progress = [];
  const report = await client.bulkChangeParticipants(items, { batchSize: 7, concurrency: 2, onProgress: (done, total) => progress.push([done, total]) });
  assert.equal(report.outcomes.length, 31);
  assert.deepEqual(report.outcomes.map((o) => o.index), [...Array(31).keys()]);
  assert.equal(report.succeeded, 30);
  assert.equal(report.outcomes[30].code, "invalid_input");
  assert.deepEqual(progress.at(-1), [31, 31]);
  const after = await client.getGroup(group.id);
  assert.equal(after.participants.filter((p) => p.role === "admin").length, 30);
  await assert.rejects(client.bulkChangeParticipants([{ groupId: group.id, change: "ban", participant: "5511" }]),
    (e) => e.code === "invalid_input" && e.field === "items[0].change");
});

test("a rate-limited bulk job pauses as one, sends refused batches again, and loses nothing", async (t) => {
  const seeded = await fetch(`${sandboxUrl}/_sandbox/seed`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ session: "noweb", groups: 0, bigGroupMembers: 40 }),
  }).then((r) => r.json());
  const client = GroupsClient.waha({ baseUrl: sandboxUrl, apiKey: "sandbox", session: "noweb", retries: 0 });
  const group = await client.getGroup(seeded.bigGroupId);
  const members = group.participants.filter((p) => p.role === "member").map((p) => p.phone);
  // Only this group's routes are limited, so other tests' requests are unaffected.
  assert.equal((await inject([{ route: `/api/noweb/groups/${group.id}/`, ratePerSecond: 4 }])).status, 204);
  t.after(() => fetch(`${sandboxUrl}/_sandbox/faults`, { method: "DELETE" }));
  const items = members.map((participant) => ({ groupId: group.id, change: "promote", participant }));
  const report = await client.bulkChangeParticipants(items, { batchSize: 4, concurrency: 4 });
  assert.equal(report.succeeded, 40, JSON.stringify(report.outcomes.filter((o) => !o.ok)));
  assert.ok(report.throttled >= 1, "10 requests against 4 a second meet the limit");
  const after = await client.getGroup(group.id);
  assert.equal(after.participants.filter((p) => p.role === "admin").length, 40);
});

test("bulk options are checked, a misspelt one included", async () => {
  const client = GroupsClient.waha({ baseUrl: sandboxUrl, apiKey: "sandbox" });
  const item = { groupId: "120363000000000001@g.us", change: "promote", participant: "5511988880000" };
  for (const [options, field] of [
    [{ requestPerSecond: 5 }, "options.requestPerSecond"],
    [{ requestsPerSecond: 0 }, "options.requestsPerSecond"],
    [{ rateLimitRetries: 1.5 }, "options.rateLimitRetries"],
    [{ concurrency: 0 }, "options.concurrency"],
  ]) {
    await assert.rejects(client.bulkChangeParticipants([item], options),
      (e) => e.code === "invalid_input" && e.field === field, JSON.stringify(options));
  }
});

// ---- Processes that must end: run a script in a child `node` (bounded in time) ----

const { spawn } = await import("node:child_process");
const packagePath = require.resolve("../../pkg/node/wa_groups.js");

/**
 * Runs `script` (CommonJS, with `GroupsClient` and `BASE_URL` in scope) in a child node; resolves
 * to its exit code, stdout and how long it lived. Killed after `limitMs`.
 */
function runChild(script, baseUrl, limitMs = 20_000) {
  const source = `const { GroupsClient } = require(${JSON.stringify(packagePath)});\n` +
    `const BASE_URL = ${JSON.stringify(baseUrl)};\n${script}`;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => { stdout += chunk; });
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: stdout.trim(), stderr: stderr.trim(), ms: Date.now() - started });
    });
  });
}

test("a process that aborts during a long backoff exits at once (the timer is cleared)", async (t) => {
  const { baseUrl } = await scripted(t, [(_req, res) => {
    res.writeHead(503, { "retry-after": "8", connection: "close" });
    res.end("{}");
  }]);
  const child = await runChild(`
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    GroupsClient.waha({ baseUrl: BASE_URL, apiKey: "k" })
      .listGroups(undefined, { signal: controller.signal })
      .then(() => console.log("resolved"), (e) => console.log(e.code));
  `, baseUrl);
  assert.equal(child.stdout, "aborted", child.stderr);
  assert.equal(child.code, 0, child.stderr);
  // Before, the cleared-for-nothing 8 s Retry-After timer kept Node alive until it fired.
  assert.ok(child.ms < 4_000, `the process lived ${child.ms} ms after an abort at 300 ms`);
});

test("a process that aborts a bulk job during its rate-limit pause exits at once", async (t) => {
  const { baseUrl } = await scripted(t, [(_req, res) => {
    res.writeHead(429, { "retry-after": "8", connection: "close" });
    res.end("{}");
  }]);
  const child = await runChild(`
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const item = { groupId: "120363000000000001@g.us", change: "promote", participant: "5511988880000" };
    GroupsClient.waha({ baseUrl: BASE_URL, apiKey: "k" })
      .bulkChangeParticipants([item], {}, { signal: controller.signal })
      .then(() => console.log("resolved"), (e) => console.log(e.code));
  `, baseUrl);
  assert.equal(child.stdout, "aborted", child.stderr);
  assert.ok(child.ms < 4_000, `the process lived ${child.ms} ms after an abort at 300 ms`);
});

test("aborting a bulk job rejects with aborted, as every call does", async (t) => {
  const { baseUrl, hits } = await scripted(t, [stall()]);
  const client = GroupsClient.waha({ baseUrl, apiKey: "k" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const items = ["5511988880000", "5511988880001"].map((participant) =>
    ({ groupId: "120363000000000001@g.us", change: "promote", participant }));
  await rejectsWith(client.bulkChangeParticipants(items, { batchSize: 1 }, { signal: controller.signal }), "aborted");
  assert.ok(hits.length >= 1);
  // A signal aborted before the call: rejected the same way, nothing sent.
  const before = hits.length;
  await rejectsWith(client.bulkChangeParticipants(items, {}, { signal: AbortSignal.abort() }), "aborted");
  assert.equal(hits.length, before);
});

test("without AbortSignal.any (Node 20.0–20.2), a signal and a timeout still work together", async (t) => {
  const { baseUrl } = await scripted(t, [stall()]);
  const child = await runChild(`
    delete AbortSignal.any;
    const client = GroupsClient.waha({ baseUrl: BASE_URL, apiKey: "k", retries: 0, timeoutMs: 300 });
    const outcome = (p) => p.then(() => "resolved", (e) => e.code ?? String(e));
    (async () => {
      const timedOut = await outcome(client.countGroups({ signal: new AbortController().signal }));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await outcome(client.countGroups({ signal: controller.signal, timeoutMs: 5_000 }));
      console.log(JSON.stringify([timedOut, aborted]));
    })();
  `, baseUrl);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout || "null"), ["timeout", "aborted"], child.stderr);
});
