import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";

// A real SMTP server that keeps what it is sent, for tests of emails the app sends (invitations,
// password resets). In memory for tests in the same process; with `dir`, also one file per
// message (`<n>.eml`, the recipients on a first `X-Sink-To:` line), for the browser tests, whose
// servers and test workers are other processes.

export type SunkMail = { to: string[]; raw: string };

export async function startMailSink(
  options: {
    dir?: string;
    /** Whether to refuse a message for now (451, "try again later"), to test retries. */
    refuse?: (to: string[]) => boolean;
    onMail?: (mail: SunkMail) => void;
  } = {},
): Promise<{ url: string; mails: SunkMail[]; close: () => Promise<void> }> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mail = { to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()), raw: Buffer.concat(chunks).toString("utf8") };
        if (options.refuse?.(mail.to)) {
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
          return;
        }
        mails.push(mail);
        options.onMail?.(mail);
        if (options.dir) writeFileSync(path.join(options.dir, `${mails.length}.eml`), `X-Sink-To: ${mail.to.join(", ")}\r\n${mail.raw}`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** The first link to `pathname` in a message (quoted-printable undone). */
export function linkInMail(raw: string, pathname: string): string | null {
  const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const escaped = pathname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`https?://[^\\s"<>]+${escaped}\\?token=[A-Za-z0-9_-]+`).exec(text)?.[0] ?? null;
}
