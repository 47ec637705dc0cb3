import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createPrismaClient } from "@/lib/db";
import { seedDemoData } from "@/lib/demo/seed";
import { createTestDatabase } from "../../tests/support/database";
import { startMailSink } from "../../tests/support/mail-sink";
import { E2E_PORT } from "../../playwright.config";
import { serverScript } from "../../scripts/serve";
import { OIDC_CLIENT, startOidcProvider } from "./oidc-provider";
import { PROXY_SOURCE_ADDRESS, startRoundRobinProxy } from "./round-robin-proxy";
import { CHECK_TARGET_ADDRESS } from "../../tests/support/tls-target";

// The end-to-end run gets its own fresh database with the demo data, and two production servers
// (scripts/server.ts, what `npm start` runs, on the last build) pointed at it, behind a
// round-robin proxy on E2E_PORT: every test talks to both, request by request.

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app did not become healthy at ${url} within ${timeoutMs / 1000}s.`);
}

/** The app instances behind the proxy: a second one proves that nothing depends on staying on one. */
const INSTANCES = 2;

export default async function globalSetup() {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` first (`npm test` does).");
  }
  const database = await createTestDatabase("e2e");
  const db = createPrismaClient(database.url, 2);
  await seedDemoData(db);
  await db.$disconnect();

  process.env.E2E_DATABASE_URL = database.url;
  // One secret for all instances, as a real deployment shares AUTH_SECRET; the Server Action key
  // is the build's own, and every instance runs the same build.
  const authSecret = randomBytes(32).toString("base64url");
  const ports = Array.from({ length: INSTANCES }, (_, index) => E2E_PORT + 1 + index);
  // A real OpenID Provider beside them, for single sign-on (e2e/sso.spec.ts).
  const oidc = await startOidcProvider(E2E_PORT + 1 + INSTANCES, `http://localhost:${E2E_PORT}/api/auth/callback/oidc`);
  process.env.E2E_OIDC_ISSUER = oidc.issuer;
  // A real SMTP server for the emails the app sends (invitations, resets, notifications); the
  // tests read what it received from E2E_MAIL_DIR (waitForMail in fixtures.ts).
  const mailDir = mkdtempSync(path.join(tmpdir(), "shipshape-e2e-mail-"));
  const mailSink = await startMailSink({ dir: mailDir });
  process.env.E2E_MAIL_DIR = mailDir;
  // One more instance on its own, with the production policy for two-step sign-in: admins and
  // approvers must set up an authenticator (e2e/two-step.spec.ts). The instances behind the proxy
  // make it optional, so that the demo accounts sign in with their password alone.
  const strictPort = E2E_PORT + 2 + INSTANCES;
  process.env.E2E_STRICT_URL = `http://localhost:${strictPort}`;
  // It runs no worker: the job queue is shared, and its emails would carry its own address.
  const instances = [
    ...ports.map((port) => ({ port, url: `http://localhost:${E2E_PORT}`, mfa: "optional", worker: "on" })),
    { port: strictPort, url: process.env.E2E_STRICT_URL, mfa: "required", worker: "off" },
  ];
  const servers = instances.map(({ port, url, mfa, worker }) =>
    spawn(process.execPath, ["--import", "tsx", serverScript], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        // Warnings and errors only: a line per request from three servers is noise in the run's output.
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        PORT: String(port),
        DATABASE_URL: database.url,
        AUTH_SECRET: authSecret,
        MFA_ENROLMENT: mfa,
        SHIPSHAPE_WORKER: worker,
        SMTP_URL: mailSink.url,
        // The public URL, as behind any proxy: next-auth builds the single sign-on redirect from it.
        AUTH_URL: url,
        TRUSTED_PROXIES: PROXY_SOURCE_ADDRESS,
        AUTH_OIDC_ISSUER: oidc.issuer,
        AUTH_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        AUTH_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        AUTH_OIDC_NAME: "Test provider",
        AUTH_OIDC_JIT_DOMAINS: "jit.example.com",
        NODE_EXTRA_CA_CERTS: oidc.caPath,
        // Checks may reach test servers on 127.0.0.2 (e2e/checks.spec.ts); 127.0.0.1 and the rest
        // of loopback stay refused, as e2e/security.spec.ts expects.
        OUTBOUND_ALLOW_PRIVATE: CHECK_TARGET_ADDRESS,
        // A shorter parse deadline than the default 10 s, so the file built to be slow
        // (e2e/security.spec.ts) runs over it on a fast machine too; real files parse in well under 1 s.
        IMPORT_PARSE_DEADLINE_MS: "3000",
      },
      stdio: ["ignore", "inherit", "inherit"],
    }),
  );
  await Promise.all(instances.map(({ port }) => waitForHealth(`http://localhost:${port}/api/health`, 120_000)));
  const proxy = await startRoundRobinProxy(E2E_PORT, ports);

  return async () => {
    await proxy.close();
    await Promise.all(
      servers.map(async (server) => {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }),
    );
    await oidc.close();
    await mailSink.close();
    rmSync(mailDir, { recursive: true, force: true });
    await database.drop();
  };
}
