"use client";

import { useActionState, type ReactNode } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** "Mark all read", or one notification's "Mark read". */
export function MarkReadForm({ action, id, children }: { action: Action; id?: string; children: ReactNode }) {
  const [state, formAction] = useActionState(action, initialFormState);

  return (
    <form action={formAction} className="flex items-center gap-2">
      {id ? <input type="hidden" name="ids" value={id} /> : <input type="hidden" name="all" value="true" />}
      <SubmitButton variant="secondary" pendingLabel="Marking…">
        {children}
      </SubmitButton>
      {!state.ok && <FormMessage state={state} />}
    </form>
  );
}
