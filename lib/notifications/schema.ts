import { z } from "zod";

export const markReadSchema = z.object({
  /** The notifications to mark read; "all" marks every unread one. */
  ids: z.union([z.literal("all"), z.array(z.uuid("Choose notifications from the list.")).min(1, "Choose at least one notification.").max(500)]),
});
