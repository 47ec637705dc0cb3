import type { MetadataRoute } from "next";

// A self-hosted review record is nobody's search result.
export default function robots(): MetadataRoute.Robots {
  return { rules: { userAgent: "*", disallow: "/" } };
}
