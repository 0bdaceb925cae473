// Type-checked against the installed package with moduleResolution "bundler" (Vite's),
// through the exports map's "types" conditions.
import { GroupsClient, isGroupsError, type Group, type ErrorCode } from "wa-groups";

export async function subjects(baseUrl: string): Promise<string[]> {
  const client = GroupsClient.waha({ baseUrl, apiKey: "sandbox" });
  const groups: Group[] = await client.listGroups({ limit: 10 });
  return groups.map((g) => g.subject);
}

export function codeOf(e: unknown): ErrorCode | undefined {
  return isGroupsError(e) ? e.code : undefined;
}
