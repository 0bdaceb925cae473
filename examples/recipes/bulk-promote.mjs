// Promotes to admin every `groupId,phone` row of a CSV file (a header row is skipped).
// Usage: node bulk-promote.mjs members.csv
import { readFileSync } from "node:fs";
import { client } from "./env.mjs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bulk-promote.mjs <file.csv>   (rows: groupId,phone)");
  process.exit(2);
}
const rows = readFileSync(file, "utf8")
  .split(/\r?\n/)
  .map((line) => line.split(",").map((cell) => cell.trim()))
  .filter(([groupId, phone]) => groupId && phone && groupId !== "groupId");
const items = rows.map(([groupId, participant]) => ({ groupId, change: "promote", participant }));

const report = await client.bulkChangeParticipants(items, {
  onProgress: (done, total) => process.stderr.write(`\r${done}/${total}`),
});
process.stderr.write("\n");
for (const outcome of report.outcomes.filter((o) => !o.ok)) {
  const [groupId, phone] = rows[outcome.index];
  console.log(`not promoted: ${phone} in ${groupId}: ${outcome.code} ${outcome.message ?? ""}`);
}
console.log(`${report.succeeded} promoted, ${report.failed} not, ${report.throttled} rate-limit pauses`);
process.exitCode = report.failed === 0 ? 0 : 1;
