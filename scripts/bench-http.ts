import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { buildIfNeeded } from "./serve";

// Page timings for the benches, against a production build, each as a ratio to a reference page
// measured in the same run: the sign-in page (the cheapest dynamic page: the proxy, the layout,
// no database). The two are fetched alternately, in turns whose order swaps every run, so a
// machine that gets busier (2 shared cores) slows both, and the ratio stays what the page costs.

/** The reference page every page figure is divided by. */
export const REFERENCE_PATH = "/signin";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;

export type PageTiming = { median: number; p90: number; runs: number; bytes: number; reference: number; ratio: number };

/** A production server on `port` over `databaseUrl`; resolves once /api/health answers. */
export async function startServer(databaseUrl: string, port: number): Promise<{ baseUrl: string; stop: () => void }> {
  const env = { ...process.env, NODE_ENV: "production" as const, PORT: String(port), AUTH_URL: "", DATABASE_URL: databaseUrl, SHIPSHAPE_WORKER: "off" };
  await buildIfNeeded(env);
  const server: ChildProcess = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)], { env, stdio: "ignore" });
  const baseUrl = `http://localhost:${port}`;
  for (let attempt = 0; ; attempt++) {
    const ok = await fetch(`${baseUrl}/api/health`).then((response) => response.ok, () => false);
    if (ok) break;
    if (attempt >= 240 || server.exitCode !== null) {
      server.kill("SIGTERM");
      throw new Error(`the bench server on port ${port} did not become healthy`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { baseUrl, stop: () => server.kill("SIGTERM") };
}

/** The session cookie a signed-in browser sends for the session row `sessionId` of `userId`. */
export async function sessionCookie(userId: string, sessionId: string): Promise<string> {
  const token = await encode({ token: { sub: userId, sid: sessionId }, secret: process.env.AUTH_SECRET ?? "", salt: "shipshape.session" });
  return `shipshape.session=${token}`;
}

async function fetchPage(url: string, cookie: string | null): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(url, { headers: cookie ? { cookie } : {} });
  const body = await response.text();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { ms, bytes: body.length };
}

/** The page's server response time (whole body read), interleaved with the reference page's. */
export async function measurePageVsReference(baseUrl: string, pagePath: string, cookie: string, { runs = 11, warmup = 2 } = {}): Promise<PageTiming> {
  const page = `${baseUrl}${pagePath}`;
  const reference = `${baseUrl}${REFERENCE_PATH}`;
  for (let index = 0; index < warmup; index++) {
    await fetchPage(reference, null);
    await fetchPage(page, cookie);
  }
  const pageTimes: number[] = [];
  const referenceTimes: number[] = [];
  let bytes = 0;
  for (let index = 0; index < runs; index++) {
    const first = index % 2 === 0;
    if (first) referenceTimes.push((await fetchPage(reference, null)).ms);
    const measured = await fetchPage(page, cookie);
    pageTimes.push(measured.ms);
    bytes = measured.bytes;
    if (!first) referenceTimes.push((await fetchPage(reference, null)).ms);
  }
  const pageMedian = median(pageTimes);
  const referenceMedian = median(referenceTimes);
  return { median: pageMedian, p90: percentile(pageTimes, 0.9), runs, bytes, reference: referenceMedian, ratio: pageMedian / referenceMedian };
}

/** One line: the page's median as a ratio to the reference's, then the absolute figures. */
export function reportPage(label: string, timing: PageTiming, goal?: number): void {
  const target = goal === undefined ? "" : ` (goal ≤ ${goal}×)`;
  console.log(
    `${label}: ${timing.ratio.toFixed(1)}× the reference${target}; median ${timing.median.toFixed(1)} ms, p90 ${timing.p90.toFixed(1)} ms, reference ${REFERENCE_PATH} ${timing.reference.toFixed(1)} ms, over ${timing.runs} interleaved runs, ${(timing.bytes / 1024).toFixed(0)} KiB of HTML`,
  );
}
