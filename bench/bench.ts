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

type Phases = { beforeFetch: number; headers: number; body: number; afterBody: number; total: number };

/**
 * Where a `getGroup`'s time goes, per contender: from the call to `fetch` being called,
 * from there to the headers, the body read, and from the body to the result in JS. The
 * page's `fetch` (and the body readers of what it returns) are wrapped to stamp each phase,
 * which adds a little to every contender alike, so these figures explain the timed ones
 * above rather than replace them. openapi-fetch takes `fetch` when its client is made, so a
 * second client that looks `fetch` up at each call stands in for it.
 */
async function phases(ids: string[], calls: number): Promise<Record<Contender, Phases>> {
  let called = 0, headers = 0, body = 0;
  const stamp = <T>(p: Promise<T>) => p.then((x) => { body = performance.now(); return x; });
  const lookedUp = createClient<paths>({ baseUrl: base, headers: { "X-Api-Key": API_KEY }, fetch: (r: Request) => window.fetch(r) });
  const get: Record<Contender, (id: string) => Promise<unknown>> = {
    floor: floor.getGroup,
    "wa-groups": (id) => wa.getGroup(id),
    "openapi-fetch": async (id) => (await lookedUp.GET("/api/{session}/groups/{id}", { params: { path: { session, id } } })).data,
  };
  const sums = Object.fromEntries(ORDER.map((c) => [c, { beforeFetch: 0, headers: 0, body: 0, afterBody: 0, total: 0 }])) as Record<Contender, Phases>;
  const stamped = (original: typeof fetch) => (input: RequestInfo | URL, init?: RequestInit) => {
    called = performance.now();
    return original(input, init).then((response) => {
      headers = performance.now();
      const { text, json, arrayBuffer } = response;
      response.text = () => stamp(text.call(response));
      response.json = () => stamp(json.call(response));
      response.arrayBuffer = () => stamp(arrayBuffer.call(response));
      return response;
    });
  };
  await withFetch(stamped, async () => {
    let next = 0;
    for (let i = 0; i < calls; i++) {
      for (let k = 0; k < ORDER.length; k++) {
        const c = ORDER[(i + k) % ORDER.length];
        const t0 = performance.now();
        sink = await get[c](ids[next++ % ids.length]);
        const t1 = performance.now();
        const s = sums[c];
        s.beforeFetch += called - t0;
        s.headers += headers - called;
        s.body += body - headers;
        s.afterBody += t1 - body;
        s.total += t1 - t0;
      }
    }
  });
  for (const c of ORDER) for (const key of Object.keys(sums[c]) as (keyof Phases)[]) sums[c][key] /= calls;
  return sums;
}

/** Runs `run` with the page's `fetch` replaced by `wrap(fetch)`, and puts it back after. */
async function withFetch<T>(wrap: (original: typeof fetch) => typeof fetch, run: () => Promise<T>): Promise<T> {
  const original = window.fetch;
  window.fetch = wrap(original);
  try {
    return await run();
  } finally {
    window.fetch = original;
  }
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
  // Every answer the job gets, by status: the limit counts every request, and a 429 is one
  // the server refused.
  const statuses: Record<number, number> = {};
  const counted = (original: typeof fetch) => async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await original(input, init);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    return response;
  };
  return withFetch(counted, async () => {
    const t0 = performance.now();
    const report = await wa.bulkChangeParticipants(items, options);
    const ms = performance.now() - t0;
    return { ms, statuses, succeeded: report.succeeded, failed: report.failed, throttled: report.throttled, codes: [...new Set(report.outcomes.filter((o) => !o.ok).map((o) => o.code))] };
  });
}

declare global {
  interface Window {
    bench: typeof api;
  }
}

const api = { setup, listGroups, getGroup, phases, instantiate, bulk, keep: () => sink !== undefined };
window.bench = api;
