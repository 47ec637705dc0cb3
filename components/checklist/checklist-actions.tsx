"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { FormState } from "@/lib/form-state";
import type { AreaPermissions, ItemDetail } from "@/lib/checklists/data";
import type { AssignSetup } from "./assign-form";
import type { ItemChecks } from "@/lib/checks/item-checks";

type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export type ChecklistActions = {
  updateItem: FormAction;
  addEvidence: FormAction;
  removeEvidence: FormAction;
  addComment: FormAction;
  acceptWaiver?: FormAction;
  declineWaiver?: FormAction;
  loadItemDetail: (itemId: string) => Promise<ItemDetail>;
  /** Automated checks of an item (absent: not shown here). */
  checks?: { load: (itemId: string) => Promise<ItemChecks>; add: FormAction; remove: FormAction; runNow: FormAction };
};

/** A member who may be named a waiver's risk owner. */
export type RiskOwnerOption = { id: string; name: string };

/** A checklist's levels (lowest first) and its target level, for choosing an item's level. */
export type LevelChoice = { names: string[]; target: number };

type ChecklistContext = ChecklistActions & { permissions: AreaPermissions; assign?: AssignSetup | undefined; riskOwners?: RiskOwnerOption[] | undefined; levels?: LevelChoice | undefined };

const Context = createContext<ChecklistContext | null>(null);

/** The page hands its Server Actions and the viewer's rights per area down once, not to every row. */
export function ChecklistActionsProvider({
  actions,
  permissions,
  assign,
  riskOwners,
  levels,
  children,
}: {
  actions: ChecklistActions;
  permissions: AreaPermissions;
  assign?: AssignSetup | undefined;
  /** The project's members, for naming a waiver's risk owner (absent: waivers are requested from the project's checklist). */
  riskOwners?: RiskOwnerOption[] | undefined;
  /** The project's levels (absent: none, and items have no level to choose). */
  levels?: LevelChoice | undefined;
  children: ReactNode;
}) {
  return <Context.Provider value={{ ...actions, permissions, assign, riskOwners, levels }}>{children}</Context.Provider>;
}

export function useChecklistActions(): ChecklistContext {
  const actions = useContext(Context);
  if (!actions) throw new Error("useChecklistActions needs a ChecklistActionsProvider");
  return actions;
}
