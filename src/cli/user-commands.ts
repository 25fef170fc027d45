import { parseArgs, type ParseArgsConfig } from 'node:util';
import { and, eq, or, sql } from 'drizzle-orm';
import { ROLES, rolesConflict, type Role } from '../shared/roles.ts';
import { writeAudit } from '../server/audit/audit.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { revokeUserSessions } from '../server/auth/sessions.ts';
import { getSecuritySettings } from '../server/auth/settings.ts';
import type { AppServices } from '../server/context.ts';
import type { Db } from '../server/db/client.ts';
import { pgErrorCode } from '../server/errors.ts';
import { enterprises, units } from '../server/modules/org/org.schema.ts';
import { USERNAME_PATTERN } from '../server/modules/setup/setup.dto.ts';
import { userRoles, users } from '../server/modules/users/users.schema.ts';
import { CliError, UsageError } from './cli-errors.ts';
import { cliActor, findUser, findZone, osUser, out, warn, withServices, type UserRow } from './cli-context.ts';
import { assertPolicy, readPasswordFromStdin, temporaryPassword } from './passwords.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') return createUserCommand(rest);
  if (sub === 'disable') return disableUserCommand(rest);
  if (sub === 'reset-password') return resetPasswordCommand(rest);
  throw new UsageError(`usage: qibu user create|disable|reset-password … (got ${sub ? `'${sub}'` : 'nothing'}); see qibu help`);
}

/** A unit of the zone by exact name (or id); names repeat under different parents, so ambiguity is an error. */
async function findUnit(db: Db, zoneId: string, nameOrId: string): Promise<string> {
  const match = UUID.test(nameOrId) ? or(eq(units.name, nameOrId), eq(units.id, nameOrId)) : eq(units.name, nameOrId);
  const rows = await db.select({ id: units.id }).from(units).where(and(eq(units.zoneId, zoneId), match));
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) throw new CliError(`no unit named '${nameOrId}' in this zone`);
  throw new CliError(`${rows.length} units are named '${nameOrId}'; pass the unit id instead: ${rows.map((r) => r.id).join(', ')}`);
}

/** An enterprise of the zone by unified social credit code or exact name. */
async function findEnterprise(db: Db, zoneId: string, codeOrName: string): Promise<string> {
  const rows = await db
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(and(eq(enterprises.zoneId, zoneId), or(eq(enterprises.creditCode, codeOrName.toUpperCase()), eq(enterprises.name, codeOrName))));
  if (rows.length === 1) return rows[0]!.id;
  throw new CliError(rows.length ? `'${codeOrName}' names several enterprises; use the credit code` : `no enterprise '${codeOrName}' in this zone`);
}

function parseRoles(values: string[] | undefined): Role[] {
  if (!values?.length) throw new UsageError('at least one --role is required');
  const unknown = values.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown role ${unknown.join(', ')}; roles: ${ROLES.join(', ')}`);
  const roles = ROLES.filter((r) => values.includes(r));
  if (rolesConflict(roles)) throw new CliError('separation of duties (三员分立): an admin role cannot be combined with any other role');
  return roles;
}

async function passwordFrom(values: { password?: string | undefined; 'password-stdin'?: boolean | undefined }, required: boolean): Promise<string | null> {
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('give either --password or --password-stdin, not both');
  if (values['password-stdin']) return readPasswordFromStdin();
  if (values.password !== undefined) {
    warn('a password on the command line can end up in shell history and process lists; prefer --password-stdin');
    return values.password;
  }
  if (required) throw new UsageError('a password is required: --password-stdin (preferred) or --password <p>');
  return null;
}

async function createUserCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      zone: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      unit: { type: 'string' },
      enterprise: { type: 'string' },
      title: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  if (!values.zone) throw new UsageError('--zone <code> is required');
  if (!values.username || !new RegExp(USERNAME_PATTERN).test(values.username)) throw new UsageError('--username is required: 3–64 letters, digits, dots, dashes or underscores');
  if (!values.name?.trim()) throw new UsageError('--name <display name> is required');
  const roles = parseRoles(values.role);
  if (roles.includes('enterprise_contact') && !values.enterprise) throw new UsageError('an enterprise_contact needs --enterprise <credit code or name>');
  const password = (await passwordFrom(values, true))!;
  const input = { zone: values.zone, username: values.username, displayName: values.name.trim(), title: values.title ?? null, roles, unit: values.unit, enterprise: values.enterprise };
  return withServices({ schema: 'require', requireKey: true }, async (s) => {
    const user = await createUser(s, input, password);
    out(`created user ${user.username} (${user.id}) in zone ${input.zone} with role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}`);
    out('the user must choose a new password at first sign-in' + (roles.some((r) => r.endsWith('_admin')) ? ' and, outside the demo zone, enrol an authenticator (TOTP)' : ''));
    return 0;
  });
}

interface NewUser {
  zone: string;
  username: string;
  displayName: string;
  title: string | null;
  roles: Role[];
  unit: string | undefined;
  enterprise: string | undefined;
}

/** Like POST /api/users: policy-checked password, to be changed at first sign-in; user, roles and audit row in one transaction. */
export async function createUser(s: AppServices, input: NewUser, password: string): Promise<{ id: string; username: string }> {
  const zone = await findZone(s.db, input.zone);
  const unitId = input.unit ? await findUnit(s.db, zone.id, input.unit) : null;
  const enterpriseId = input.enterprise ? await findEnterprise(s.db, zone.id, input.enterprise) : null;
  const settings = await getSecuritySettings(s.db, zone.id);
  assertPolicy(password, { minLength: settings.passwordMinLength, minClasses: settings.passwordMinClasses });
  const passwordHash = await hashPassword(password);
  try {
    return await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ zoneId: zone.id, username: input.username, displayName: input.displayName, title: input.title, unitId, enterpriseId, passwordHash, mustChangePassword: true })
        .returning({ id: users.id, username: users.username });
      await tx.insert(userRoles).values(input.roles.map((role) => ({ zoneId: zone.id, userId: row!.id, role })));
      await writeAudit(tx, s.keys.auditKey, cliActor(zone.id), {
        action: 'user.create',
        entityType: 'user',
        entityId: row!.id,
        after: { username: input.username, displayName: input.displayName, roles: input.roles, unitId, enterpriseId, via: 'cli', osUser: osUser() },
      });
      return row!;
    });
  } catch (err) {
    if (pgErrorCode(err) === '23505') throw new CliError(`the username '${input.username}' is taken (usernames are unique across the deployment, ignoring case)`);
    throw err;
  }
}

function oneUsername(args: string[], extra: NonNullable<ParseArgsConfig['options']> = {}) {
  const parsed = parseArgs({ args, strict: true, allowPositionals: true, options: extra });
  if (parsed.positionals.length !== 1) throw new UsageError('give exactly one username');
  return { username: parsed.positionals[0]!, values: parsed.values as Record<string, string | boolean | undefined> };
}

async function disableUserCommand(args: string[]): Promise<number> {
  const { username } = oneUsername(args);
  return withServices({ schema: 'require', requireKey: true }, async (s) => {
    const user = await findUser(s.db, username);
    if (user.disabled) {
      out(`${user.username} is already disabled`);
      return 0;
    }
    const ended = await disableUser(s, user);
    out(`disabled ${user.username}; ended ${ended} session${ended === 1 ? '' : 's'}`);
    return 0;
  });
}

/** Disabling ends the user's sessions, in the transaction that disables and audits. */
export async function disableUser(s: AppServices, user: UserRow): Promise<number> {
  const now = s.now();
  return s.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ disabled: true, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)));
    const ended = await revokeUserSessions(tx, user.zoneId, user.id, 'disabled', now);
    await writeAudit(tx, s.keys.auditKey, cliActor(user.zoneId), {
      action: 'user.disable',
      entityType: 'user',
      entityId: user.id,
      before: { disabled: false },
      after: { disabled: true, sessionsEnded: ended, via: 'cli', osUser: osUser() },
    });
    return ended;
  });
}

async function resetPasswordCommand(args: string[]): Promise<number> {
  const { username, values } = oneUsername(args, { password: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
  const given = await passwordFrom(values as { password?: string; 'password-stdin'?: boolean }, false);
  return withServices({ schema: 'require', requireKey: true }, async (s) => {
    const user = await findUser(s.db, username);
    const settings = await getSecuritySettings(s.db, user.zoneId);
    const policy = { minLength: settings.passwordMinLength, minClasses: settings.passwordMinClasses };
    const password = given ?? temporaryPassword(policy);
    assertPolicy(password, policy);
    const ended = await resetPassword(s, user, password, given === null);
    if (given === null) out(`temporary password for ${user.username}: ${password}`);
    else out(`password of ${user.username} reset`);
    out(`${user.username} must choose a new password at next sign-in; ended ${ended} session${ended === 1 ? '' : 's'}; lockout cleared`);
    return 0;
  });
}

/** An operator's reset: new password to be changed at next sign-in, lockout cleared, every session ended. */
export async function resetPassword(s: AppServices, user: UserRow, password: string, generated: boolean): Promise<number> {
  const passwordHash = await hashPassword(password);
  const now = s.now();
  return s.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, mustChangePassword: true, failedSignIns: 0, lockedUntil: null, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)));
    const ended = await revokeUserSessions(tx, user.zoneId, user.id, 'password_reset', now);
    await writeAudit(tx, s.keys.auditKey, cliActor(user.zoneId), {
      action: 'user.reset_password',
      entityType: 'user',
      entityId: user.id,
      after: { mustChangePassword: true, sessionsEnded: ended, lockoutCleared: true, generated, via: 'cli', osUser: osUser() },
    });
    return ended;
  });
}
