import createClient from "openapi-fetch";
import type { paths } from "@/lib/rest/api-types";

// A typed client of the API, from its own document (lib/rest/api-types.ts): paths, parameters,
// bodies and answers are checked by the compiler. For scripts and the tests:
//
//   const api = shipshapeClient({ baseUrl: "https://shipshape.example.org", token: process.env.SHIPSHAPE_TOKEN });
//   const { data, error } = await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { status: "OPEN" } } });

export type ShipshapeClient = ReturnType<typeof createClient<paths>>;

export function shipshapeClient(options: { baseUrl: string; token?: string; headers?: Record<string, string> }): ShipshapeClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
}
