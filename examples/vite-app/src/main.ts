// Lists the groups of a WAHA session with wa-groups. Point it at a server with
// `?baseUrl=http://127.0.0.1:3000&apiKey=sandbox&session=default` (the sandbox's defaults).
import { GroupsClient, isGroupsError, type Group } from "wa-groups";

const params = new URLSearchParams(location.search);
const status = document.querySelector<HTMLParagraphElement>("#status")!;
const list = document.querySelector<HTMLUListElement>("#groups")!;

function show(groups: Group[]): void {
  list.replaceChildren(
    ...groups.map((g) => {
      const item = document.createElement("li");
      item.textContent = `${g.subject} (${g.size ?? g.participants.length} members)`;
      item.dataset.id = g.id;
      return item;
    }),
  );
  status.textContent = `${groups.length} groups`;
}

try {
  const client = GroupsClient.waha({
    baseUrl: params.get("baseUrl") ?? "http://127.0.0.1:3000",
    apiKey: params.get("apiKey") ?? "sandbox",
    session: params.get("session") ?? "default",
  });
  show(await client.listGroups({ sortBy: "subject" }));
} catch (e) {
  status.textContent = isGroupsError(e) ? `${e.code}: ${e.message}` : String(e);
  status.dataset.error = "true";
}
