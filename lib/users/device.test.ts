import { describe, expect, it } from "vitest";
import { deviceWords } from "@/lib/users/device";
import { idleLimitMinutes } from "@/lib/users/session-control";

describe("deviceWords", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox on Linux"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome on macOS"],
    ["Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["curl/8.5.0", "curl"],
    ["", "Unknown browser"],
  ])("%s → %s", (userAgent, words) => {
    expect(deviceWords(userAgent)).toBe(words);
  });
});

describe("idleLimitMinutes", () => {
  it("gives admins the admin limit, everyone the general one, and the shorter of the two where both apply; 0 is no limit", () => {
    expect(idleLimitMinutes(["ADMIN"], { admin: 30, everyone: 0 })).toBe(30);
    expect(idleLimitMinutes([], { admin: 30, everyone: 0 })).toBe(0);
    expect(idleLimitMinutes(["AUDITOR"], { admin: 30, everyone: 240 })).toBe(240);
    expect(idleLimitMinutes(["ADMIN"], { admin: 30, everyone: 10 })).toBe(10);
    expect(idleLimitMinutes(["ADMIN"], { admin: 0, everyone: 0 })).toBe(0);
  });
});
