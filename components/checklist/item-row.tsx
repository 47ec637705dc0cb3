"use client";

import { useCallback, useEffect, useId, useState } from "react";
import type { ItemRowData } from "@/lib/checklists/data";
import { AreaBadge, StatusBadge } from "./status";
import { ItemEditor } from "./item-editor";

const dueStyles = {
  overdue: "bg-red-50 text-red-800 ring-red-300",
  soon: "bg-amber-50 text-amber-900 ring-amber-300",
  later: "bg-white text-slate-700 ring-slate-300",
} as const;

/** Opens the item a link pointed at (#item-<id>, e.g. from a notification). */
function useOpenWhenTargeted(itemId: string, open: () => void) {
  useEffect(() => {
    const check = () => {
      if (window.location.hash === `#item-${itemId}`) open();
    };
    check();
    window.addEventListener("hashchange", check);
    return () => window.removeEventListener("hashchange", check);
  }, [itemId, open]);
}

export function ItemRow({ item, showPath }: { item: ItemRowData; showPath: boolean }) {
  const [isOpen, setOpen] = useState(false);
  const panelId = useId();
  const open = useCallback(() => setOpen(true), []);
  useOpenWhenTargeted(item.id, open);
  return (
    <li data-testid="checklist-item" id={`item-${item.id}`} className="scroll-mt-20">
      <div className="item-line" data-open={isOpen || undefined}>
        <StatusBadge status={item.effectiveStatus} />
        <button
          type="button"
          aria-expanded={isOpen}
          aria-controls={isOpen ? panelId : undefined}
          onClick={() => setOpen((open) => !open)}
          className="item-title"
        >
          {showPath && item.path && <span className="text-slate-600">{item.path.join(" › ")} › </span>}
          <InlineCode text={item.title} />
        </button>
        <span className="item-meta">
          {item.project && <span className="font-medium text-slate-700">{item.project.name}</span>}
          {item.assigneeName && (
            <span className="inline-flex items-center gap-0.5" title="Assigned to">
              <PersonIcon /> <span className="sr-only">Assigned to </span>
              {item.assigneeName}
            </span>
          )}
          {item.dueLabel && (
            <span className={`rounded px-1 ring-1 ${dueStyles[item.dueState ?? "later"]}`} title={item.dueState === "overdue" ? "Overdue" : "Due"}>
              {item.dueState === "overdue" ? "Overdue since " : "Due "}
              <time dateTime={item.dueAt}>{item.dueLabel}</time>
            </span>
          )}
          {!item.required && <span className="rounded border border-slate-300 px-1">optional</span>}
          {item.levelName && (
            <span className="rounded border border-slate-300 px-1" data-testid="item-level">
              <span className="sr-only">Level </span>
              {item.levelName}
              {item.aboveTarget && " · above target"}
            </span>
          )}
          <AreaBadge area={item.area} />
          {item.evidenceCount > 0 && (
            <span title="Evidence" className="inline-flex items-center gap-0.5 tabular-nums">
              <PaperclipIcon /> {item.evidenceCount}
              <span className="sr-only"> evidence</span>
            </span>
          )}
          {item.commentCount > 0 && (
            <span title="Comments" className="inline-flex items-center gap-0.5 tabular-nums">
              <CommentIcon /> {item.commentCount}
              <span className="sr-only"> comments</span>
            </span>
          )}
        </span>
      </div>
      {isOpen && (
        <div id={panelId} className="mb-2 ml-2 border-l-2 border-indigo-200 pl-4">
          <ItemEditor item={item} />
        </div>
      )}
      {item.children.length > 0 && (
        <ul className="ml-5 border-l border-slate-200 pl-2">
          {item.children.map((child) => (
            <ItemRow key={child.id} item={child} showPath={false} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Item titles keep Markdown code spans (`like this`); everything else is plain text. */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`)/);
  return (
    <>
      {parts.map((part, index) =>
        part.length > 2 && part.startsWith("`") && part.endsWith("`") ? (
          <code key={index} className="rounded bg-slate-100 px-1 font-mono text-[0.85em]">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

function PaperclipIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
      <path d="M10.5 4.5 5.8 9.2a1.2 1.2 0 0 0 1.7 1.7l5-5a2.6 2.6 0 0 0-3.7-3.7l-5 5a4 4 0 0 0 5.7 5.7l4-4" />
    </svg>
  );
}

function PersonIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
      <circle cx="8" cy="5.5" r="2.5" />
      <path d="M3 13.5c.6-2.4 2.6-3.5 5-3.5s4.4 1.1 5 3.5" />
    </svg>
  );
}

function CommentIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" />
    </svg>
  );
}
