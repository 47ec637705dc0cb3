import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// House rules backed by lint rather than prose:
// - layers run one way: lib/ never imports app/ or components/;
// - only lib/ reads and writes the database (pages and components call lib/ services);
// - next-auth is used only behind lib/auth.ts;
// - Prisma clients are made only in lib/db.ts, with stated transaction limits;
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
// node:net and node:tls also hold address helpers (isIP, BlockList): only what connects is restricted there.
const connectingNames = { net: ["default", "connect", "createConnection", "Socket"], tls: ["default", "connect", "TLSSocket"] };
const networkModules = [
  ...["node:http", "node:https", "http", "https", "undici"].map((name) => ({ name, message: outboundMessage })),
  ...["node:net", "net"].map((name) => ({ name, importNames: connectingNames.net, message: outboundMessage })),
  ...["node:tls", "tls"].map((name) => ({ name, importNames: connectingNames.tls, message: outboundMessage })),
];

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
    // lib/net/ is the guard itself; tests start the local servers they probe.
    files: ["lib/net/**", "lib/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [layerImport, authImport] }] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Every Prisma client states its transaction limits (lib/db.ts): never Prisma's 5 s default.
    ignores: ["lib/db.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='PrismaClient']", message: "Make clients with prismaClientOver() or createPrismaClient() from lib/db.ts." },
      ],
    },
  },
];

export default config;
