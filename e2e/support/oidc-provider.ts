import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import Provider from "oidc-provider";

// A real OpenID Provider for the browser tests: oidc-provider (a certified implementation) on
// loopback over HTTPS with a certificate made here, which the app trusts through
// NODE_EXTRA_CA_CERTS. Its development login page accepts any login: the login is the account.
//
//   "ana@example.com"          -> subject "ana@example.com", email ana@example.com (verified)
//   "impostor/ana@example.com" -> subject "impostor/ana@example.com", the same email: another
//                                 person at the provider presenting an email already linked

export const OIDC_CLIENT = { id: "shipshape-e2e", secret: randomBytes(24).toString("base64url") };

function claimsFor(login: string) {
  const email = login.includes("/") ? login.slice(login.indexOf("/") + 1) : login;
  // The provider makes the login the subject, whatever this says.
  return { sub: login, email: email.toLowerCase(), email_verified: true, name: email.slice(0, email.indexOf("@")) };
}

/** A self-signed certificate for localhost and 127.0.0.1, from openssl. */
function makeCertificate(dir: string): { key: string; cert: string; certPath: string } {
  const keyPath = path.join(dir, "key.pem");
  const certPath = path.join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyPath, "-out", certPath,
  ], { stdio: "ignore" });
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
}

export async function startOidcProvider(port: number, redirectUri: string): Promise<{ issuer: string; caPath: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "shipshape-oidc-"));
  const { key, cert, certPath } = makeCertificate(dir);
  const issuer = `https://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: OIDC_CLIENT.id, client_secret: OIDC_CLIENT.secret, redirect_uris: [redirectUri], response_types: ["code"], grant_types: ["authorization_code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    pkce: { required: () => true },
    // The scopes' claims in the ID token too, as Keycloak, Entra ID and Okta send them.
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      return { accountId: id, claims: () => claimsFor(id) };
    },
  });
  provider.proxy = false;
  // A refused exchange says why in the test output (e.g. a redirect_uri or PKCE mismatch).
  provider.on("grant.error", (_ctx: unknown, error: { message: string; error_detail?: string }) => console.error(`[test provider] ${error.message}: ${error.error_detail ?? ""}`));
  const server = https.createServer({ key, cert }, provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    caPath: certPath,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
