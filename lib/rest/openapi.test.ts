import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument, operations } from "@/lib/rest/openapi";

// The API document describes every route there is, and only those, and is a valid OpenAPI 3.1
// document by Redocly's recommended rules.

const apiRoot = path.join(process.cwd(), "app", "api", "v1");
const methods = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

/** Every `METHOD /api/v1/...` a route file under app/api/v1 exports. */
function routesOnDisk(dir = apiRoot): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routesOnDisk(full);
    if (entry !== "route.ts") return [];
    const source = readFileSync(full, "utf8");
    const urlPath = `/api/v1/${path.relative(apiRoot, dir).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
    return methods.filter((method) => new RegExp(`export (const|async function|function) ${method}\\b`).test(source)).map((method) => `${method} ${urlPath}`);
  });
}

describe("the OpenAPI document", () => {
  it("documents exactly the routes under app/api/v1", () => {
    const documented = operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`).sort();
    expect(documented).toEqual(routesOnDisk().sort());
  });

  it("names every operation's answer and request body, with a working example for each JSON body", () => {
    const unnamed = operations.filter((operation) => !operation.response && operation.status !== 204 && !operation.produces).map((operation) => `${operation.method} ${operation.path}`);
    expect(unnamed).toEqual([]);
    const bodiless = operations.filter((operation) => (operation.method === "patch" || (operation.method === "post" && operation.path !== "/api/v1/audit/verify")) && !operation.body && !operation.bodyType);
    expect(bodiless.map((operation) => operation.path)).toEqual([]);
    for (const operation of operations.filter((entry) => entry.body && entry.example !== undefined)) {
      expect(operation.body!.safeParse(operation.example).error?.issues ?? [], `${operation.method} ${operation.path}`).toEqual([]);
    }
  });

  it("offers an Idempotency-Key header on every POST", () => {
    const document = openApiDocument();
    for (const [path, methods] of Object.entries(document.paths)) {
      const post = (methods as Record<string, { parameters?: { name: string; in: string }[] }>).post;
      if (post) expect(post.parameters?.some((parameter) => parameter.in === "header" && parameter.name === "Idempotency-Key"), path).toBe(true);
    }
  });

  it("gives every operation a unique id and every JSON answer a schema that resolves", () => {
    const document = openApiDocument();
    const ids = Object.values(document.paths).flatMap((entry) => Object.values(entry).map((operation) => (operation as { operationId: string }).operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) expect(document.components.schemas, `schema ${name}`).toHaveProperty(name!);
    expect(text).not.toContain("#/$defs/");
  });

  it("passes redocly lint", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(openApiDocument("https://shipshape.example.org")));
      const redocly = path.join(process.cwd(), "node_modules", ".bin", "redocly");
      const run = spawnSync(redocly, ["lint", file, "--config", path.join(process.cwd(), "lib", "rest", "redocly.yaml"), "--format", "stylish"], {
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/warning/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the typed client's types", () => {
  it("lib/rest/api-types.ts is what `npm run api:types` writes from the document now", async () => {
    const { apiTypesFile, generateApiTypes } = await import("../../scripts/api-types");
    expect(readFileSync(apiTypesFile, "utf8"), "run `npm run api:types`").toBe(await generateApiTypes());
  });
});

describe("npm run cli -- openapi", () => {
  it("prints the document without a database, and refuses a bad --server with exit code 2", async () => {
    const { runCli } = await import("../../scripts/cli");
    const printed: string[] = [];
    const errors: string[] = [];
    const output = { out: (text: string) => printed.push(text), err: (text: string) => errors.push(text) };
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      expect(await runCli(["openapi", "--server", "https://shipshape.example.org/ignored/path"], output)).toBe(0);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
    expect(JSON.parse(printed.join(""))).toEqual(openApiDocument("https://shipshape.example.org"));
    expect(await runCli(["openapi", "--server", "not a url"], output)).toBe(2);
    expect(errors.join("\n")).toContain("--server needs a URL");
  });
});
