import { z } from "zod";
import { tokenPermissions } from "@/lib/tokens/scopes";

/** What a pipeline sends: `ssp_` and 32 random bytes in base64url (43 characters). */
export const apiTokenPattern = /^ssp_[A-Za-z0-9_-]{43}$/;

export const createApiTokenSchema = z.object({
  name: z.string({ error: "Name the token." }).trim().min(2, "Name must be at least 2 characters.").max(80, "Name is too long."),
  /** The one project the token may read, or null for every project (admins only). Never implied by a missing field. */
  projectId: z.uuid("Choose a project.").nullable(),
  /** What a project token may do (a token for every project only reads gates). */
  permissions: z
    .array(z.enum(tokenPermissions, { error: "Choose what the token may do from the list." }), { error: "Choose what the token may do." })
    .min(1, "Choose at least one thing the token may do.")
    .default(["gate:read"]),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({
  tokenId: z.uuid("Choose a token."),
});

export const createReadTokenSchema = z.object({
  name: z.string({ error: "Name the token." }).trim().min(2, "Name must be at least 2 characters.").max(80, "Name is too long."),
});
