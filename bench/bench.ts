// The in-browser half of `cargo xtask bench`: the same requests to the same sandbox, made
// by wa-groups, by the floor (hand-written `fetch` + `JSON.parse`) and by the peer a
// TypeScript user would pick for WAHA (`openapi-fetch`, typed by `openapi-typescript`
// from WAHA's published OpenAPI file), interleaved so that drift hits all three alike.
// bench/run.mjs drives it through `window.bench`; it measures and returns numbers, and
// judges nothing.
import init, { GroupsClient } from "./pkg/wa_groups.js";
import createClient from "./openapi-fetch.js";
import type { paths } from "./waha-api.js";

type Contender = "floor" | "wa-groups" | "openapi-fetch";
type Samples = Record<Contender, number[]>;

const API_KEY = "sandbox";

let base = "";
let session = "";
let wa: GroupsClient;
let peer: ReturnType<typeof createClient<paths>>;

/** Keeps results reachable so no engine can drop the work that produced them. */
let sink: unknown;

async function setup(baseUrl: string, sessionName: string): Promise<void> {
  await init({ module_or_path: "./pkg/wa_groups_bg.wasm" });
  base = baseUrl;
  session = sessionName;
  wa = GroupsClient.waha({ baseUrl, apiKey: API_KEY, session, retries: 0 });
  peer = createClient<paths>({ baseUrl, headers: { "X-Api-Key": API_KEY } });
}

const floor = {
  async listGroups(): Promise<unknown[]> {
    const response = await fetch(`${base}/api/${encodeURIComponent(session)}/groups`, {
      headers: { "X-Api-Key": API_KEY },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return JSON.parse(await response.text());
  },
  async getGroup(id: string): Promise<unknown> {
    const url = `${base}/api/${encodeURIComponent(session)}/groups/${encodeURIComponent(id)}`;
    const response = await fetch(url, { headers: { "X-Api-Key": API_KEY } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return JSON.parse(await response.text());
  },
};

const contenders: Record<Contender, { listGroups(): Promise<unknown>; getGroup(id: string): Promise<unknown> }> = {
  floor,
  "wa-groups": {
    listGroups: () => wa.listGroups(),
    getGroup: (id) => wa.getGroup(id),
  },
  "openapi-fetch": {
    async listGroups() {
      const { data, error } = await peer.GET("/api/{session}/groups", {
        params: { path: { session } },
      });
      if (error !== undefined) throw new Error(JSON.stringify(error));
      return data;
    },
    async getGroup(id) {
      const { data, error } = await peer.GET("/api/{session}/groups/{id}", {
        params: { path: { session, id } },
      });
      if (error !== undefined) throw new Error(JSON.stringify(error));
      return data;
    },
  },
};

const ORDER: Contender[] = ["floor", "wa-groups", "openapi-fetch"];

function empty(): Samples {
  return { floor: [], "wa-groups": [], "openapi-fetch": [] };
}

/** `runs` rounds; each round times every contender once, in a rotating order. */
async function interleaved(runs: number, warmup: number, once: (c: Contender) => Promise<number>): Promise<Samples> {
  const samples = empty();
  for (let round = 0; round < warmup + runs; round++) {
    for (let k = 0; k < ORDER.length; k++) {
      const contender = ORDER[(round + k) % ORDER.length];
      const ms = await once(contender);
      if (round >= warmup) samples[contender].push(ms);
    }
  }
  return samples;
}

/** listGroups to JS objects: one sample is one whole call. */
async function listGroups(runs: number, warmup: number): Promise<Samples & { count: number }> {
  let count = 0;
  const samples = await interleaved(runs, warmup, async (c) => {
    const t0 = performance.now();
    const groups = (await contenders[c].listGroups()) as unknown[];
    const ms = performance.now() - t0;
    count = groups.length;
    sink = groups;
    return ms;
  });
  return { ...samples, count };
}

/** Sequential getGroup: one sample is the mean latency over a block of `block` calls. */
async function getGroup(ids: string[], blocks: number, block: number, warmup: number): Promise<Samples> {
  let next = 0;
  return interleaved(blocks, warmup, async (c) => {
    const t0 = performance.now();
    for (let i = 0; i < block; i++) {
      sink = await contenders[c].getGroup(ids[next++ % ids.length]);
    }
    return (performance.now() - t0) / block;
  });
}

/**
 * Compiling and instantiating the core from its bytes (already downloaded), in a fresh
 * copy of the glue module each time, so nothing is reused between samples.
 */
async function instantiate(runs: number): Promise<number[]> {
  const bytes = await (await fetch("./pkg/wa_groups_bg.wasm")).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const glue = await import(`./pkg/wa_groups.js?fresh=${i}`);
    const t0 = performance.now();
    await glue.default({ module_or_path: bytes.slice(0) });
    const ms = performance.now() - t0;
    if (i >= 2) samples.push(ms);
  }
  return samples;
}

/** A bulk promotion job; returns what the report says and how long it took. */
async function bulk(items: { groupId: string; change: "promote"; participant: string }[], options: Record<string, number>) {
  const t0 = performance.now();
  const report = await wa.bulkChangeParticipants(items, options);
  const ms = performance.now() - t0;
  return { ms, succeeded: report.succeeded, failed: report.failed, throttled: report.throttled, codes: [...new Set(report.outcomes.filter((o) => !o.ok).map((o) => o.code))] };
}

declare global {
  interface Window {
    bench: typeof api;
  }
}

const api = { setup, listGroups, getGroup, instantiate, bulk, keep: () => sink !== undefined };
window.bench = api;
