import { openApiDocument } from "@/lib/rest/openapi";

/** The OpenAPI 3.1 document of this API, for anyone (it describes, it holds nothing). */
export function GET(): Response {
  const origin = process.env.AUTH_URL ? new URL(process.env.AUTH_URL).origin : undefined;
  return Response.json(openApiDocument(origin), { headers: { "cache-control": "public, max-age=300" } });
}
