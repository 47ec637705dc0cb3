import { describe, expect, it } from "vitest";
import { absoluteUrl, composeEmail, composeWebhookBody, defaultBaseUrl, escapeSlackText, webhookOrigin } from "@/lib/notifications/deliver";

describe("links", () => {
  it("uses AUTH_URL as the base, else the local server on PORT", () => {
    expect(defaultBaseUrl("https://shipshape.example.com", "8080")).toBe("https://shipshape.example.com");
    expect(defaultBaseUrl(undefined, "8080")).toBe("http://localhost:8080");
    expect(defaultBaseUrl(undefined, undefined)).toBe("http://localhost:3000");
  });

  it("joins base and app path with exactly one slash, keeping a path prefix", () => {
    expect(absoluteUrl("https://x.test", "/projects/a#item-1")).toBe("https://x.test/projects/a#item-1");
    expect(absoluteUrl("https://x.test/", "/projects/a")).toBe("https://x.test/projects/a");
    expect(absoluteUrl("https://x.test/shipshape/", "/projects/a")).toBe("https://x.test/shipshape/projects/a");
  });
});

describe("webhook", () => {
  it("logs only the origin of a webhook URL, whose path may be a secret", () => {
    expect(webhookOrigin("https://hooks.slack.com/services/T0/B0/XXXXsecret")).toBe("https://hooks.slack.com");
    expect(webhookOrigin("not a url /secret")).toBe("(invalid webhook URL)");
  });

  it("escapes what Slack would read as links or mentions", () => {
    expect(escapeSlackText("<!channel> & <https://evil.test|click>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil.test|click&gt;");
  });

  it("sends the structured event with a Slack text that ends with the full link", () => {
    const body = composeWebhookBody(
      { projectId: "p", kind: "COMMENTED", text: "Ada commented on “A<B”\nLooks good", title: "Ada commented on “A<B”", body: "Looks good", link: "/projects/pay#item-1", itemId: "1", recipients: ["u"], occurredAt: "2026-11-23T10:00:00.000Z" },
      { slug: "pay", name: "Payments" },
      [{ id: "u", name: "Grace" }],
      "https://x.test",
    );
    expect(body).toEqual({
      text: "Ada commented on “A&lt;B”\nLooks good\nhttps://x.test/projects/pay#item-1",
      kind: "COMMENTED",
      title: "Ada commented on “A<B”",
      body: "Looks good",
      url: "https://x.test/projects/pay#item-1",
      project: { slug: "pay", name: "Payments" },
      itemId: "1",
      recipients: [{ id: "u", name: "Grace" }],
      occurredAt: "2026-11-23T10:00:00.000Z",
    });
  });
});

describe("email", () => {
  it("has the title as a one-line subject and the body followed by the full link", () => {
    const message = composeEmail({ title: "Ada commented\non “Backups”", body: "Restore drill done." }, "https://x.test/projects/a");
    expect(message.subject).toBe("Ada commented on “Backups”");
    expect(message.text.startsWith("Restore drill done.\n\nOpen in Shipshape: https://x.test/projects/a\n")).toBe(true);
  });

  it("leaves out an empty body", () => {
    expect(composeEmail({ title: "T", body: "  " }, "https://x.test/p").text.startsWith("Open in Shipshape: https://x.test/p\n")).toBe(true);
  });
});
