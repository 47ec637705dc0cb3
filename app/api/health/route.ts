import { checkDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const isDbUp = await checkDatabase();
  return Response.json(isDbUp ? { status: "ok", db: "ok" } : { status: "degraded", db: "down" }, {
    status: isDbUp ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
