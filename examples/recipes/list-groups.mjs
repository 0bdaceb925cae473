// Every group with its member count, biggest first.
import { client } from "./env.mjs";

const groups = await client.listGroups({ participants: false });
groups.sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
for (const g of groups) {
  console.log(`${String(g.size ?? "?").padStart(5)}  ${g.subject}  (${g.id})`);
}
console.log(`${groups.length} groups`);
