import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import { connectionError, deadlineSignal, pinnedLookup, vetHost, type OutboundOptions, type VettedTarget } from "@/lib/net/outbound";

// A raw TCP or TLS connection to host:port through the outbound guard, for the automated tcp and
// tls checks: the same vetting and pinned address as outboundRequest.

/** TLS settings a check may choose; the name checked against the certificate is always the host. */
export type OutboundTls = Pick<ConnectionOptions, "rejectUnauthorized" | "ca" | "ALPNProtocols" | "minVersion" | "maxVersion">;

export type OutboundConnect = OutboundOptions & {
  /** Connecting (and the TLS handshake) must finish in this time. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** TLS on top (true: the defaults, which verify the certificate against the host name). */
  tls?: boolean | OutboundTls;
};

export type OutboundConnection<S extends Socket = Socket> = {
  /** Connected (and, with TLS, past the handshake). The caller ends or destroys it, and listens for its errors. */
  socket: S;
  /** The vetted address it is connected to. */
  address: string;
  target: VettedTarget;
};

export function outboundConnect(target: { host: string; port: number } | VettedTarget, options: OutboundConnect & { tls: true | OutboundTls }): Promise<OutboundConnection<TLSSocket>>;
export function outboundConnect(target: { host: string; port: number } | VettedTarget, options: OutboundConnect): Promise<OutboundConnection>;
/**
 * Vets `target` (unless it is a VettedTarget already) and connects to one of its vetted
 * addresses. Throws OutboundError like outboundRequest. The deadline covers only the connection:
 * what the caller then does with the socket is its own to time.
 */
export async function outboundConnect(target: { host: string; port: number } | VettedTarget, options: OutboundConnect): Promise<OutboundConnection> {
  const signal = deadlineSignal(options.timeoutMs, options.signal);
  let socket: Socket | undefined;
  try {
    const vetted = "addresses" in target ? target : await vetHost(target.host, target.port, { allowance: options.allowance, allowPrivate: options.allowPrivate, resolve: options.resolve, signal });
    const tls = options.tls === true ? {} : options.tls || null;
    const base = { host: vetted.host, port: vetted.port, lookup: pinnedLookup(vetted) };
    const connected = tls ? "secureConnect" : "connect";
    const opened = tls ? tlsConnect({ ...tls, ...base, ...(isIP(vetted.host) ? {} : { servername: vetted.host }) }) : netConnect(base);
    socket = opened;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => opened.destroy(new Error("aborted"));
      const settle = (error?: Error) => {
        signal.removeEventListener("abort", onAbort);
        opened.off("error", settle);
        if (error) reject(error);
        else resolve();
      };
      opened.once(connected, () => settle());
      opened.on("error", settle);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    return { socket: opened, address: opened.remoteAddress ?? "", target: vetted };
  } catch (error) {
    socket?.destroy();
    throw connectionError(error, signal, options.timeoutMs);
  }
}
