import type { Role } from '../../../shared/roles.ts';
import { BUSINESS_ROLES } from '../../../shared/roles.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { loadProjectInScope, projectCan } from '../projects/projects.policy.ts';

/**
 * Who may see and change a file is decided by what it belongs to (`stored_files.owner_type`, `owner_id`). Each
 * owner type registers here how to resolve a caller's access to one owner record; a module adding files to its
 * records (problems, meetings, monthly reports) calls `registerFileOwner` once at load time and
 * `registerOwnerFileRoutes` (files.routes.ts) for its upload and list endpoints.
 */
export interface FileOwnerAccess {
  /** May the caller add and delete this owner's files? (Reading is implied: resolve throws 404 otherwise.) */
  canWrite: boolean;
  /**
   * Keys written into the audit row of every upload and delete, so timelines find it (the project timeline
   * reads `after.projectId`). E.g. `{ projectId }`; a monthly report's files would give its project's id too.
   */
  auditRef: Record<string, string>;
}

export interface FileOwnerType {
  /** Resolves the caller's access to one owner, or throws notFound() when the caller may not read it. */
  resolve(s: AppServices, caller: Caller, ownerId: string): Promise<FileOwnerAccess>;
}

const owners = new Map<string, FileOwnerType>();

export function registerFileOwner(ownerType: string, def: FileOwnerType): void {
  if (owners.has(ownerType)) throw new Error(`files: owner type ${ownerType} registered twice`);
  owners.set(ownerType, def);
}

/** The caller's access to an owner; an unknown owner type, or one the caller may not read, answers 404. */
export async function resolveFileOwner(s: AppServices, caller: Caller, ownerType: string, ownerId: string): Promise<FileOwnerAccess> {
  const def = owners.get(ownerType);
  if (!def) throw notFound();
  return def.resolve(s, caller, ownerId);
}

registerFileOwner('project', {
  async resolve(s, caller, ownerId) {
    const { project, scope } = await loadProjectInScope(s, caller, ownerId);
    return { canWrite: projectCan(scope, project).update, auditRef: { projectId: project.id } };
  },
});

/**
 * Route-level roles of GET/DELETE /api/files/{id}: every business role (an enterprise contact may one day add
 * files to its own requests); the owner decides the rest. The three admins (三员分立) never reach business files.
 */
export const FILE_ROLES: readonly Role[] = BUSINESS_ROLES;

/**
 * The zone's own staff get images as uploaded (the original, with its metadata, is evidence). Everyone else —
 * enterprise contacts, and any future public or big-screen use — gets only the clean copy without metadata.
 */
const ZONE_STAFF: Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent'];

export function seesOriginalImages(caller: Caller): boolean {
  return hasRole(caller, ...ZONE_STAFF);
}
