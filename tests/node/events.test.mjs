// parseInbound and verifyWebhook from the npm package (nodejs target); no server needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parseInbound, verifyWebhook, isGroupsError } = require("../../pkg/node/wa_groups.js");

const groupMo = {
  total: 1,
  data: [{ source: "5419900000000", origin: "5419900000000",
    message: { type: "TEXT", messageText: "Hello", waGroupId: "5519900000000-1553784379" } }],
};

test("a Wavy group MO is a group message answered in the group, as object, string or bytes", () => {
  const text = JSON.stringify(groupMo);
  for (const payload of [groupMo, text, new TextEncoder().encode(text)]) {
    assert.deepEqual(parseInbound("wavy", payload), [{
      kind: "groupMessage",
      groupId: "5519900000000-1553784379",
      from: "5419900000000",
      text: "Hello",
      replyTo: { destination: "5519900000000-1553784379", recipientType: "group" },
    }]);
  }
});

test("a WAHA participants webhook becomes participantsChanged with seconds", () => {
  const [event] = parseInbound("waha", {
    event: "group.v2.participants", session: "default",
    payload: { group: { id: "120363401234567890@g.us" }, type: "promote", timestamp: 1757000000120,
      participants: [{ id: "5511888880000@c.us", role: "participant" }] },
  });
  assert.equal(event.kind, "participantsChanged");
  assert.equal(event.action, "promote");
  assert.equal(event.timestamp, 1757000000);
  assert.deepEqual(event.participants, [{ id: "5511888880000@c.us", phone: "5511888880000", role: "admin" }]);
});

test("an unknown WAHA event is kind unknown, not an error", () => {
  assert.deepEqual(parseInbound("waha", '{"event":"session.status","payload":{}}'),
    [{ kind: "unknown", event: "session.status" }]);
});

test("malformed input throws a GroupsError", () => {
  for (const [provider, payload, code] of [
    ["waha", "{", "decode"],
    ["wavy", new Uint8Array([0xff]), "decode"],
    ["nope", "{}", "invalid_input"],
    ["waha", undefined, "invalid_input"],
  ]) {
    assert.throws(() => parseInbound(provider, payload), (err) => {
      assert.ok(isGroupsError(err));
      assert.equal(err.code, code);
      assert.equal(err.operation, "parseInbound");
      return true;
    });
  }
});

test("verifyWebhook checks the WAHA documentation's vector", () => {
  const body = '{"event":"message","session":"default","engine":"WEBJS"}';
  const sig = "208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89";
  assert.equal(verifyWebhook("my-secret-key", body, sig), true);
  assert.equal(verifyWebhook("my-secret-key", new TextEncoder().encode(body), sig.toUpperCase()), true);
  assert.equal(verifyWebhook("other-key", body, sig), false);
  assert.equal(verifyWebhook("my-secret-key", body + " ", sig), false);
  assert.equal(verifyWebhook("my-secret-key", body, "not hex"), false);
});

test("verifyWebhook returns false, never throws, for a missing signature or a non-string secret", () => {
  const body = '{"event":"message","session":"default","engine":"WEBJS"}';
  const sig = "208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89";
  // A handler passes `req.headers["x-webhook-hmac"]`, which is undefined when the header is absent.
  for (const missing of [undefined, null, 42, ["a", "b"], {}]) {
    assert.equal(verifyWebhook("my-secret-key", body, missing), false, `signature ${String(missing)}`);
  }
  // A secret read from an unset environment variable is undefined.
  for (const secret of [undefined, null, 42, new TextEncoder().encode("my-secret-key"), {}]) {
    assert.equal(verifyWebhook(secret, body, sig), false, `secret ${String(secret)}`);
  }
  assert.equal(verifyWebhook(), false);
  assert.equal(verifyWebhook("my-secret-key", body, sig), true, "the right arguments still verify");
});
