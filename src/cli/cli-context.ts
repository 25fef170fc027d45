import fs from 'node:fs';
import os from 'node:os';
import { eq, ne, sql } from 'drizzle-orm';
import type { AuditActor } from '../server/audit/audit.ts';
import { PLATFORM_ZONE_ID } from '../server/audit/audit.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { AppServices } from '../server/context.ts';
import { deriveKeys, keyFilePath, loadMasterSecret } from '../server/crypto.ts';
import { openDatabase, type Database, type Db } from '../server/db/client.ts';
import { migrate } from '../server/db/migrate.ts';
import { zones } from '../server/modules/org/org.schema.ts';
import { users } from '../server/modules/users/users.schema.ts';
import { CliError } from './cli-errors.ts';

export const CLI_ACTOR_NAME = 'qibu-cli';

/** A closed stdout (`qibu backup x | head -1`) must not abort a command half-way: output just stops. */
export const out = (line = '') => {
  if (!process.stdout.destroyed) process.stdout.write(`${line}\n`);
};
export const warn = (line: string) => process.stderr.write(`qibu: ${line}\n`);

/**
 * How a command treats the schema: `migrate` brings it up to date first, `require` refuses a database that was
 * never migrated (a wrong QIBU_DATA_DIR or DATABASE_URL, most likely), `any` leaves it alone.
 */
export type SchemaMode = 'migrate' | 'require' | 'any';

/** Opens the configured database (QIBU_DATA_DIR or DATABASE_URL). */
export function cliConfig(): Config {
  return { ...loadConfig(), logLevel: 'silent' };
}

export async function openCliDatabase(schema: SchemaMode): Promise<{ config: Config; database: Database }> {
  const config = cliConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    if (schema === 'migrate') await migrate(database.db);
    if (schema === 'require') await assertMigrated(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return { config, database };
}

async function assertMigrated(db: Db): Promise<void> {
  const result = (await db.execute(sql`select to_regclass('public.qibu_migrations') is not null as ok`)) as unknown as { rows: { ok: boolean }[] };
  if (!result.rows[0]?.ok) throw new CliError('the database has no Qibu schema yet; run `qibu migrate` first (or point QIBU_DATA_DIR / DATABASE_URL at the right database)');
}

/**
 * The secret must already exist: backup, restore and verify with a freshly generated key would produce an archive
 * or a verdict that belongs to no data. (loadMasterSecret would quietly create a new key file.)
 */
export function assertKeyAvailable(config: Config): void {
  if (config.secretKey) return;
  if (fs.existsSync(keyFilePath(config.dataDir))) return;
  throw new CliError(
    `no secret key: set QIBU_SECRET_KEY, or copy the key file of the original installation to ${keyFilePath(config.dataDir)} (mode 600). ` +
      'The audit chain and the encrypted personal data can only be read with the same key.',
  );
}

/**
 * The services a command needs, built like app.ts's makeServices. Not imported from there on purpose: app.ts
 * pulls in Fastify and every route module, which costs each CLI run seconds of start-up for nothing.
 */
export function cliServices(config: Config, database: Database): AppServices {
  const keys = deriveKeys(loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir }));
  return { database, db: database.db, keys, config, now: () => new Date() };
}

/** Runs `work` with the app's services over a freshly opened database, and always closes it. */
export async function withServices<T>(opts: { schema: SchemaMode; requireKey?: boolean }, work: (s: AppServices) => Promise<T>): Promise<T> {
  const { config, database } = await openCliDatabase(opts.schema);
  try {
    if (opts.requireKey) assertKeyAvailable(config);
    return await work(cliServices(config, database));
  } finally {
    await database.close();
  }
}

/** Who did it, for the audit trail: the CLI, as a system actor, noting the operating-system account. */
export function cliActor(zoneId: string): AuditActor {
  return { zoneId, actorId: null, actorName: CLI_ACTOR_NAME, actorRole: 'system', ip: null, requestId: null };
}

export function osUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    // Containers may run under a uid with no passwd entry.
    return null;
  }
}

export interface ZoneRef {
  id: string;
  code: string;
  name: string;
}

/** A zone by its code (qibuqu for the demo, main after web setup); the error lists the codes there are. */
export async function findZone(db: Db, code: string): Promise<ZoneRef> {
  const [zone] = await db.select({ id: zones.id, code: zones.code, name: zones.name }).from(zones).where(eq(zones.code, code));
  if (zone && zone.id !== PLATFORM_ZONE_ID) return zone;
  const all = await db.select({ code: zones.code, name: zones.name }).from(zones).where(ne(zones.id, PLATFORM_ZONE_ID)).orderBy(zones.code);
  const known = all.length ? all.map((z) => `${z.code} (${z.name})`).join(', ') : 'none yet — run `qibu demo` or the web setup';
  throw new CliError(`no zone with code '${code}'. Zones: ${known}`);
}

export type UserRow = typeof users.$inferSelect;

/** A user by sign-in name (unique across the deployment, case-insensitive). */
export async function findUser(db: Db, username: string): Promise<UserRow> {
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  if (!user) throw new CliError(`no user named '${username}'`);
  return user;
}

export async function zoneCodes(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ id: zones.id, code: zones.code }).from(zones);
  return new Map(rows.map((r) => [r.id, r.code]));
}
