// The worker thread that parses one Markdown checklist for parseChecklistMarkdownSafely: the
// request thread only waits for its answer, and can stop it when it runs over time or memory.

import { parentPort } from "node:worker_threads";
import { ImportError, parseChecklistMarkdown, type ParseOptions } from "@/lib/import/markdown";

export type ParseRequest = { input: string | Uint8Array; options: ParseOptions };

export type ParseReply =
  | { ok: true; result: ReturnType<typeof parseChecklistMarkdown> }
  | { ok: false; refusal: { code: ImportError["code"]; message: string } }
  | { ok: false; failure: string };

/** Sent once the parser is loaded: the deadline counts parsing, not loading (slow on a busy machine). */
export const READY = "ready";

parentPort?.once("message", (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { ok: true, result: parseChecklistMarkdown(request.input, request.options) };
  } catch (error) {
    reply =
      error instanceof ImportError
        ? { ok: false, refusal: { code: error.code, message: error.message } }
        : { ok: false, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage(READY);
