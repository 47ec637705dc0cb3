import http from "node:http";
import type { TLSSocket } from "node:tls";
import next from "next";
import { FORWARDING_HEADERS, forwardedFacts, parseTrustedProxies } from "@/lib/http/forwarded";

// The production HTTP server: Next.js behind a thin edge of our own, in one process. The edge is
// the only place that sees the TCP socket, so it decides who the client is and which scheme and
// host they used (lib/http/forwarded.ts) and replaces whatever X-Forwarded-* headers the client
// sent. Next.js itself fills those headers only when they are absent, so without this edge a
// client could name any address and reset its own sign-in limit.
//
// Run by scripts/serve.ts (`npm start`, `npm run demo`) and by the end-to-end tests.

const port = Number(process.env.PORT ?? "3000");
const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);

const app = next({ dev: false, dir: process.cwd(), port, hostname: "localhost" });

const server = http.createServer((request, response) => {
  const facts = forwardedFacts({
    peerAddress: request.socket.remoteAddress,
    encrypted: Boolean((request.socket as TLSSocket).encrypted),
    headers: request.headers,
    trusted,
  });
  for (const name of FORWARDING_HEADERS) delete request.headers[name];
  request.headers["x-forwarded-for"] = facts.clientAddress;
  request.headers["x-forwarded-proto"] = facts.proto;
  if (facts.host) request.headers["x-forwarded-host"] = facts.host;
  void handle(request, response);
});

// Registered before Next prepares, so that the worker's shutdown hook (lib/jobs/worker.ts) runs
// first and this, the server's own shutdown, after it.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (!server.listening) process.exit(0);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Requests still running get a few seconds; then the process ends regardless.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}

await app.prepare();
const handle = app.getRequestHandler();
// Every interface, as `next start` does.
server.listen(port, () => {
  console.log(`Shipshape is listening on http://localhost:${port}${trusted.entries.length ? ` (trusting proxies ${trusted.entries.join(", ")})` : ""}`);
});
