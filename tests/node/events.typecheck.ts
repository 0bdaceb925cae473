// Type-checked with typecheck.ts: parseInbound / verifyWebhook have precise types.
import { parseInbound, verifyWebhook } from "../../pkg/node/wa_groups.js";
import type { EventKind, InboundEvent, RecipientType } from "../../pkg/node/wa_groups.js";

export function reply(body: string, signature: string): string | undefined {
  if (!verifyWebhook("secret", body, signature)) return undefined;
  // A missing header (Node's `req.headers[...]` is then undefined) is allowed: it is `false`.
  const header: string | undefined = signature || undefined;
  if (!verifyWebhook("secret", body, header)) return undefined;
  const events: InboundEvent[] = parseInbound("wavy", body);
  const event = events[0];
  const kind: EventKind | undefined = event?.kind;
  const to: RecipientType | undefined = event?.replyTo?.recipientType;
  const seconds: number | undefined = event?.timestamp;
  parseInbound("waha", new Uint8Array());
  parseInbound("waha", { event: "message" });

  // @ts-expect-error: providers are a closed set
  parseInbound("twilio", body);
  // @ts-expect-error: the payload is a string, bytes or an object
  parseInbound("waha", 42);
  // @ts-expect-error: kinds are a closed set
  const wrong: EventKind = "message";

  return event?.kind === "groupMessage" ? event.replyTo?.destination : `${kind}${to}${seconds}${wrong}`;
}
