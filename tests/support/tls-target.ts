import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** The one loopback address the test instances let checks reach (OUTBOUND_ALLOW_PRIVATE). */
export const CHECK_TARGET_ADDRESS = "127.0.0.2";

export type Certificate = { key: string; cert: string };

/** A self-signed certificate for 127.0.0.2 that expires in `days`, from openssl. */
export function makeCertificate(days: number): Certificate {
  const dir = mkdtempSync(path.join(tmpdir(), "shipshape-tls-target-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", String(days),
      "-subj", "/CN=Shipshape test target", "-addext", `subjectAltName=IP:${CHECK_TARGET_ADDRESS}`,
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server on 127.0.0.2 whose certificate a test can swap (e.g. for one about to expire). */
export async function startTlsTarget(certificate: Certificate): Promise<{ target: string; use: (next: Certificate) => void; close: () => Promise<void> }> {
  const server = https.createServer(certificate, (_request, response) => response.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, CHECK_TARGET_ADDRESS, resolve));
  return {
    target: `${CHECK_TARGET_ADDRESS}:${(server.address() as AddressInfo).port}`,
    use: (next) => server.setSecureContext(next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
