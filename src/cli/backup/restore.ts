import fs from 'node:fs';
import path from 'node:path';
import { isNotNull, sql } from 'drizzle-orm';
import * as tar from 'tar';
import { PLATFORM_ZONE_ID, verifyAudit, writeAudit, type VerifyReport } from '../../server/audit/audit.ts';
import type { AppServices } from '../../server/context.ts';
import { decrypt } from '../../server/crypto.ts';
import { queryRows, type Db } from '../../server/db/client.ts';
import { listMigrations, migrate, MIGRATION_LOCK } from '../../server/db/migrate.ts';
import { enterprises } from '../../server/modules/org/org.schema.ts';
import { users } from '../../server/modules/users/users.schema.ts';
import { CliError } from '../cli-errors.ts';
import { cliActor, osUser } from '../cli-context.ts';
import { filesDir, moveFilesInto } from './files.ts';
import { FILES_DIR, readManifest, type Manifest } from './manifest.ts';
import { restoreRows } from './restore-data.ts';

/** The advisory lock db/migrate.ts takes (not exported there): restore migrates under the same one. */

/** Unpacks the archive into a staging directory inside the data directory (so files can be renamed into place). */
export async function unpack(file: string, dataDir: string): Promise<string> {
  if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dataDir, '.restore-'));
  try {
    // tar strips absolute paths and `..` by default, so an archive cannot write outside staging.
    await tar.x({ file, cwd: staging, strict: true });
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new CliError(`cannot read ${file} as a Qibu backup (tar.gz): ${(err as Error).message}`);
  }
  return staging;
}

async function appliedTags(db: Db): Promise<string[]> {
  const [exists] = await queryRows<{ ok: boolean }>(db, sql`select to_regclass('public.qibu_migrations') is not null as ok`);
  if (!exists?.ok) return [];
  return (await queryRows<{ tag: string }>(db, sql`select tag from qibu_migrations order by tag`)).map((r) => r.tag);
}

const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((t, i) => b[i] === t);

/**
 * The data must meet the schema it was dumped from: restore migrates the empty database to the backup's level,
 * loads the rows, then applies the newer migrations (which may transform them). So the backup's migrations must
 * be a prefix of this version's, and the target must not be migrated beyond the backup.
 */
export async function checkMigrationLevels(db: Db, manifest: Manifest): Promise<void> {
  const known = listMigrations().map((m) => m.tag);
  if (!isPrefix(manifest.migrations, known)) {
    throw new CliError(`the backup was made by a newer Qibu (migrations ${manifest.migrations.filter((t) => !known.includes(t)).join(', ')} unknown here); upgrade Qibu first`);
  }
  const applied = await appliedTags(db);
  if (!isPrefix(applied, manifest.migrations)) {
    throw new CliError('the target database was migrated beyond the backup; restore into a new database that was never migrated or started');
  }
}

async function migrateTo(tx: Db, tags: string[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  await tx.execute(sql`create table if not exists qibu_migrations (tag text primary key, applied_at timestamptz not null default now())`);
  const done = new Set(await appliedTags(tx));
  for (const m of listMigrations()) {
    if (!tags.includes(m.tag) || done.has(m.tag)) continue;
    for (const statement of m.statements) await tx.execute(sql.raw(statement));
    await tx.execute(sql`insert into qibu_migrations (tag) values (${m.tag})`);
  }
}

/** Migrate to the backup's level, load every row, migrate the rest, note the restore: one transaction. */
export async function restoreDatabase(s: AppServices, staging: string, manifest: Manifest, opts: { file: string; keyMatches: boolean }): Promise<string[]> {
  return s.db.transaction(async (tx) => {
    await migrateTo(tx, manifest.migrations);
    await restoreRows(tx, path.resolve(staging), manifest);
    const later = await migrate(tx);
    // With a different key the new row could not join the restored chain; the warning says so instead.
    if (opts.keyMatches) {
      await writeAudit(tx, s.keys.auditKey, cliActor(PLATFORM_ZONE_ID), {
        action: 'system.restore',
        entityType: 'system',
        entityId: null,
        after: { file: path.basename(opts.file), backupCreatedAt: manifest.createdAt, fromEngine: manifest.engine, migratedAfterRestore: later, via: 'cli', osUser: osUser() },
      });
    }
    return later;
  });
}

export function restoreFiles(staging: string, dataDir: string): void {
  moveFilesInto(path.join(staging, FILES_DIR), filesDir(dataDir));
}

export interface AfterRestoreCheck {
  audit: VerifyReport;
  /** null when no encrypted value exists to try. */
  decrypts: boolean | null;
}

/** Proves the key: the audit chains verify and one stored ciphertext decrypts. */
export async function checkRestored(s: AppServices): Promise<AfterRestoreCheck> {
  const audit = await verifyAudit(s.db, s.keys.auditKey);
  const [user] = await s.db.select({ v: users.phoneEnc }).from(users).where(isNotNull(users.phoneEnc)).limit(1);
  const [enterprise] = user ? [] : await s.db.select({ v: enterprises.contactPhoneEnc }).from(enterprises).where(isNotNull(enterprises.contactPhoneEnc)).limit(1);
  const sample = user?.v ?? enterprise?.v ?? null;
  if (!sample) return { audit, decrypts: null };
  try {
    decrypt(s.keys, sample);
    return { audit, decrypts: true };
  } catch {
    return { audit, decrypts: false };
  }
}

export { readManifest };
