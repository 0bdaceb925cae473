// A Node CommonJS module in TypeScript (module node16 / nodenext): the "node" + "require"
// conditions, so node/wa_groups.d.ts.
import wa = require("wa-groups");
import { GroupsClient, type Group } from "wa-groups";

export async function count(baseUrl: string): Promise<number> {
  const client: GroupsClient = wa.GroupsClient.waha({ baseUrl, apiKey: "sandbox" });
  const groups: Group[] = await client.listGroups({ participants: false });
  return Math.max(groups.length, await client.countGroups());
}

export const ok: boolean = wa.verifyWebhook("secret", "{}", "00");
