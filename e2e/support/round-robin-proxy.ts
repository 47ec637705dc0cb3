import http from "node:http";
import type { AddressInfo } from "node:net";

// A reverse proxy for the end-to-end run: each request goes to the next app instance in turn, as a
// load balancer without sticky sessions would send it, so a test that passes only when one
// instance serves a whole journey (state kept in memory, a Server Action key of its own) fails.
// It connects to the instances from its own loopback address, the one they are told to trust
// (TRUSTED_PROXIES), and appends the client's address to X-Forwarded-For as real proxies do.

export const PROXY_SOURCE_ADDRESS = "127.0.0.2";

export type RoundRobinProxy = { port: number; close: () => Promise<void>; served: () => number[] };

export async function startRoundRobinProxy(port: number, upstreamPorts: readonly number[]): Promise<RoundRobinProxy> {
  // A fresh connection per request: reusing an idle one races the instance closing it (its
  // keep-alive timeout), and the request then fails with ECONNRESET, a failure of the proxy, not
  // of the app. Loopback connections cost nothing here.
  const agent = new http.Agent({ keepAlive: false, localAddress: PROXY_SOURCE_ADDRESS });
  const counts = upstreamPorts.map(() => 0);
  let next = 0;
  const server = http.createServer((request, response) => {
    const index = next;
    next = (next + 1) % upstreamPorts.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const forwardedFor = [request.headers["x-forwarded-for"], request.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: upstreamPorts[index],
        method: request.method,
        path: request.url,
        agent,
        headers: { ...request.headers, "x-forwarded-for": forwardedFor, "x-forwarded-host": request.headers.host ?? "", "x-forwarded-proto": "http" },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`proxy: upstream ${upstreamPorts[index]} failed: ${error.message}`);
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    served: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
