// WAHA's published OpenAPI file (2024.9.2) declares some string enums as `type: object`
// (the webhook `event` fields), which openapi-typescript 6 and 7 both reject. This writes
// a copy with exactly those schemas corrected to `type: string` — what a TypeScript user
// would have to do before generating — and says how many it changed.
// Usage: node bench/spec.mjs <in.json> <out.json>
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(input, "utf8"));
let fixed = 0;
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (node === null || typeof node !== "object") return;
  if (node.type === "object" && Array.isArray(node.enum) && node.enum.every((v) => typeof v === "string")) {
    node.type = "string";
    fixed++;
  }
  Object.values(node).forEach(walk);
})(spec);
writeFileSync(output, JSON.stringify(spec));
console.error(`spec: ${fixed} string enums declared as objects were corrected`);
