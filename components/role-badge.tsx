import type { GlobalRole, ProjectRole } from "@/lib/generated/prisma/enums";
import { roleWords } from "@/lib/words";

const colors: Record<string, string> = {
  LEAD: "bg-indigo-100 text-indigo-900",
  DEVOPS: "bg-sky-100 text-sky-900",
  DBA: "bg-amber-100 text-amber-900",
  SECURITY: "bg-rose-100 text-rose-900",
  APPROVER: "bg-emerald-100 text-emerald-900",
  VIEWER: "bg-slate-100 text-slate-800",
  ADMIN: "bg-violet-100 text-violet-900",
  AUDITOR: "bg-teal-100 text-teal-900",
};

export function RoleBadge({ role }: { role: ProjectRole | GlobalRole }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold tracking-wide ${colors[role] ?? colors.VIEWER}`}>{roleWords[role]}</span>;
}
