// Type-checked by `cargo xtask test` (tsc --noEmit): the package's .d.ts must be precise
// enough that this compiles under `strict`, and the @ts-expect-error lines prove misuse fails.
import { GroupsClient, isGroupsError } from "../../pkg/wa_groups.js";
import type { Group, GroupsError, ErrorCode, Participant, Role, ProviderKind } from "../../pkg/wa_groups.js";

export async function example(): Promise<string[]> {
  const client: GroupsClient = GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "sandbox" });
  const provider: ProviderKind = client.provider;
  const created: Group = await client.createGroup({ subject: "Team", participants: ["5511988880000"] });
  const groups: Group[] = await client.listGroups({ limit: 10, offset: 0, sortBy: "subject", sortOrder: "asc" });
  const first: Participant | undefined = groups[0]?.participants[0];
  const role: Role | undefined = first?.role;
  const when: number | undefined = created.createdAt;

  // @ts-expect-error: subject is required
  await client.createGroup({ participants: [] });
  // @ts-expect-error: sortBy is "id" | "subject"
  await client.listGroups({ sortBy: "size" });
  // @ts-expect-error: roles are a closed set
  const wrong: Role = "owner";

  try {
    await client.listGroups();
  } catch (err) {
    if (isGroupsError(err)) {
      const e: GroupsError = err;
      const code: ErrorCode = e.code;
      const status: number | undefined = e.status;
      return [code, String(status), provider, String(when), String(role), String(wrong)];
    }
  }
  return groups.map((g) => g.id);
}
