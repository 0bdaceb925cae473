// Type-checked by `cargo xtask test` (tsc --noEmit): the package's .d.ts must be precise
// enough that this compiles under `strict`, and the @ts-expect-error lines prove misuse fails.
import { GroupsClient, isGroupsError } from "../../pkg/node/wa_groups.js";
import type {
  Capabilities, ErrorCode, Group, GroupId, GroupSettings, GroupsError, Icon, JoinRequest, Participant,
  BulkReport, ParticipantResult, ProviderKind, RefusalReason, Role, SentMessage,
} from "../../pkg/node/wa_groups.js";
import type { CacheOptions } from "../../pkg/node/wa_groups.js";

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

/** Every method of both providers, typed end to end. */
export async function everyMethod(png: Uint8Array): Promise<void> {
  const waha = GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "sandbox", session: "default", engine: "GOWS" });
  const wavy = GroupsClient.wavy({ userName: "u", authenticationToken: "t" });
  const evolution = GroupsClient.evolution({ baseUrl: "http://127.0.0.1:8080", apiKey: "k", instance: "sales", timeoutMs: 5000 });
  const kind: "waha" | "wavy" | "evolution" = evolution.provider;
  const removable: boolean = evolution.capabilities().removeIcon && evolution.capabilities().settingsApproval;
  // @ts-expect-error: an Evolution client needs its instance
  GroupsClient.evolution({ baseUrl: "http://127.0.0.1:8080", apiKey: "k" });
  void kind; void removable;
  for (const client of [waha, wavy, evolution]) {
    const caps: Capabilities = client.capabilities();
    const canAdd: boolean = caps.addParticipants;
    const { id } = await client.createGroup({ subject: "Team" });
    const count: number = await client.countGroups();
    const group: Group = await client.getGroup(id);
    await client.setSubject(id, "New name");
    await client.setDescription(id, "About");
    const link: string = await client.getInviteLink(id);
    const next: string | null = await client.revokeInviteLink(id);
    const joined: GroupId = await client.joinGroup(link);
    const preview: Group = await client.getJoinInfo(link);
    const members: Participant[] = await client.listParticipants(id);
    const results: ParticipantResult[] = await client.addParticipants(id, ["5511988880000"]);
    const reason: RefusalReason | undefined = results[0].reason;
    if (reason === "privacy" || reason === "already_member" || reason === "recently_left" || reason === "group_full"
      || reason === "not_on_whatsapp" || reason === "not_admin" || reason === "other") void reason;
    // @ts-expect-error: reasons are a closed set
    const misspelt: RefusalReason = "blocked";
    await client.removeParticipants(id, ["5511988880000"]);
    await client.promoteAdmins(id, ["5511988880000"]);
    await client.demoteAdmins(id, ["5511988880000"]);
    const settings: GroupSettings = await client.getSettings(id);
    await client.updateSettings(id, { messagesAdminOnly: true });
    const requests: JoinRequest[] = await client.listJoinRequests(id);
    await client.approveJoinRequests(id, ["5511988880000"]);
    await client.rejectJoinRequests(id, ["5511988880000"]);
    await client.setIcon(id, png, "image/png");
    const icon: Icon | null = await client.getIcon(id);
    await client.removeIcon(id);
    const sent: SentMessage = await client.sendText(id, "hi");
    await client.sendText(id, "everyone", { mentions: "all", timeoutMs: 1000 });
    await client.sendText(id, "you two", { mentions: ["5511988880000", "5511977770000@c.us"] });
    // @ts-expect-error: "all" or a list of ids, nothing else
    await client.sendText(id, "x", { mentions: "everyone" });
    await client.refreshGroups();
    await client.leaveGroup(id);
    await client.deleteGroup(id);
    // @ts-expect-error: icons are JPEG or PNG
    await client.setIcon(id, png, "image/gif");
    // @ts-expect-error: participants are an array
    await client.addParticipants(id, "5511988880000");
    void [canAdd, count, group, next, joined, preview, members, results, settings, requests, icon, sent, misspelt];
  }
}

/** Every method takes the call options last. */
export async function withCallOptions(client: GroupsClient): Promise<number> {
  const controller = new AbortController();
  await client.listGroups({ limit: 1 }, { signal: controller.signal, timeoutMs: 1000 });
  // @ts-expect-error: timeoutMs is a number
  await client.getGroup("1@g.us", { timeoutMs: "soon" });
  return client.countGroups({ timeoutMs: 500 });
}

export async function bulk(client: GroupsClient): Promise<number> {
  const report: BulkReport = await client.bulkChangeParticipants(
    [{ groupId: "1@g.us", change: "promote", participant: "5511988880000" }],
    { concurrency: 2, onProgress: (done: number, total: number) => void [done, total] },
  );
  // @ts-expect-error: changes are a closed set
  await client.bulkChangeParticipants([{ groupId: "1@g.us", change: "ban", participant: "5511" }]);
  return report.succeeded;
}

/** The metadata cache: `cache: { ttlMs }` on either factory, and `forgetCached`. */
export function cache(): void {
  const options: CacheOptions = { ttlMs: 30_000 };
  const waha = GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "sandbox", cache: options });
  GroupsClient.wavy({ userName: "u", authenticationToken: "t", cache: { ttlMs: 0 } });
  waha.forgetCached("1@g.us");
  waha.forgetCached();
  // @ts-expect-error: ttlMs is required
  GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "sandbox", cache: {} });
  // @ts-expect-error: ttlMs is a number
  GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "sandbox", cache: { ttlMs: "1s" } });
  // @ts-expect-error: forgetCached returns nothing to await
  const nothing: Promise<void> = waha.forgetCached();
  void nothing;
}

// Numbers behind LIDs, names, exports and the CSV helpers (issue 14).
import { membersToCsv, parseMembersCsv } from "../../pkg/node/wa_groups.js";
import type {
  ImportError, ImportRow, ListParticipantsOptions, MemberAction, MemberRow, ParsedMembers,
} from "../../pkg/node/wa_groups.js";

export async function members(client: GroupsClient): Promise<string> {
  const phones: Record<string, string | null> = await client.resolvePhones(["76699677012110@lid"], { timeoutMs: 1000 });
  const options: ListParticipantsOptions = { resolvePhones: true, names: true, timeoutMs: 1000 };
  const listed: Participant[] = await client.listParticipants("1@g.us", options);
  const lid: string | undefined = listed[0]?.lid;
  const name: string | undefined = listed[0]?.name;
  // @ts-expect-error: resolvePhones is a boolean
  await client.listParticipants("1@g.us", { resolvePhones: "yes" });
  // @ts-expect-error: ids are an array
  await client.resolvePhones("76699677012110@lid");
  const rows: MemberRow[] = await client.exportMembers(["1@g.us"]);
  const row: MemberRow | undefined = rows[0];
  const hidden: boolean = row?.phone === undefined;
  const csv: string = membersToCsv(rows);
  const parsed: ParsedMembers = parseMembersCsv(csv);
  const first: ImportRow | undefined = parsed.rows[0];
  const action: MemberAction | undefined = first?.action;
  const error: ImportError | undefined = parsed.errors[0];
  const line: number | undefined = error?.line ?? first?.line;
  // @ts-expect-error: actions are a closed set
  const ban: MemberAction = "ban";
  return [phones, lid, name, hidden, action, line, ban].join();
}
