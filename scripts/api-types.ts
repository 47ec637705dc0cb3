import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "../lib/rest/openapi";

// `npm run api:types`: writes lib/rest/api-types.ts, the TypeScript types of the API document,
// for the typed client (lib/rest/client.ts). A unit test fails when the file is out of date.

export const apiTypesFile = path.join(process.cwd(), "lib", "rest", "api-types.ts");

export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(openApiDocument())) as Parameters<typeof openapiTS>[0]);
  return `// Generated from the API document by \`npm run api:types\` (scripts/api-types.ts). Do not edit.\n\n${astToString(ast)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(apiTypesFile, await generateApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), apiTypesFile)}`);
}
