// Generated from the API document by `npm run api:types` (scripts/api-types.ts). Do not edit.

export interface paths {
    "/api/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The projects you may see
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjects"];
        put?: never;
        /**
         * Create a project (optionally from a template version)
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postProjects"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One project with its members and your roles
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlug"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a member with roles
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postProjectsBySlugMembers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        delete: operations["deleteProjectsBySlugMembersByUserId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a Markdown checklist into the project
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postProjectsBySlugImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The checklist as Markdown, CSV or JSON
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's items in checklist order, filtered, a page at a time
         * @description A signed-in session, a read-only API token (auditors and admins), or a token of the project with `items:read` (or `items:write`) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign one or many items and/or set due dates, all or nothing
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postProjectsBySlugAssignments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One item with its evidence, comments and latest results
         * @description A signed-in session, a read-only API token (auditors and admins), or a token of the project with `items:read` (or `items:write`) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getItemsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an item on the version you saw (409 with `current` otherwise)
         * @description A signed-in session (changes from the site's own origin), or a token of the project with `items:write`, which acts as itself on its project (named in the history).
         */
        patch: operations["patchItemsById"];
        trace?: never;
    };
    "/api/v1/items/{id}/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a link or a note as evidence
         * @description A signed-in session (changes from the site's own origin), or a token of the project with `items:write`, which acts as itself on its project (named in the history).
         */
        post: operations["postItemsByIdEvidence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/items/{id}/evidence/{evidenceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove evidence, on the item's version you saw
         * @description A signed-in session (changes from the site's own origin), or a token of the project with `items:write`, which acts as itself on its project (named in the history).
         */
        delete: operations["deleteItemsByIdEvidenceByEvidenceId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/items/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Comment on an item
         * @description A signed-in session (changes from the site's own origin), or a token of the project with `items:write`, which acts as itself on its project (named in the history).
         */
        post: operations["postItemsByIdComments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/items/{id}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a result (pass or fail) for an item: a failure reopens a done item, a pass with markDone closes an open one
         * @description A signed-in session that may work the item (changes from the site's own origin), or a token of the project with `results:write`, which records as itself (named in the history).
         */
        post: operations["postProjectsBySlugItemsByIdResults"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/signoffs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every required slot with every round, digests and what changed since
         * @description A signed-in session, a read-only API token (auditors and admins), or a token of the project with `items:read` (or `items:write`) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugSignoffs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/gate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the project may go live, and why not
         * @description A signed-in session, or a token of the project with `gate:read` as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugGate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/go-live/{id}/package": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The go-live decision package
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugGoLiveByIdPackage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{slug}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's history, newest first; pass `nextCursor` as `before` for the next page
         * @description A signed-in session, a read-only API token (auditors and admins), or a token of the project with `items:read` (or `items:write`) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getProjectsBySlugHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail as CSV or JSON Lines (auditors and admins; a lead for their project)
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getAuditExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the whole audit chain
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getAuditVerify"];
        put?: never;
        /**
         * Verify the whole audit chain through a signed checkpoint
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        post: operations["postAuditVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A signed checkpoint of the audit chain (admins)
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getAuditCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The template library
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A template with its versions
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getTemplatesBySlug"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{slug}/versions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One version of a template, as JSON or as Markdown
         * @description A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.
         */
        get: operations["getTemplatesBySlugVersionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{slug}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish a new version from Markdown (the template's owner or an admin)
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postTemplatesBySlugVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your notifications, newest first
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        get: operations["getNotifications"];
        put?: never;
        /**
         * Mark notifications read
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        post: operations["postNotifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/unread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many notifications are unread
         * @description A signed-in session (cookie). Changes must come from the site's own origin.
         */
        get: operations["getNotificationsUnread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gate.sh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The dependency-free pipeline step (POSIX sh + curl)
         * @description No authentication.
         */
        get: operations["getGateSh"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description No authentication.
         */
        get: operations["getOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /** @enum {string} */
                code: "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "INVALID_INPUT" | "RATE_LIMITED" | "INTERNAL" | "UNAVAILABLE";
                /** @description Safe to show to a person. */
                message: string;
                /** @description Field name → messages, for bad input (422). */
                fieldErrors?: {
                    [key: string]: string[];
                };
                /** @description Extra data, e.g. `current`: the record as it is now, on 409. */
                data?: {
                    [key: string]: unknown;
                };
            };
        };
        Waiver: {
            reason: string | null;
            /** @description The risk owner as a member (null: a name recorded before risk owners were members). */
            riskOwnerId: string | null;
            riskOwner: string | null;
            controls: string | null;
            expiresAt: string | null;
            requestedBy: string | null;
            acceptedBy: string | null;
            /** @description Null while the waiver is a request: it counts only once someone other than the requester accepts it. */
            acceptedAt: string | null;
        };
        Item: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            sectionId: string;
            sectionTitle: string;
            parentId: string | null;
            /** @description Titles of the enclosing items, outermost first. */
            path: string[];
            title: string;
            /** @description Markdown. */
            details: string;
            /** @enum {string} */
            area: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL";
            required: boolean;
            /** @description Its maturity level: an index into the project's levels, lowest 0 (0 when the project has none). */
            level: number;
            /** @description That level's name; null when the project has no levels. */
            levelName: string | null;
            /** @description Whether it counts for the gate, readiness and sign-offs: false for an item above the project's target level. */
            countsForTarget: boolean;
            /**
             * @description As stored.
             * @enum {string}
             */
            status: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED";
            /**
             * @description As the gate sees it now: a waiver is WAIVER_REQUESTED until accepted and WAIVER_EXPIRED after its expiry.
             * @enum {string}
             */
            effectiveStatus: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED" | "WAIVER_EXPIRED" | "WAIVER_REQUESTED";
            /** @description Why not applicable, what blocks it, or the risk a waiver accepts. */
            statusReason: string | null;
            waiver: components["schemas"]["Waiver"] | null;
            assignee: {
                /** Format: uuid */
                id: string;
                name: string;
            } | null;
            dueAt: string | null;
            /** @description Send it back as `expectedVersion` to change the item: a change based on an older version is refused with 409. */
            version: number;
            evidenceCount: number;
            commentCount: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            updatedAt: string;
        };
        Evidence: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "LINK" | "NOTE";
            url: string | null;
            note: string;
            addedByName: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            createdAt: string;
        };
        Comment: {
            /** Format: uuid */
            id: string;
            authorName: string;
            body: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            createdAt: string;
        };
        Result: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            outcome: "PASS" | "FAIL";
            /** @description False for a failure that waits to be repeated before it counts (failuresToReopen). */
            counted: boolean;
            summary: string;
            url: string | null;
            /** @description What the run found, as it was sent. */
            facts: {
                [key: string]: unknown;
            };
            /** @description Who or what recorded it: a person, or a token as "NAME (token ssp_…)". */
            actorName: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            recordedAt: string;
        };
        ItemDetail: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            sectionId: string;
            sectionTitle: string;
            parentId: string | null;
            /** @description Titles of the enclosing items, outermost first. */
            path: string[];
            title: string;
            /** @description Markdown. */
            details: string;
            /** @enum {string} */
            area: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL";
            required: boolean;
            /** @description Its maturity level: an index into the project's levels, lowest 0 (0 when the project has none). */
            level: number;
            /** @description That level's name; null when the project has no levels. */
            levelName: string | null;
            /** @description Whether it counts for the gate, readiness and sign-offs: false for an item above the project's target level. */
            countsForTarget: boolean;
            /**
             * @description As stored.
             * @enum {string}
             */
            status: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED";
            /**
             * @description As the gate sees it now: a waiver is WAIVER_REQUESTED until accepted and WAIVER_EXPIRED after its expiry.
             * @enum {string}
             */
            effectiveStatus: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED" | "WAIVER_EXPIRED" | "WAIVER_REQUESTED";
            /** @description Why not applicable, what blocks it, or the risk a waiver accepts. */
            statusReason: string | null;
            waiver: components["schemas"]["Waiver"] | null;
            assignee: {
                /** Format: uuid */
                id: string;
                name: string;
            } | null;
            dueAt: string | null;
            /** @description Send it back as `expectedVersion` to change the item: a change based on an older version is refused with 409. */
            version: number;
            evidenceCount: number;
            commentCount: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            updatedAt: string;
            evidence: components["schemas"]["Evidence"][];
            comments: components["schemas"]["Comment"][];
            /** @description The latest results, newest first (at most 20). */
            results: components["schemas"]["Result"][];
            /** @description Re-attestation. */
            renewal: {
                everyDays: number | null;
                /** @description When a done item's evidence must be renewed by (null unless done and renewal is asked for). */
                dueAt: string | null;
            };
        };
        ResultRecorded: {
            /** Format: uuid */
            resultId: string;
            /** @enum {string} */
            outcome: "PASS" | "FAIL";
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            recordedAt: string;
            item: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                status: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED";
                version: number;
                /** @description A failure reopened a done item (BLOCKED), or a pass with markDone closed an open one. */
                statusChanged: boolean;
            };
            /** @description The sign-offs this result made stale. */
            stale: ("DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE")[];
            /** @description False for a failure waiting for the repeats failuresToReopen asks for: kept, but it changed nothing yet. */
            counted: boolean;
        };
        ItemsPage: {
            items: components["schemas"]["Item"][];
            /** @description Items matching the filters, over all pages. */
            total: number;
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
        };
        ItemSaved: {
            /** @description False when the change asked for was already so: nothing was written or recorded. */
            changed: boolean;
            item: components["schemas"]["Item"];
        };
        EvidenceAdded: {
            /** Format: uuid */
            evidenceId: string;
            version: number;
        };
        ItemVersion: {
            version: number;
        };
        CommentAdded: {
            /** Format: uuid */
            commentId: string;
        };
        Assigned: {
            /** @description How many items changed (items already so are left alone). */
            changed: number;
        };
        Signoff: {
            /** @enum {string} */
            slot: "DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE";
            round: number;
            /** @enum {string} */
            state: "CURRENT" | "STALE" | "SUPERSEDED";
            /** @enum {string} */
            decision: "APPROVED" | "REJECTED";
            /** @description The signer's printed name and title, and the role they signed in. */
            approver: {
                id: string | null;
                name: string;
                title: string;
                capacity: string;
            };
            comment: string;
            reason: string | null;
            /** @description SHA-256 of the canonical state of every item the slot covered when signed. */
            digest: string;
            openItems: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            signedAt: string;
            staleAt: string | null;
            /** @description What the signature means, in the words the signer was shown. */
            meaning: string | null;
            reauth: {
                method: string;
                at: string | null;
                basis: string | null;
            } | null;
        };
        Signoffs: {
            requiredSlots: ("DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE")[];
            gate: {
                open: boolean;
                reasons: {
                    code: string;
                    message: string;
                }[];
            };
            liveAt: string | null;
            slots: {
                /** @enum {string} */
                slot: "DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE";
                /** @description The digest of the slot's scope now: what a signature would cover. */
                digest: string;
                staleCause: string | null;
                /** @description What changed in the scope since the latest round was signed (null: nothing, or never signed). */
                changesSinceLatest: {
                    added: {
                        /** Format: uuid */
                        itemId: string;
                        title: string;
                        fields: string[];
                    }[];
                    removed: {
                        /** Format: uuid */
                        itemId: string;
                        title: string;
                        fields: string[];
                    }[];
                    changed: {
                        /** Format: uuid */
                        itemId: string;
                        title: string;
                        fields: string[];
                    }[];
                } | null;
                /** @description Every round, oldest first, superseded ones included. */
                rounds: components["schemas"]["Signoff"][];
            }[];
        };
        HistoryPage: {
            events: {
                id: string;
                seq: string;
                hash: string;
                /**
                 * Format: date-time
                 * @description An ISO 8601 instant (UTC).
                 */
                occurredAt: string;
                actorId: string | null;
                actorName: string | null;
                actorEmail: string | null;
                action: string;
                entityType: string;
                entityId: string | null;
                /** @description A bounded excerpt of the recorded state before (the whole event is in the export). */
                before: unknown;
                after: unknown;
                changed: string[];
            }[];
            nextCursor: string | null;
        };
        TemplateSummary: {
            /** Format: uuid */
            id: string;
            slug: string;
            name: string;
            description: string;
            builtIn: boolean;
            latestVersion: number;
            /** Format: uuid */
            latestVersionId: string;
            itemCount: number;
            projectCount: number;
        };
        TemplateList: {
            templates: components["schemas"]["TemplateSummary"][];
        };
        TemplateItem: {
            /** @description The item's stable key across versions (what an upgrade matches on). */
            key: string | null;
            title: string;
            details: string;
            /** @enum {string} */
            area: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL";
            required: boolean;
            children: components["schemas"]["TemplateItem"][];
        };
        TemplateVersion: {
            template: {
                /** Format: uuid */
                id: string;
                slug: string;
                name: string;
            };
            /** Format: uuid */
            id: string;
            version: number;
            itemCount: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            createdAt: string;
            latest: boolean;
            sections: {
                title: string;
                items: components["schemas"]["TemplateItem"][];
            }[];
        };
        TemplateDetail: {
            /** Format: uuid */
            id: string;
            slug: string;
            name: string;
            description: string;
            builtIn: boolean;
            latestVersion: number;
            /** Format: uuid */
            latestVersionId: string;
            itemCount: number;
            projectCount: number;
            versions: {
                /** Format: uuid */
                id: string;
                version: number;
                itemCount: number;
                /**
                 * Format: date-time
                 * @description An ISO 8601 instant (UTC).
                 */
                createdAt: string;
            }[];
        };
        TemplateVersionCreated: {
            version: number;
        };
        ProjectMember: {
            /** Format: uuid */
            userId: string;
            name: string;
            email: string;
            title: string;
            /** @description Every role they hold here: their own and their team's. */
            roles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
            /** @description The roles of their own membership (empty: they come through the owning team only). */
            memberRoles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
            /** @description The roles they hold as members of the team that owns the project. */
            teamRoles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
            /** @description Signing roles the member granted themselves: they cannot sign with them. */
            selfGrantedRoles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
            disabled: boolean;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            updatedAt: string;
        };
        Project: {
            /** Format: uuid */
            id: string;
            slug: string;
            name: string;
            description: string;
            targetGoLive: string | null;
            /** @description When a lead marked it live; null before. */
            liveAt: string | null;
            members: components["schemas"]["ProjectMember"][];
            /** @description Your roles on the project, your own and your team's (empty for admins and auditors who are not members). */
            myRoles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
            /** @description The team that owns the project: its members hold their team roles here. */
            team: {
                /** Format: uuid */
                id: string;
                slug: string;
                name: string;
            } | null;
        };
        ProjectList: {
            projects: components["schemas"]["Project"][];
        };
        GateReason: {
            /** @enum {string} */
            code: "ITEM_OPEN" | "WAIVER_EXPIRED" | "WAIVER_PENDING" | "SIGNOFF_MISSING" | "SIGNOFF_STALE" | "SIGNOFF_REJECTED";
            message: string;
            /**
             * Format: uuid
             * @description The item that holds up go-live (item reasons).
             */
            itemId?: string;
            /**
             * @description The sign-off slot that holds up go-live (sign-off reasons).
             * @enum {string}
             */
            slot?: "DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE";
        };
        Gate: {
            /** @description Whether the project may go live now. */
            open: boolean;
            /** @description Why not, one entry per item or slot in the way; empty when open. */
            reasons: components["schemas"]["GateReason"][];
            /** @description The latest round of each slot. */
            signoffs: components["schemas"]["Signoff"][];
            project: {
                slug: string;
                name: string;
            };
            liveAt: string | null;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            checkedAt: string;
        };
        UnreadCount: {
            unread: number;
        };
        NotificationPage: {
            notifications: {
                /** Format: uuid */
                id: string;
                kind: string;
                title: string;
                body: string;
                /** @description Where it leads, as a path of this site. */
                link: string;
                actorName: string | null;
                /**
                 * Format: date-time
                 * @description An ISO 8601 instant (UTC).
                 */
                createdAt: string;
                read: boolean;
            }[];
            unread: number;
            /** @description Pass as `cursor` for the next page; null on the last. */
            nextCursor: string | null;
        };
        ProjectCreated: {
            /** Format: uuid */
            id: string;
            slug: string;
            imported: {
                items: number;
                sections: number;
                checked: number;
            } | null;
        };
        ImportSummary: {
            sections: number;
            items: number;
            /** @description Items the file marked done ([x]). */
            checked: number;
            maxDepth: number;
            /** @description A Shipshape export only: assignees the file names who are not members here (left unassigned). */
            droppedAssignees?: number;
            droppedRiskOwners?: number;
        };
        Checkpoint: {
            seq: number;
            hash: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            occurredAt: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant (UTC).
             */
            exportedAt: string;
            /** @description HMAC-SHA256 over the canonical JSON of the other four fields, by a key derived from AUTH_SECRET. */
            signature: string;
        };
        VerifyReport: {
            ok: boolean;
            /** @description Events proven intact, in order: only those up to the last anchor (checkpoint, chain head) that agreed. */
            checked: number;
            withheld?: number;
            lastSeq: number;
            lastHash: string;
            lastOccurredAt: string | null;
            firstBroken?: {
                seq: number;
                id: string | null;
                reason: string;
                message: string;
            };
            head: {
                seq: number;
                hash: string;
            } | null;
            checkpoint?: {
                seq: number;
                hash: string;
                /** @enum {string} */
                signature: "valid" | "unchecked";
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getProjects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectList"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postProjects: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Payments API",
                 *       "targetGoLive": "2027-03-01"
                 *     }
                 */
                "application/json": {
                    name: string;
                    slug?: string;
                    /** @default  */
                    description?: string;
                    targetGoLive?: string;
                    templateVersionId?: string;
                    leadUserId?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectCreated"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postProjectsBySlugMembers: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "userId": "00000000-0000-4000-8000-000000000000",
                 *       "roles": [
                 *         "DBA"
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** Format: uuid */
                    userId: string;
                    roles: ("LEAD" | "DEVOPS" | "DBA" | "SECURITY" | "APPROVER" | "VIEWER")[];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                    };
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteProjectsBySlugMembersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postProjectsBySlugImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example ## Database
                 *
                 *     - [ ] Backups restored in a drill
                 *     - [x] Connection pool sized
                 */
                "text/markdown": string;
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportSummary"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugExport: {
        parameters: {
            query?: {
                format?: "md" | "csv" | "json";
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/markdown": unknown;
                    "text/csv": unknown;
                    "application/json": unknown;
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugItems: {
        parameters: {
            query?: {
                area?: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL";
                /** @description OPEN: every item that still stands in the way of go-live. */
                status?: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED" | "OPEN" | "WAIVER_EXPIRED" | "WAIVER_REQUESTED";
                /** @description A member's user id, or `none` for unassigned items. */
                assignee?: "none" | string;
                due?: "overdue" | "soon" | "none";
                section?: string;
                /** @description Items of one maturity level (an index into the project's levels). */
                level?: number;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemsPage"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postProjectsBySlugAssignments: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "items": [
                 *         {
                 *           "itemId": "00000000-0000-4000-8000-000000000000",
                 *           "expectedVersion": 1
                 *         }
                 *       ],
                 *       "assigneeId": "keep",
                 *       "dueDate": "2027-02-15",
                 *       "timeZone": "Europe/Berlin"
                 *     }
                 */
                "application/json": {
                    /** @description All or nothing: one outdated item refuses the lot with 409. */
                    items: {
                        /** Format: uuid */
                        itemId: string;
                        expectedVersion: number;
                    }[];
                    /** @default keep */
                    assigneeId?: string | "none" | "keep";
                    /**
                     * @description The end of that day in `timeZone`.
                     * @default keep
                     */
                    dueDate?: string | "none" | "keep";
                    /** @default UTC */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assigned"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getItemsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemDetail"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchItemsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "expectedVersion": 1,
                 *       "status": "DONE",
                 *       "link": "https://ci.example.com/builds/4512",
                 *       "note": "Restore drill passed."
                 *     }
                 */
                "application/json": {
                    expectedVersion: number;
                    /** @enum {string} */
                    status?: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED";
                    statusReason?: string;
                    /** @enum {string} */
                    area?: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL";
                    title?: string;
                    details?: string;
                    required?: boolean;
                    /** @description The item's maturity level, an index into the project's levels. */
                    level?: number;
                    /** @description Re-attestation: a done item's evidence must be renewed every so many days, or it goes back to TODO; null for never. Leads only. */
                    renewEveryDays?: number | null;
                    /** Format: uuid */
                    waiverRiskOwnerId?: string;
                    waiverControls?: string;
                    /**
                     * Format: date
                     * @description A calendar day, YYYY-MM-DD.
                     */
                    waiverExpiresAt?: string;
                    /** @description Recorded as evidence with this change. */
                    note?: string;
                    /**
                     * Format: uri
                     * @description Recorded as evidence with this change.
                     */
                    link?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemSaved"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postItemsByIdEvidence: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "expectedVersion": 1,
                 *       "kind": "LINK",
                 *       "url": "https://ci.example.com/builds/4512",
                 *       "note": "Restore drill passed."
                 *     }
                 */
                "application/json": {
                    expectedVersion: number;
                    /** @constant */
                    kind: "LINK";
                    /** Format: uri */
                    url: string;
                    note?: string;
                } | {
                    expectedVersion: number;
                    /** @constant */
                    kind: "NOTE";
                    note: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceAdded"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteItemsByIdEvidenceByEvidenceId: {
        parameters: {
            query: {
                expectedVersion: number;
            };
            header?: never;
            path: {
                id: string;
                evidenceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemVersion"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postItemsByIdComments: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "body": "Build 4512 restored last night's snapshot in 7 minutes."
                 *     }
                 */
                "application/json": {
                    body: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentAdded"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postProjectsBySlugItemsByIdResults: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                slug: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "status": "pass",
                 *       "summary": "Restored the nightly snapshot in 7 min.",
                 *       "url": "https://ci.example.com/builds/4512",
                 *       "facts": {
                 *         "minutes": 7,
                 *         "rows": 1204332
                 *       },
                 *       "markDone": true
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    status: "pass" | "fail";
                    /** @description What the run found, in a line. */
                    summary: string;
                    /**
                     * Format: uri
                     * @description Where to see the run (http or https).
                     */
                    url?: string;
                    /** @description Any JSON object (at most 16 KiB): status codes, versions, counts, dates. */
                    facts?: {
                        [key: string]: unknown;
                    };
                    /** @description A pass marks an open item done, with the result as its evidence. */
                    markDone?: boolean;
                    /** @description Damping: a failure after a pass counts (reopens a done item, makes sign-offs stale, notifies) only as the Nth in a row. Default 1: at once. */
                    failuresToReopen?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResultRecorded"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugSignoffs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signoffs"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugGate: {
        parameters: {
            query?: {
                /** @description `text`: the state alone on the first line (OPEN or CLOSED), then one reason per line. */
                format?: "json" | "text";
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Gate"];
                    "text/plain": unknown;
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugGoLiveByIdPackage: {
        parameters: {
            query?: {
                format?: "pdf" | "md";
            };
            header?: never;
            path: {
                slug: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": unknown;
                    "text/markdown": unknown;
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectsBySlugHistory: {
        parameters: {
            query?: {
                actor?: string;
                action?: "auth.sign_in" | "auth.sign_in_failed" | "auth.reauthenticated" | "auth.identity_linked" | "auth.sign_out" | "auth.sessions_ended" | "auth.password_reset_requested" | "auth.mfa_enrolled" | "auth.mfa_removed" | "auth.recovery_code_used" | "user.created" | "user.roles_changed" | "user.disabled" | "user.enabled" | "user.sign_in_link_created" | "user.password_set" | "user.password_changed" | "project.created" | "member.added" | "member.roles_changed" | "member.removed" | "team.created" | "team.updated" | "team.member_added" | "team.member_roles_changed" | "team.member_removed" | "project.team_changed" | "checklist.imported" | "checklist.upgraded" | "item.updated" | "item.waiver_accepted" | "item.waiver_declined" | "item.assigned" | "evidence.added" | "evidence.removed" | "comment.added" | "result.recorded" | "check.added" | "check.removed" | "signoff.given" | "signoff.stale" | "signoff.slots_changed" | "project.levels_changed" | "project.webhook_changed" | "notifications.read" | "user.preferences_changed" | "project.live" | "template.created" | "template.version_created" | "token.created" | "token.revoked" | "campaign.created" | "campaign.updated" | "campaign.started" | "campaign.applied" | "campaign.ended";
                entity?: "item" | "project" | "member" | "signoff" | "go_live" | "template" | "api_token" | "user" | "session";
                from?: string;
                to?: string;
                q?: string;
                before?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryPage"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditExport: {
        parameters: {
            query: {
                format: "csv" | "jsonl";
                project?: string;
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": unknown;
                    "application/x-ndjson": unknown;
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditVerify: {
        parameters: {
            query?: {
                /** @description A checkpoint's JSON, URL-encoded: the chain must still pass through it. */
                checkpoint?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyReport"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAuditVerify: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Checkpoint"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyReport"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkpoint"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateList"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTemplatesBySlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateDetail"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTemplatesBySlugVersionsById: {
        parameters: {
            query?: {
                format?: "json" | "md";
            };
            header?: never;
            path: {
                slug: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateVersion"];
                    "text/markdown": unknown;
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTemplatesBySlugVersions: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "expectedVersion": 1,
                 *       "markdown": "## Database\n\n- [ ] Backups restored in a drill\n"
                 *     }
                 */
                "application/json": {
                    /** @description The latest version you saw: someone else's newer version makes this 409. */
                    expectedVersion: number;
                    /** @description The whole checklist as Markdown. */
                    markdown: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateVersionCreated"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNotifications: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
                /** @description `true`: unread ones only. */
                unread?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postNotifications: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "ids": "all"
                 *     }
                 */
                "application/json": {
                    ids: "all" | string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        marked: number;
                    };
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNotificationsUnread: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnreadCount"];
                };
            };
            /** @description Not signed in, or the token is missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to you. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the record changed since you read it (`data.current` holds it now, where there is one). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad input: `fieldErrors` names each field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGateSh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/x-shellscript": unknown;
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The database or the instance is busy: see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
