"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { FormState } from "@/lib/form-state";
import type { AreaPermissions, ItemDetail } from "@/lib/checklists/data";
import type { AssignSetup } from "./assign-form";

type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export type ChecklistActions = {
  updateItem: FormAction;
  addEvidence: FormAction;
  removeEvidence: FormAction;
  addComment: FormAction;
  loadItemDetail: (itemId: string) => Promise<ItemDetail>;
};

type ChecklistContext = ChecklistActions & { permissions: AreaPermissions; assign?: AssignSetup | undefined };

const Context = createContext<ChecklistContext | null>(null);

/** The page hands its Server Actions and the viewer's rights per area down once, not to every row. */
export function ChecklistActionsProvider({ actions, permissions, assign, children }: { actions: ChecklistActions; permissions: AreaPermissions; assign?: AssignSetup | undefined; children: ReactNode }) {
  return <Context.Provider value={{ ...actions, permissions, assign }}>{children}</Context.Provider>;
}

export function useChecklistActions(): ChecklistContext {
  const actions = useContext(Context);
  if (!actions) throw new Error("useChecklistActions needs a ChecklistActionsProvider");
  return actions;
}
