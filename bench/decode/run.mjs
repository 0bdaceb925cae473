// The Node half of `cargo xtask bench --only decode` (issue 15): xtask has built each
// candidate of bench/decode (wasm-bindgen --target web, then wasm-opt -Oz) into --site;
// this measures their sizes (raw, brotli 11; `twiggy top` of a copy optimised with names),
// checks that each decodes the WEBJS, NOWEB and GOWS spellings, and times each in headless
// Chromium from the JSON text of a WEBJS `GET /groups` answer to JS objects, against the
// floor `JSON.parse(text)`. Writes the figures to --out (JSON) for bench/run.mjs.
//
// Usage: node bench/decode/run.mjs --site <dir> --out <file> [--quick]
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import os from "node:os";
import zlib from "node:zlib";

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const site = arg("--site");
const out = arg("--out");
const quick = process.argv.includes("--quick");
if (!site || !out) {
  console.error("usage: node bench/decode/run.mjs --site <dir> --out <file> [--quick]");
  process.exit(2);
}
const log = (...xs) => console.error("bench decode:", ...xs);

// What each candidate takes: the response text, or the value JSON.parse made of it.
const CANDIDATES = [
  { name: "baseline", input: "none", design: "wasm-bindgen and one export returning a constant" },
  { name: "serde_json", input: "text", design: "text → serde_json → neutral → serde_json string → JSON.parse (today)" },
  { name: "swb", input: "value", design: "JSON.parse → serde-wasm-bindgen 0.6.5 (same derive structs) → JS objects (json_compatible)" },
  { name: "miniserde", input: "text", design: "text → miniserde (hand-written Map impls for the aliases) → miniserde string → JSON.parse" },
  { name: "reflect", input: "value", design: "JSON.parse → Reflect::get per field, no serde → Object + Reflect::set" },
  { name: "reflect_json", input: "value", design: "JSON.parse → Reflect::get per field, no serde → hand-written JSON text → JSON.parse" },
  { name: "reflect_idx", input: "value", design: "as reflect_json, reading with an `obj[key]` import (no try/catch) instead of Reflect::get" },
  { name: "reflect_sniff", input: "value", design: "as reflect_idx, and a participant whose id is an object (WEBJS) read for WEBJS's fields only" },
];
// The part every candidate shares (the normalisation, no decoding): sized, not timed.
const SHARED = { name: "normalise", input: "none", design: "the shared normalisation alone, fed one opaque string" };
// Candidates that take an input are also built with `split`: `decode_only` skips the hand-over.
const TIMED = CANDIDATES.filter((c) => c.input !== "none");

const tidy = (name) => name.replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
// Sizes of the shipped file (wasm-opt -Oz, no names), and twiggy's top entries of the
// same optimisation with names kept (-g).
const sizes = {};
for (const c of [...CANDIDATES, SHARED]) {
  const bytes = readFileSync(path.join(site, c.name, `${c.name}_bg.wasm`));
  const brotli = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  let twiggy = [];
  try {
    const json = execFileSync("twiggy", ["top", "-n", "12", "-f", "json", path.join(site, c.name, `${c.name}_named.wasm`)], { encoding: "utf8" });
    // The names section exists only in this -g copy; hashes dropped for reading.
    twiggy = JSON.parse(json).filter((e) => !/ names" subsection$/.test(e.name)).slice(0, 10)
      .map((e) => ({ name: tidy(e.name), bytes: e.shallow_size }));
  } catch (e) {
    log(`twiggy failed for ${c.name}: ${e.message}`);
  }
  sizes[c.name] = { raw: bytes.length, brotli, twiggy };
}

// The engines' spellings (REFERENCE.md A3) and what the core normalises each into.
const SHAPES = {
  WEBJS: {
    input: [{ groupMetadata: { id: { server: "g.us", user: "120363355684878098", _serialized: "120363355684878098@g.us" },
      creation: 1732526981, owner: { server: "c.us", user: "85288888888", _serialized: "85288888888@c.us" },
      subject: "Team", subjectTime: 1732526981, desc: "Ops", restrict: false, announce: false,
      membershipApprovalMode: false, size: 2, isLidAddressingMode: false,
      participants: [{ id: { server: "c.us", user: "85288888888", _serialized: "85288888888@c.us" }, isAdmin: true, isSuperAdmin: true },
        { id: { server: "c.us", user: "85299999999", _serialized: "85299999999@c.us" }, isAdmin: false, isSuperAdmin: false }],
      pendingParticipants: [], pastParticipants: [], membershipApprovalRequests: [] },
    id: { server: "g.us", user: "120363355684878098", _serialized: "120363355684878098@g.us" },
    name: "Team", isGroup: true, isReadOnly: false, unreadCount: 0, timestamp: 1732527000,
    archived: false, pinned: false, isMuted: false, muteExpiration: 0 }],
    expected: [{ id: "120363355684878098@g.us", subject: "Team", description: "Ops", creator: "85288888888@c.us",
      createdAt: 1732526981, size: 2, participants: [
        { id: "85288888888@c.us", phone: "85288888888", role: "superadmin" },
        { id: "85299999999@c.us", phone: "85299999999", role: "member" }] }],
  },
  NOWEB: {
    input: { "120363401234567890@g.us": { id: "120363401234567890@g.us", subject: "Team",
      subjectOwner: "5511999990000@s.whatsapp.net", subjectTime: 1732526981, size: 2, creation: 1732526981,
      owner: "5511999990000@s.whatsapp.net", desc: "Ops", descId: "3EB0A1B2C3D4E5F6", restrict: false, announce: false,
      isCommunity: false, isCommunityAnnounce: false, joinApprovalMode: false, memberAddMode: true,
      participants: [{ id: "5511999990000@s.whatsapp.net", admin: "superadmin" },
        { id: "76699677012110@lid", phoneNumber: "5511888880000@s.whatsapp.net", admin: null }] } },
    expected: [{ id: "120363401234567890@g.us", subject: "Team", description: "Ops", creator: "5511999990000@c.us",
      createdAt: 1732526981, size: 2, participants: [
        { id: "5511999990000@c.us", phone: "5511999990000", role: "superadmin" },
        { id: "76699677012110@lid", lid: "76699677012110@lid", phone: "5511888880000", role: "member" }] }],
  },
  GOWS: {
    input: [{ JID: "120363431849092219@g.us", OwnerJID: "180002129735765@lid", OwnerPN: "558181390000@s.whatsapp.net",
      Name: "Team", NameSetAt: "2026-09-16T17:55:06-03:00", NameSetBy: "180002129735765@lid", NameSetByPN: "558181390000@s.whatsapp.net",
      Topic: "Ops", TopicID: "", TopicSetAt: "0001-01-01T00:00:00Z", TopicSetBy: "", TopicSetByPN: "", TopicDeleted: false,
      IsLocked: false, IsAnnounce: false, AnnounceVersionID: "1789592106103843", IsEphemeral: false, DisappearingTimer: 0,
      IsIncognito: false, IsParent: false, DefaultMembershipApprovalMode: "", LinkedParentJID: "", IsDefaultSubGroup: false,
      IsJoinApprovalRequired: false, AddressingMode: "lid", GroupCreated: "2026-09-16T17:55:06-03:00", CreatorCountryCode: "BR",
      ParticipantVersionID: "1789592106103843", MemberAddMode: "all_member_add",
      Participants: [{ JID: "180002129735765@lid", PhoneNumber: "558181390000@s.whatsapp.net", LID: "180002129735765@lid", IsAdmin: true, IsSuperAdmin: true, DisplayName: "", Error: 0, AddRequest: null },
        { JID: "92965187932215@lid", PhoneNumber: "558192980000@s.whatsapp.net", LID: "92965187932215@lid", IsAdmin: false, IsSuperAdmin: false, DisplayName: "", Error: 0, AddRequest: null }] }],
    expected: [{ id: "120363431849092219@g.us", subject: "Team", description: "Ops", creator: "558181390000@c.us",
      createdAt: 1789592106, size: 2, participants: [
        { id: "180002129735765@lid", lid: "180002129735765@lid", phone: "558181390000", role: "superadmin" },
        { id: "92965187932215@lid", lid: "92965187932215@lid", phone: "558192980000", role: "member" }] }],
  },
};

// The page: every candidate's module, a generator of WEBJS answers, the timing loop.
const PAGE = `<!doctype html><meta charset="utf-8"><title>decode bench</title>
<script type="module">
const names = ${JSON.stringify([...CANDIDATES.map((c) => c.name), ...TIMED.map((c) => c.name + "_split")])};
const mods = {};
for (const n of names) {
  const m = await import("./" + n + "/" + n + ".js");
  await m.default();
  mods[n] = m;
}
// A WEBJS \`GET /groups\` answer (REFERENCE.md A3): GroupChat objects, ids as {server, user, _serialized}.
function webjs(groups, members) {
  const out = [];
  for (let i = 0; i < groups; i++) {
    const gu = "120363" + String(i).padStart(12, "0");
    const gid = () => ({ server: "g.us", user: gu, _serialized: gu + "@g.us" });
    const participants = [];
    for (let j = 0; j < members; j++) {
      const u = "5511" + String(i * members + j).padStart(9, "0");
      participants.push({ id: { server: "c.us", user: u, _serialized: u + "@c.us" }, isAdmin: j < 2, isSuperAdmin: j === 0 });
    }
    const owner = participants[0].id;
    out.push({
      groupMetadata: { id: gid(), creation: 1732526981 + i, owner: { ...owner }, subject: "Group " + i,
        subjectTime: 1732526981 + i, desc: "The description of group " + i, restrict: false, announce: false,
        membershipApprovalMode: false, size: members, isLidAddressingMode: false, participants,
        pendingParticipants: [], pastParticipants: [], membershipApprovalRequests: [] },
      id: gid(), name: "Group " + i, isGroup: true, isReadOnly: false, unreadCount: 0, timestamp: 1732527000 + i,
      archived: false, pinned: false, isMuted: false, muteExpiration: 0,
    });
  }
  return JSON.stringify(out);
}
const contenders = {
  floor: (text) => JSON.parse(text),
  ${TIMED.map((c) =>
    `${JSON.stringify(c.name)}: (text) => mods[${JSON.stringify(c.name)}].decode_groups(${c.input === "text" ? "text" : "JSON.parse(text)"})`).join(",\n  ")}
};
// The same, without the hand-over to JS (the number of participants decoded).
const halves = {
  ${TIMED.map((c) =>
    `${JSON.stringify(c.name)}: (text) => mods[${JSON.stringify(c.name + "_split")}].decode_only(${c.input === "text" ? "text" : "JSON.parse(text)"})`).join(",\n  ")}
};
// Plain JSON with keys sorted and null/undefined left out (miniserde writes null for None).
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x))
  ? Object.fromEntries(Object.keys(x).sort().filter((key) => x[key] !== null && x[key] !== undefined).map((key) => [key, x[key]])) : x);
window.decodeBench = {
  shapes(shapes) {
    const res = {};
    for (const [name, fn] of Object.entries(contenders)) {
      if (name === "floor") continue;
      res[name] = {};
      for (const [engine, { input, expected }] of Object.entries(shapes)) {
        try {
          const got = fn(JSON.stringify(input));
          res[name][engine] = canon(got) === canon(expected) ? "ok" : "wrong: " + canon(got);
        } catch (e) {
          res[name][engine] = "error: " + (e && e.message || e);
        }
      }
    }
    return res;
  },
  // Every candidate's output on a generated answer, against serde_json's (today's).
  agree(groups) {
    const text = webjs(groups, 8);
    const want = canon(contenders.serde_json(text));
    const res = {};
    for (const [name, fn] of Object.entries(contenders)) {
      if (name === "floor") continue;
      res[name] = canon(fn(text)) === want;
    }
    return res;
  },
  time(groups, runs, warmup) {
    const text = webjs(groups, 8);
    const all = { ...contenders, ...Object.fromEntries(Object.entries(halves).map(([n, f]) => [n + ":decode", f])) };
    const order = Object.keys(all);
    const ms = Object.fromEntries(order.map((n) => [n, []]));
    for (let r = 0; r < warmup + runs; r++) {
      // Rotate the order so no contender always runs right after another.
      for (let k = 0; k < order.length; k++) {
        const name = order[(r + k) % order.length];
        const t0 = performance.now();
        const v = all[name](text);
        const t1 = performance.now();
        const n = name.endsWith(":decode") ? v / 8 : v.length;
        if (n !== groups) throw new Error(name + " decoded " + n + " of " + groups);
        if (r >= warmup) ms[name].push(t1 - t0);
      }
    }
    return { bytes: text.length, ms };
  },
};
window.decodeReady = true;
</script>`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  ignoreDefaultArgs: ["--headless"],
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const result = { date: new Date().toISOString(), quick, candidates: CANDIDATES, shared: SHARED, sizes, loadAverageBefore: os.loadavg()[0] };
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => log("page error:", e.message));
  // The page and the candidates' files, served from --site on a made-up origin.
  const ORIGIN = "http://decode.bench";
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === "/" || url.pathname === "/index.html") {
      return route.fulfill({ status: 200, contentType: "text/html", body: PAGE });
    }
    const file = path.join(site, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(site)) || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
    const type = file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".js") ? "text/javascript" : "application/octet-stream";
    return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => window.decodeReady === true, null, { timeout: 60000 });

  result.shapes = await page.evaluate((s) => window.decodeBench.shapes(s), SHAPES);
  result.agreeWithSerdeJson = await page.evaluate(() => window.decodeBench.agree(100));
  log("shapes:", JSON.stringify(result.shapes));
  log("same output as serde_json on 100 generated groups:", JSON.stringify(result.agreeWithSerdeJson));

  result.timings = [];
  for (const [groups, runs] of quick ? [[100, 5], [1000, 3], [10000, 3]] : [[100, 31], [1000, 15], [10000, 9]]) {
    log(`${groups} groups × 8 participants, ${runs} runs after 2 warm-up rounds`);
    const t = await page.evaluate(([g, r]) => window.decodeBench.time(g, r, 2), [groups, runs]);
    result.timings.push({
      groups, membersPerGroup: 8, jsonBytes: t.bytes, runs,
      medianMs: Object.fromEntries(Object.entries(t.ms).map(([n, xs]) => [n, median(xs)])),
    });
  }
  await page.close();
} finally {
  await browser.close();
}
writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
log(`wrote ${out}`);
