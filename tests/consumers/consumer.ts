// Type-checked against the installed package with moduleResolution "bundler" (Vite's),
// through the exports map's "types" conditions (the browser build's types).
import { GroupsClient, isGroupsError, type Group, type ErrorCode } from "wa-groups";

export async function subjects(baseUrl: string): Promise<string[]> {
  const client = GroupsClient.waha({ baseUrl, apiKey: "sandbox" });
  const groups: Group[] = await client.listGroups({ limit: 10 });
  return groups.map((g) => g.subject);
}

export function codeOf(e: unknown): ErrorCode | undefined {
  return isGroupsError(e) ? e.code : undefined;
}

// Without lib esnext.disposable the client declares no `[Symbol.dispose]`; it frees with `free()`.
export function done(client: GroupsClient): void {
  client.free();
}
