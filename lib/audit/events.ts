// Every kind of audit event, one line each. The string is stored in audit_events.action.
export const auditActions = {
  /** A user signed in; the new session id is the entity. */
  AUTH_SIGN_IN: "auth.sign_in",
  /** A sign-in was refused (unknown email, wrong password, disabled user, rate limit). */
  AUTH_SIGN_IN_FAILED: "auth.sign_in_failed",
  /** A person proved who they are again to sign (re-entered their password); the session is the entity, `after.for` the act. Never the password. */
  AUTH_REAUTHENTICATED: "auth.reauthenticated",
  /** A person's single sign-on identity (issuer and subject) was linked to their account at their first sign-in through the provider. */
  AUTH_IDENTITY_LINKED: "auth.identity_linked",
  /** A user signed out; their session was revoked. */
  AUTH_SIGN_OUT: "auth.sign_out",
  /** Sessions ended other than by signing out: idle too long, ended by their owner from another browser, or by an admin (`after.reason`, `after.sessions`). */
  AUTH_SESSIONS_ENDED: "auth.sessions_ended",
  /** Someone asked for a password reset link for an existing account (no actor: nobody is signed in); the link's id, never its token. */
  AUTH_PASSWORD_RESET_REQUESTED: "auth.password_reset_requested",
  /** A person set up an authenticator app (two-step sign-in) and was given new recovery codes; never the secret or the codes. */
  AUTH_MFA_ENROLLED: "auth.mfa_enrolled",
  /** An authenticator was removed: by its owner with their password (`after.by` "self"), or reset by an admin, who ended the person's sessions ("admin"). */
  AUTH_MFA_REMOVED: "auth.mfa_removed",
  /** A recovery code was used instead of an authenticator code (`after.recoveryCodesLeft`); never the code. */
  AUTH_RECOVERY_CODE_USED: "auth.recovery_code_used",
  /** An admin created a user. */
  USER_CREATED: "user.created",
  /** An admin changed a user's global roles. */
  USER_ROLES_CHANGED: "user.roles_changed",
  /** An admin disabled a user; their sessions were revoked. */
  USER_DISABLED: "user.disabled",
  /** An admin enabled a user again. */
  USER_ENABLED: "user.enabled",
  /** A new set-password link was made for an existing user from the command line (the link's id and expiry, never its token); their earlier unused links stopped working. */
  SIGN_IN_LINK_CREATED: "user.sign_in_link_created",
  /** A person set their password with a single-use sign-in link (the link's id in `after`); the link is used and their sessions ended. */
  USER_PASSWORD_SET: "user.password_set",
  /** A person changed their own password, giving the current one; their other sessions were ended. */
  USER_PASSWORD_CHANGED: "user.password_changed",
  /** A project was created. */
  PROJECT_CREATED: "project.created",
  /** A person became a member of a project (roles, and who granted each signing role in `grantedBy`). */
  MEMBER_ADDED: "member.added",
  /** A person's project roles changed (before/after with roles and `grantedBy`, as for member.added). */
  MEMBER_ROLES_CHANGED: "member.roles_changed",
  /** A person was removed from a project. */
  MEMBER_REMOVED: "member.removed",
  /** An admin created a team (name, slug, description, single sign-on group and the roles it grants). */
  TEAM_CREATED: "team.created",
  /** An admin changed a team's name, description, single sign-on group or the roles it grants (before/after). */
  TEAM_UPDATED: "team.updated",
  /** A person joined a team with team roles: added by an admin, or at a single sign-on by their group (`after.via`, no actor). */
  TEAM_MEMBER_ADDED: "team.member_added",
  /** A person's team roles changed (before/after, as for team.member_added). */
  TEAM_MEMBER_ROLES_CHANGED: "team.member_roles_changed",
  /** A person left a team: removed by an admin, or at a single sign-on that no longer lists the team's group. */
  TEAM_MEMBER_REMOVED: "team.member_removed",
  /** A project's owning team was set, changed or cleared (before/after): its members' team roles count there from then on. */
  PROJECT_TEAM_CHANGED: "project.team_changed",
  /** Sections and items were added to a checklist from Markdown or a template (all items in `after`). */
  CHECKLIST_IMPORTED: "checklist.imported",
  /** A project's checklist moved to a newer template version (added, removed, kept items in `after`). */
  CHECKLIST_UPGRADED: "checklist.upgraded",
  /** An item's status or fields changed (changed fields in before/after). */
  ITEM_UPDATED: "item.updated",
  /** Someone other than the requester accepted an item's waiver request (who, when, and the waiver's fields in `after`); it counts from now until it expires. */
  WAIVER_ACCEPTED: "item.waiver_accepted",
  /** Someone other than the requester declined an item's waiver request (the reason in `after.reason`); the item went back to to do, its waiver fields cleared. */
  WAIVER_DECLINED: "item.waiver_declined",
  /** A lead assigned an item to someone, unassigned it, or changed its due time (one event per item). */
  ITEM_ASSIGNED: "item.assigned",
  /** Evidence (a link or a note) was attached to an item. */
  EVIDENCE_ADDED: "evidence.added",
  /** Evidence was removed from an item. */
  EVIDENCE_REMOVED: "evidence.removed",
  /** Someone commented on an item. */
  COMMENT_ADDED: "comment.added",
  /** A result (pass or fail, a summary, a link, facts) was recorded for an item by a pipeline or a person. */
  RESULT_RECORDED: "result.recorded",
  /** An automated check was attached to an item (kind, target, interval, the whole spec). */
  CHECK_ADDED: "check.added",
  /** An automated check was removed from an item (what it was, in `before`). */
  CHECK_REMOVED: "check.removed",
  /** An approver signed a slot (APPROVED or REJECTED), with the digest of what they covered. */
  SIGNOFF_GIVEN: "signoff.given",
  /** A sign-off went stale because something it covered, or the slots go-live requires, changed (the change named in `after.cause`). */
  SIGNOFF_STALE: "signoff.stale",
  /** A lead changed the sign-off slots a project requires or whether owners may approve; a change of the slots makes every current sign-off stale in the same transaction. */
  SIGNOFF_SLOTS_CHANGED: "signoff.slots_changed",
  /** A lead changed the project's maturity levels or its target level (levels and target before/after, `after.remap`: where each old level's items went); current sign-offs whose scope it changed went stale in the same transaction. */
  LEVELS_CHANGED: "project.levels_changed",
  /** A lead set, changed or removed the project's notification webhook (origin only, never the secret path). */
  PROJECT_WEBHOOK_CHANGED: "project.webhook_changed",
  /** A person marked notifications as read (how many). */
  NOTIFICATIONS_READ: "notifications.read",
  /** A person changed their own preferences (time zone, email notifications). */
  USER_PREFERENCES_CHANGED: "user.preferences_changed",
  /** A lead marked the project live with the gate open; the go-live snapshot is the entity. */
  PROJECT_LIVE: "project.live",
  /** A template was created (version 1). */
  TEMPLATE_CREATED: "template.created",
  /** A template got a new version. */
  TEMPLATE_VERSION_CREATED: "template.version_created",
  /** A lead or admin created an API token (name, prefix and scope; never the token or its hash). */
  TOKEN_CREATED: "token.created",
  /** A lead or admin revoked an API token. */
  TOKEN_REVOKED: "token.revoked",
  /** An admin created a campaign (its brief, dates and selection); a draft's later edits are CAMPAIGN_UPDATED. */
  CAMPAIGN_CREATED: "campaign.created",
  /** A draft campaign's items or selection changed (`before`/`after`). */
  CAMPAIGN_UPDATED: "campaign.updated",
  /** A campaign started: its items go to every project it selects. */
  CAMPAIGN_STARTED: "campaign.started",
  /** A campaign's items were added to one project (the project's history shows where they came from). */
  CAMPAIGN_APPLIED: "campaign.applied",
  /** A campaign ended: no more projects get its items. */
  CAMPAIGN_ENDED: "campaign.ended",
} as const;

export type AuditAction = (typeof auditActions)[keyof typeof auditActions];
