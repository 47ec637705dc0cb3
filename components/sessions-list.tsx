"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

export type SessionListRow = { id: string; device: string; ipAddress: string; createdAt: string; createdLabel: string; lastSeenAt: string; lastSeenLabel: string; current: boolean };

/**
 * The person's sessions, each but this browser's with a button that ends it. One form state for
 * the list, shown above it, so what happened is still said after the ended row is gone.
 */
export function SessionsList({ action, sessions }: { action: Action; sessions: SessionListRow[] }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="flex flex-col gap-2">
      <FormMessage state={state} />
      <ul className="flex flex-col divide-y divide-slate-200">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-col gap-2 py-2 sm:flex-row sm:items-center sm:justify-between" data-testid="session">
            <div className="text-sm">
              <p className="font-medium">
                {session.device}
                {session.current && <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-900">this browser</span>}
              </p>
              <p className="text-slate-600">
                {session.ipAddress || "address not recorded"} · signed in <time dateTime={session.createdAt}>{session.createdLabel}</time> · last used <time dateTime={session.lastSeenAt}>{session.lastSeenLabel}</time>
              </p>
            </div>
            {!session.current && (
              <form action={formAction}>
                <input type="hidden" name="sessionId" value={session.id} />
                <SubmitButton variant="danger" pendingLabel="Ending…">
                  End<span className="sr-only"> the session of {session.device}, last used {session.lastSeenLabel}</span>
                </SubmitButton>
              </form>
            )}
          </li>
        ))}
      </ul>
      {others > 1 && (
        <form action={formAction}>
          <input type="hidden" name="sessionId" value="others" />
          <SubmitButton variant="danger" pendingLabel="Ending…">
            End every other session
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
