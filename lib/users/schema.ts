import { z } from "zod";
import { isValidTimeZone } from "@/lib/time";

export const globalRoleSchema = z.enum(["ADMIN", "AUDITOR"]);

export const emailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address.").max(254, "Email is too long."));

export const passwordSchema = z
  .string({ error: "Password is required." })
  .min(12, "Password must be at least 12 characters.")
  .max(200, "Password must be at most 200 characters.");

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string({ error: "Name is required." }).trim().min(1, "Name is required.").max(120, "Name is too long."),
  title: z.string().trim().max(120, "Title is too long.").default(""),
  password: passwordSchema,
  globalRoles: z.array(globalRoleSchema).default([]),
});

export const setUserDisabledSchema = z.object({
  userId: z.uuid("Choose a user."),
  disabled: z.boolean(),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(200),
});

export const setUserGlobalRolesSchema = z.object({
  userId: z.uuid("Choose a user."),
  globalRoles: z.array(globalRoleSchema, { error: "Choose the global roles." }).transform((roles) => [...new Set(roles)].sort()),
});

export const updatePreferencesSchema = z.object({
  /** An IANA zone, or "" to follow the browser's. */
  timeZone: z
    .string()
    .trim()
    .refine((value) => value === "" || isValidTimeZone(value), "Choose a time zone from the list."),
  emailNotifications: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
});
