import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { normalizeLineEndings, normalizeTextDeep, parseInput } from "@/lib/validation";
import { addMemberSchema, createProjectSchema, setMemberRolesSchema, slugify } from "@/lib/projects/schema";
import { createUserSchema } from "@/lib/users/schema";

/** The AppError parseInput throws, or a failure if it accepts the input. */
function rejectionOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("parseInput accepted invalid input");
}

describe("parseInput", () => {
  it("returns the parsed output (trimmed, lower-cased, defaults filled in)", () => {
    const user = parseInput(createUserSchema, { email: "  Ada@Shipshape.TEST ", name: " Ada ", password: "twelve chars!" });
    expect(user).toEqual({ email: "ada@shipshape.test", name: "Ada", title: "", password: "twelve chars!", globalRoles: [] });
  });

  it("names every bad field of createUserSchema in fieldErrors and in the message", () => {
    const error = rejectionOf(() => parseInput(createUserSchema, { email: "not-an-email", name: "Ada", password: "short" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.status).toBe(422);
    expect(error.fieldErrors).toEqual({
      email: ["Enter a valid email address."],
      password: ["Password must be at least 12 characters."],
    });
    expect(error.message).toMatch(/^Invalid input\. /);
    expect(error.message).toContain("email: Enter a valid email address.");
    expect(error.message).toContain("password: Password must be at least 12 characters.");
    expect(error.message).not.toContain("name");
  });

  it("names a missing required field", () => {
    const error = rejectionOf(() => parseInput(createUserSchema, { email: "ada@shipshape.test", password: "long enough password" }));
    expect(error.fieldErrors).toEqual({ name: ["Name is required."] });
  });

  it("names a bad slug", () => {
    const error = rejectionOf(() => parseInput(createProjectSchema, { name: "Payments", slug: "Bad Slug!" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["slug"]);
    expect(error.fieldErrors?.slug).toEqual(["Slug may contain only lower-case letters, digits and single hyphens."]);
    expect(error.message).toContain("slug: ");
  });

  it("names the slug when the name slugifies to nothing", () => {
    expect(slugify("!!")).toBe("");
    const error = rejectionOf(() => parseInput(createProjectSchema, { name: "!!" }));
    expect(error.fieldErrors).toEqual({ slug: ["Choose a slug: the name gives none."] });
    expect(error.message).toContain("slug: Choose a slug: the name gives none.");
  });

  it("derives the slug from the name when none is given", () => {
    expect(parseInput(createProjectSchema, { name: "  Payments API v2 ", slug: "" }).slug).toBe("payments-api-v2");
  });

  it("slugify drops accents instead of splitting words at them", () => {
    // NFKD turns "é" into "e" + a combining accent; the accent must go, not become a hyphen.
    expect(slugify("Crème Brûlée API")).toBe("creme-brulee-api");
  });

  it("keys nested errors by their full path", () => {
    const error = rejectionOf(() =>
      parseInput(addMemberSchema, { projectId: "nope", userId: "7f1c6a1e-8d57-4c43-9d2a-2b0d3c0a9a11", roles: ["LEAD", "BOSS"] }),
    );
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["projectId", "roles.1"]);
    expect(error.fieldErrors?.projectId).toEqual(["Choose a project."]);
  });

  it("refuses an empty role list and a stale-edit token that is not a timestamp", () => {
    const error = rejectionOf(() =>
      parseInput(setMemberRolesSchema, {
        projectId: "7f1c6a1e-8d57-4c43-9d2a-2b0d3c0a9a11",
        userId: "7f1c6a1e-8d57-4c43-9d2a-2b0d3c0a9a12",
        roles: [],
        expectedUpdatedAt: "yesterday",
      }),
    );
    expect(error.fieldErrors).toEqual({
      roles: ["Choose at least one role."],
      expectedUpdatedAt: ["The form is out of date; reload the page."],
    });
  });

  it("keys an error about the whole input as `input`", () => {
    const error = rejectionOf(() => parseInput(createUserSchema, null));
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["input"]);
    expect(error.message).toContain("input: ");
  });
});

describe("normalizeLineEndings and normalizeTextDeep", () => {
  it("turn CR LF and lone CR into LF, at any depth of a JSON body, leaving other values alone", () => {
    expect(normalizeLineEndings("a\r\nb\rc\nd")).toBe("a\nb\nc\nd");
    expect(normalizeTextDeep({ details: "x\r\ny", items: [{ note: "p\rq" }, 3, null], required: true })).toEqual({ details: "x\ny", items: [{ note: "p\nq" }, 3, null], required: true });
  });
});
