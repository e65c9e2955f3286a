/**
 * Permissions are typed strings `action:entity`, granted per organisation role. Checked on the server by the
 * guards (app/platform/auth/guards.server.ts); reused in the UI only to hide controls.
 */
export type OrgRole = "ADMIN" | "SECRETARIAT" | "MEMBER" | "OBSERVER";

export type Permission =
  | "read:certification"
  | "write:certification"
  | "read:candidate"
  | "write:candidate"
  | "read:dossier"
  | "write:dossier"
  | "read:planning"
  | "write:planning"
  | "read:outbox"
  | "manage:users";

const SECRETARIAT: readonly Permission[] = [
  "read:certification",
  "write:certification",
  "read:candidate",
  "write:candidate",
  "read:dossier",
  "write:dossier",
  "read:planning",
  "write:planning",
  "read:outbox",
];

export const ROLE_PERMISSIONS: Record<OrgRole, ReadonlySet<Permission>> = {
  ADMIN: new Set<Permission>([...SECRETARIAT, "manage:users"]),
  SECRETARIAT: new Set(SECRETARIAT),
  // Members and observers reach sessions through their seats, not through organisation permissions.
  MEMBER: new Set<Permission>(["read:certification"]),
  OBSERVER: new Set<Permission>(["read:certification"]),
};

export const ALL_PERMISSIONS: readonly Permission[] = [...ROLE_PERMISSIONS.ADMIN];

export function hasPermission(role: OrgRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export const ORG_ROLE_LABELS: Record<OrgRole, string> = {
  ADMIN: "Administration",
  SECRETARIAT: "Secrétariat",
  MEMBER: "Membre (évaluateur, juré)",
  OBSERVER: "Observateur",
};
