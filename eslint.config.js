import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// House rules backed by lint rather than prose:
// - layers run one way: lib/ never imports app/ or components/;
// - only lib/ reads and writes the database (pages and components call lib/ services);
// - next-auth is used only behind lib/auth.ts;
// - lib/ opens network connections only through lib/net/, the outbound guard.
const dbImport = {
  group: ["@/lib/db", "@/lib/db.ts", "@/lib/generated/*", "@/lib/generated/**"],
  allowTypeImports: true,
  message: "Pages and components call lib/ services; only lib/ touches the database.",
};
const authImport = {
  group: ["next-auth", "next-auth/*", "@auth/*"],
  message: "Use lib/auth.ts: it is the only module that knows next-auth.",
};

const layerImport = { group: ["@/app/*", "@/components/*", "../app/*", "../components/*"], message: "lib/ never imports app/ or components/." };
const outboundMessage = "Connections from the server go through lib/net/ (the outbound guard: vetHost, outboundRequest, outboundConnect).";
const networkModules = ["node:http", "node:https", "node:net", "node:tls", "http", "https", "net", "tls", "undici"].map((name) => ({ name, message: outboundMessage }));

const config = [
  { ignores: [".next/**", "node_modules/**", "lib/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    files: ["app/**", "components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [dbImport, authImport] }] },
  },
  {
    files: ["lib/**"],
    ignores: ["lib/auth.ts", "lib/net/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: networkModules, patterns: [layerImport, authImport] }],
      "no-restricted-globals": ["error", { name: "fetch", message: outboundMessage }],
    },
  },
  {
    files: ["lib/net/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [layerImport, authImport] }] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
