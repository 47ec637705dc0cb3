import Link from "next/link";
import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { RoleBadge } from "@/components/role-badge";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { TimeZoneCookie } from "@/components/time-zone-cookie";
import { countUnread } from "@/lib/notifications/data";
import { getViewerTimeZone, TIME_ZONE_COOKIE } from "@/lib/request";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const global = { kind: "global" } as const;
  const isAuditor = actor.globalRoles.includes("AUDITOR");
  const [unread, viewerZone] = await Promise.all([countUnread(actor), getViewerTimeZone(actor)]);
  const links = [
    { href: "/", label: "Projects", show: true },
    { href: "/my/assigned", label: "My work", show: !isAuditor },
    { href: "/templates", label: "Templates", show: can(actor, "template.view", global) },
    { href: "/signoffs", label: "Sign-offs", show: !isAuditor },
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
            <NotificationBell initialUnread={unread} />
            <Link href="/settings" className="text-slate-700 hover:text-indigo-800" title={`Settings · times shown in ${viewerZone}`} data-testid="current-user">
              {actor.name}
            </Link>
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
      {!actor.timeZone && <TimeZoneCookie name={TIME_ZONE_COOKIE} current={viewerZone} />}
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
