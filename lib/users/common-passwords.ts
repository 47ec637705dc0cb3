import { readFileSync } from "node:fs";
import path from "node:path";

// The list ships in the repository (lib/users/common-passwords.txt, where it comes from is said
// at its top) and is read once, on the first password check. Read from the project root, where
// the server, the command line and the tests all run; a missing list throws rather than letting
// every password through.

const LIST_PATH = path.join(process.cwd(), "lib", "users", "common-passwords.txt");

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  const lines = readFileSync(LIST_PATH, "utf8").split("\n");
  return new Set(lines.filter((line) => line !== "" && !line.startsWith("#")).map(comparable));
}

/** How a password is compared with the list: NFC, lowercase (the list is lowercase). */
function comparable(password: string): string {
  return password.normalize("NFC").toLowerCase();
}

/** Whether the password is on the list of the most common ones, whatever its letter case. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= loadCommonPasswords();
  return commonPasswords.has(comparable(password));
}
