import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gateAsText, gateStepCommand, gateStepScript } from "@/lib/tokens/gate-step";

describe("the pipeline gate step", () => {
  it("is documented in the README exactly as the app shows it", () => {
    const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");
    expect(readme).toContain(["```sh", gateStepCommand("$SHIPSHAPE_URL", "$SLUG"), "```"].join("\n"));
  });

  it("puts the state alone on the first line of the text answer, then one reason per line", () => {
    expect(gateAsText({ open: true, reasons: [] })).toBe("open\n");
    expect(gateAsText({ open: false, reasons: [{ message: "Required item \"A\nB\" is to do." }, { message: "DBA sign-off has not been given." }] })).toBe(
      'closed\nRequired item "A B" is to do.\nDBA sign-off has not been given.\n',
    );
  });

  it("serves a script that names the server and never puts the token on a command line", () => {
    const script = gateStepScript("https://review.example");
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain('url="${SHIPSHAPE_URL:-https://review.example}"');
    expect(script).toContain("-H @-");
    expect(script).not.toMatch(/-H "Authorization/);
  });
});
