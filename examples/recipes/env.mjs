// The client every recipe uses: WAHA at WA_BASE_URL (the sandbox by default).
import { GroupsClient } from "wa-groups";

export const client = GroupsClient.waha({
  baseUrl: process.env.WA_BASE_URL ?? "http://127.0.0.1:3000",
  apiKey: process.env.WA_API_KEY ?? "sandbox",
  session: process.env.WA_SESSION ?? "default",
});
