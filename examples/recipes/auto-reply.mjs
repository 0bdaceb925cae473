// A webhook server that answers group messages in the group they came from — never as a
// direct message to the sender (which Wavy, for one, may bill as a template message).
// Register its URL with your provider (or the sandbox: POST /_sandbox/webhook {"url"}).
import { createServer } from "node:http";
import { parseInbound, verifyWebhook } from "wa-groups";
import { client } from "./env.mjs";

const secret = process.env.WA_WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 0);

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  if (secret && !verifyWebhook(secret, body, String(req.headers["x-webhook-hmac"] ?? ""))) {
    res.writeHead(401).end();
    return;
  }
  res.writeHead(200).end(); // answer the provider at once; reply on our own time
  let events;
  try {
    events = parseInbound("waha", new Uint8Array(body));
  } catch (e) {
    console.error(`not an event: ${e.message}`);
    return;
  }
  for (const event of events) {
    if (event.kind !== "groupMessage" || event.replyTo?.recipientType !== "group") continue;
    const sent = await client.sendText(event.groupId, `Got it: "${event.text ?? ""}"`);
    console.log(`replied in ${event.groupId} (${sent.id ?? "sent"})`);
  }
});
server.listen(port, "127.0.0.1", () => {
  console.log(`auto-reply listening on http://127.0.0.1:${server.address().port}`);
});
