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

/** Wide enough for a checklist on a large screen, never a line too long to read on a laptop. */
const PAGE_WIDTH = "max-w-6xl xl:max-w-7xl 2xl:max-w-[100rem]";

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
    { href: "/campaigns", label: "Campaigns", show: can(actor, "campaign.view", global) },
    { href: "/activity", label: "Activity", show: can(actor, "audit.viewAll", global) },
    { href: "/admin", label: "Admin", show: can(actor, "user.manage", global) },
  ].filter((link) => link.show);
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        {/* On a phone the links take a row of their own under the name and the controls. */}
        <div className={`mx-auto flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 ${PAGE_WIDTH}`}>
          <Link href="/" className="text-lg font-semibold text-indigo-800">
            Shipshape
          </Link>
          <nav aria-label="Main" className="order-last flex w-full flex-wrap gap-x-4 gap-y-1 text-sm md:order-none md:w-auto">
            {links.map((link) => (
              <Link key={link.href} href={link.href} className="py-1 text-slate-700 hover:text-indigo-800">
                {link.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex min-w-0 flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm">
            <NotificationBell initialUnread={unread} />
            <Link href="/settings" className="max-w-[12rem] truncate text-slate-700 hover:text-indigo-800" title={`Settings · times shown in ${viewerZone}`} data-testid="current-user">
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
      <main id="main" className={`mx-auto px-4 py-6 sm:py-8 ${PAGE_WIDTH}`}>
        {children}
      </main>
    </>
  );
}
