// Credentials never follow a redirect: neither provider redirects, so the client does not
// follow a 3xx (fetch would, sending X-Api-Key, userName/authenticationToken and, on 307/308,
// the POST body to wherever the Location points). Two servers on loopback: one redirects to
// the other, which records everything it receives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { GroupsClient } = require("../../pkg/node/wa_groups.js");

async function listen(t, handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return `http://127.0.0.1:${server.address().port}`;
}

/** The other host: answers everything with 200 and records what reached it. */
async function elsewhere(t) {
  const received = [];
  const url = await listen(t, (req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.method === "GET" ? "[]" : "{}");
    });
  });
  return { url, received };
}

/** The provider's host: redirects every request to `target` with `status`. */
async function redirecting(t, status, target) {
  const hits = [];
  const url = await listen(t, (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(status, { location: `${target}${req.url}` });
    res.end();
  });
  return { url, hits };
}

function redirectError(status) {
  return (err) => {
    assert.equal(err.name, "GroupsError");
    assert.equal(err.code, "server", err.message);
    assert.equal(err.status, status);
    assert.match(err.message, /redirect/i);
    return true;
  };
}

for (const status of [301, 302, 303, 307, 308]) {
  test(`WAHA: a ${status} is an error and the API key never reaches the other host`, async (t) => {
    const other = await elsewhere(t);
    const waha = await redirecting(t, status, other.url);
    const client = GroupsClient.waha({ baseUrl: waha.url, apiKey: "secret-key" });
    await assert.rejects(client.listGroups(), redirectError(status));
    await assert.rejects(client.createGroup({ subject: "Team", participants: ["5511988880000"] }), redirectError(status));
    assert.deepEqual(waha.hits.map((h) => h.split(" ")[0]), ["GET", "POST"], "sent once each, not retried");
    assert.deepEqual(other.received, [], "nothing reached the other host");
  });
}

test("Wavy: a redirect is an error and userName/authenticationToken never reach the other host", async (t) => {
  const other = await elsewhere(t);
  const wavy = await redirecting(t, 307, other.url);
  const client = GroupsClient.wavy({ baseUrl: wavy.url, userName: "me@example.com", authenticationToken: "secret-token" });
  await assert.rejects(client.countGroups(), redirectError(307));
  await assert.rejects(client.sendText("5519900000000-1553784379", "hello"), redirectError(307));
  assert.equal(wavy.hits.length, 2);
  assert.deepEqual(other.received, [], "nothing reached the other host");
});
