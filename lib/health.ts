import { db } from "@/lib/db";

type Pingable = { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> };

/** Whether the database answers within the deadline; never hangs longer than that. */
export async function checkDatabase(client: Pingable = db, deadlineMs = 2_500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const query = client.$queryRaw`SELECT 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
