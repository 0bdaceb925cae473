// Type-checked with typecheck.ts: the safety budget, inviteOnPrivacy and dry runs have
// precise types, and misuse fails to compile.
import { GroupsClient } from "../../pkg/node/wa_groups.js";
import type {
  AddParticipantsOptions, BudgetLine, BudgetStore, BulkReport, ErrorCode, ParticipantResult,
  RefusalReason, SafetyBudget, SafetyOptions,
} from "../../pkg/node/wa_groups.js";

export async function safety(): Promise<number> {
  const map = new Map<string, string>();
  const store: BudgetStore = { get: (k) => map.get(k), set: (k, v) => void map.set(k, v) };
  const options: SafetyOptions = { addsPerDay: 50, createsPerDay: 10, joinsPerDay: 20, store };
  const client = GroupsClient.waha({ baseUrl: "http://127.0.0.1:3000", apiKey: "k", safety: options });
  GroupsClient.wavy({ userName: "u", authenticationToken: "t", safety: { addsPerDay: 5 } });
  // @ts-expect-error: a misspelt limit
  GroupsClient.waha({ baseUrl: "http://h", apiKey: "k", safety: { addPerDay: 5 } });
  // @ts-expect-error: a store needs get and set
  GroupsClient.waha({ baseUrl: "http://h", apiKey: "k", safety: { store: { get: () => null } } });

  const budget: SafetyBudget | null = client.safetyBudget();
  const adds: BudgetLine | undefined = budget?.adds;
  const left: number = adds?.left ?? 0;
  const refillsAt: number | undefined = adds?.refillsAt;

  const invite: AddParticipantsOptions = { inviteOnPrivacy: true, inviteText: "Join: {link}", timeoutMs: 5000 };
  const results: ParticipantResult[] = await client.addParticipants("1@g.us", ["5511988880000"], invite);
  const invited: boolean | undefined = results[0]?.invited;
  const why: string | undefined = results[0]?.inviteError;
  const reason: RefusalReason | undefined = results[0]?.reason;
  const held: boolean = reason === "budget_exceeded";
  // @ts-expect-error: inviteOnPrivacy is a boolean
  await client.addParticipants("1@g.us", ["5511988880000"], { inviteOnPrivacy: "yes" });

  const report: BulkReport = await client.bulkChangeParticipants(
    [{ groupId: "1@g.us", change: "add", participant: "5511988880000" }],
    { dryRun: true },
  );
  const dry: boolean = report.dryRun;
  const code: ErrorCode = "budget_exceeded";
  void [refillsAt, invited, why, held, dry, code];
  return left;
}
