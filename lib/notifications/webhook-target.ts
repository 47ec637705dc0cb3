import { OUTBOUND_ALLOWANCE_VARIABLE } from "@/lib/net/allowance";
import { OutboundError, type OutboundOptions } from "@/lib/net/outbound";
import { vetUrl, type VettedUrl } from "@/lib/net/http-request";

// Where a project's webhook may point, judged when a lead saves it and again at every delivery
// (the URL then, resolved then): https:// to any target the outbound guard lets through, and
// http:// only to an internal target the operator allows, since a public one would carry the
// secret URL and the events in clear text.

/** Vets a webhook URL; throws OutboundError ("refused", "unresolved", …) saying why in words. */
export async function vetWebhookUrl(url: string, options: OutboundOptions & { signal?: AbortSignal | undefined }): Promise<VettedUrl> {
  const target = await vetUrl(url, options);
  if (target.url.protocol === "http:" && !target.internal) {
    throw new OutboundError("refused", `${target.url.origin} is plain http:// to a public address: use https:// (http:// only to an internal address the server's ${OUTBOUND_ALLOWANCE_VARIABLE} permits)`);
  }
  return target;
}
