import type { Role } from '../shared/roles.ts';
import type { AuditActor } from './audit/audit.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Keys } from './crypto.ts';

/** What every service needs: the database, the keys and the configuration. Built once in buildApp. */
export interface AppServices {
  database: Database;
  db: Db;
  keys: Keys;
  config: Config;
  /** Injected clock so tests and the scheduler can move time. */
  now: () => Date;
}

/** The signed-in person making a request, with what decides their data scope. */
export interface Caller {
  zoneId: string;
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  enterpriseId: string | null;
  /** HQs the person belongs to (any member role), and those they lead (leader or deputy). */
  commandIds: string[];
  ledCommandIds: string[];
  sessionId: string;
  ip: string | null;
  requestId: string;
}

export function hasRole(caller: Caller, ...roles: Role[]): boolean {
  return caller.roles.some((r) => roles.includes(r));
}

export function auditActorOf(caller: Caller): AuditActor {
  return {
    zoneId: caller.zoneId,
    actorId: caller.userId,
    actorName: caller.displayName,
    actorRole: caller.roles.join(','),
    ip: caller.ip,
    requestId: caller.requestId,
  };
}
