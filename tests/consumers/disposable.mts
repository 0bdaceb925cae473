// With lib esnext.disposable, `using` frees the client at the end of the scope (Node, ESM).
import { GroupsClient } from "wa-groups";

export function provider(baseUrl: string): string {
  using client = GroupsClient.waha({ baseUrl, apiKey: "sandbox" });
  return client.provider;
}
