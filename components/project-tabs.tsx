"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function ProjectTabs({ slug, showTokens = false }: { slug: string; showTokens?: boolean }) {
  const pathname = usePathname();
  const base = `/projects/${slug}`;
  const tabs = [
    { href: base, label: "Checklist" },
    { href: `${base}/overview`, label: "Overview" },
    { href: `${base}/signoffs`, label: "Sign-offs" },
    { href: `${base}/members`, label: "Members" },
    { href: `${base}/activity`, label: "Activity" },
    ...(showTokens ? [{ href: `${base}/tokens`, label: "Tokens & webhook" }] : []),
  ];
  return (
    // On a phone the tabs scroll sideways within their bar; the page itself never does.
    <nav aria-label="Project" className="flex gap-1 relative overflow-x-auto border-b border-slate-200">
      {tabs.map((tab) => {
        const isCurrent = pathname === tab.href;
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isCurrent ? "page" : undefined}
            className={`-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${isCurrent ? "border-indigo-700 text-indigo-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
