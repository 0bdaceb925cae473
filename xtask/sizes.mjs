// Raw, gzip and brotli sizes of the .wasm files named in size-budget.json, checked against
// their budgets. Prints a table and `# pass N` / `# fail N` (one per file); with --check,
// exits 1 when a file is over its budget or missing. Run by `cargo xtask test` and
// `cargo xtask sizes`.
import { readFileSync, existsSync } from "node:fs";
import zlib from "node:zlib";

const check = process.argv.includes("--check");
const { files } = JSON.parse(readFileSync("size-budget.json", "utf8"));
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
let pass = 0;
let fail = 0;
console.log(`${"wasm".padEnd(30)} ${"raw".padStart(10)} ${"gzip -9".padStart(10)} ${"brotli 11".padStart(10)} ${"budget".padStart(10)} ${"goal".padStart(10)}`);
for (const [file, { brotliBudget, goal }] of Object.entries(files)) {
  if (!existsSync(file)) {
    console.log(`${file.padEnd(30)} missing: build it first`);
    fail++;
    continue;
  }
  const bytes = readFileSync(file);
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  const br = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const over = br > brotliBudget;
  console.log(`${file.padEnd(30)} ${kb(bytes.length).padStart(10)} ${kb(gz).padStart(10)} ${kb(br).padStart(10)} ${kb(brotliBudget).padStart(10)} ${kb(goal).padStart(10)}${over ? `  OVER BUDGET by ${kb(br - brotliBudget)}` : ""}`);
  if (over) fail++;
  else pass++;
}
console.log(`# pass ${pass}\n# fail ${fail}`);
process.exit(check && fail > 0 ? 1 : 0);
