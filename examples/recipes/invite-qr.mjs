// A group's invite link as a QR code: an SVG file, and a preview in the terminal.
// Usage: node invite-qr.mjs <groupId> [out.svg]
import { writeFileSync } from "node:fs";
import QRCode from "qrcode";
import { client } from "./env.mjs";

const [groupId, out = "invite.svg"] = process.argv.slice(2);
if (!groupId) {
  console.error("usage: node invite-qr.mjs <groupId> [out.svg]");
  process.exit(2);
}
const link = await client.getInviteLink(groupId);
writeFileSync(out, await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M" }));
console.log(await QRCode.toString(link, { type: "terminal", small: true }));
console.log(`${link}\nwritten to ${out}`);
