// A Node ES module in TypeScript (module node16 / nodenext): the "node" + "import"
// conditions, so node/index.d.mts. Its default export is the whole CommonJS module, as
// `import wa from "wa-groups"` gives at run time.
import wa, { GroupsClient, isGroupsError, parseInbound, type Group, type ErrorCode } from "wa-groups";

export async function subjects(baseUrl: string): Promise<string[]> {
  const client: GroupsClient = wa.GroupsClient.waha({ baseUrl, apiKey: "sandbox", session: "default" });
  const groups: Group[] = await client.listGroups({ limit: 10 });
  return groups.map((g) => g.subject);
}

export function codeOf(e: unknown): ErrorCode | undefined {
  return wa.isGroupsError(e) ? e.code : isGroupsError(e) ? e.code : undefined;
}

export const kinds: string[] = parseInbound("wavy", { total: 0, data: [] }).map((e) => e.kind);

// The default export is `module.exports`, which has no `default` of its own.
// @ts-expect-error
export const none = wa.default;
