import type { Actor } from "@/lib/policy";
import type { TokenCaller } from "@/lib/tokens/data";

/** The actor a project token acts as: itself, named, as an automation member of its one project with only its permissions. */
export function automationActor(token: TokenCaller & { projectId: string }): Actor {
  return {
    id: token.tokenId,
    name: `${token.name} (token ${token.prefix}…)`,
    email: "",
    globalRoles: [],
    leadsAProject: false,
    automation: { tokenId: token.tokenId, projectId: token.projectId, permissions: token.permissions },
  };
}
