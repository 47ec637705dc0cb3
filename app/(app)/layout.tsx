import Link from "next/link";
import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { RoleBadge } from "@/components/role-badge";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const global = { kind: "global" } as const;
  const links = [
    { href: "/", label: "Projects", show: true },
    { href: "/templates", label: "Templates", show: can(actor, "template.view", global) },
    { href: "/signoffs", label: "Sign-offs", show: !actor.globalRoles.includes("AUDITOR") },
    { href: "/activity", label: "Activity", show: can(actor, "audit.viewAll", global) },
    { href: "/admin", label: "Admin", show: can(actor, "user.manage", global) },
  ].filter((link) => link.show);
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
          <Link href="/" className="text-lg font-semibold text-indigo-800">
            Shipshape
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm">
            {links.map((link) => (
              <Link key={link.href} href={link.href} className="text-slate-700 hover:text-indigo-800">
                {link.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-700" data-testid="current-user">
              {actor.name}
            </span>
            {actor.globalRoles.map((role) => (
              <RoleBadge key={role} role={role} />
            ))}
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
