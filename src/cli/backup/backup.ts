import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import * as tar from 'tar';
import { PLATFORM_ZONE_ID, writeAudit } from '../../server/audit/audit.ts';
import type { AppServices } from '../../server/context.ts';
import { queryRows, type Db } from '../../server/db/client.ts';
import { CliError } from '../cli-errors.ts';
import { cliActor, osUser } from '../cli-context.ts';
import { listTables, quoteIdent, type TableInfo } from './catalog.ts';
import { countFiles, filesDir } from './files.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  FILES_DIR,
  keyCheckOf,
  MANIFEST_FILE,
  qibuVersion,
  tableFile,
  TABLES_DIR,
  type Manifest,
  type ManifestTable,
} from './manifest.ts';

const FETCH_ROWS = 2000;

/** The row as JSON text, json/jsonb columns as their text (see manifest.ts), generated columns left out. */
function rowJsonQuery(t: TableInfo): string {
  const list = t.columns.map((c) => (c.json ? `${quoteIdent(c.name)}::text as ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ');
  return `select row_to_json(x)::text as j from (select ${list} from ${quoteIdent(t.name)}) x`;
}

/** Streams one table through a cursor into a JSON-lines file; returns the row count. */
async function dumpTable(tx: Db, t: TableInfo, file: string): Promise<number> {
  const handle = await fs.promises.open(file, 'wx', 0o600);
  let rows = 0;
  try {
    await tx.execute(sql.raw(`declare qibu_dump no scroll cursor for ${rowJsonQuery(t)}`));
    for (;;) {
      const batch = await queryRows<{ j: string }>(tx, sql.raw(`fetch forward ${FETCH_ROWS} from qibu_dump`));
      if (batch.length === 0) break;
      await handle.write(batch.map((r) => `${r.j}\n`).join(''));
      rows += batch.length;
    }
    await tx.execute(sql.raw('close qibu_dump'));
  } finally {
    await handle.close();
  }
  return rows;
}

interface Snapshot {
  migrations: string[];
  serverVersion: string;
  tables: ManifestTable[];
}

/** Every table from one repeatable-read snapshot, so rows across tables (and the audit chain heads) agree. */
async function dumpDatabase(db: Db, staging: string): Promise<Snapshot> {
  return db.transaction(
    async (tx) => {
      const hasJournal = await queryRows<{ ok: boolean }>(tx, sql`select to_regclass('public.qibu_migrations') is not null as ok`);
      if (!hasJournal[0]?.ok) throw new CliError('the database has no Qibu schema; nothing to back up');
      const migrations = (await queryRows<{ tag: string }>(tx, sql`select tag from qibu_migrations order by tag`)).map((r) => r.tag);
      const [version] = await queryRows<{ v: string }>(tx, sql`select current_setting('server_version') as v`);
      const tables: ManifestTable[] = [];
      for (const t of await listTables(tx)) {
        const rows = await dumpTable(tx, t, path.join(staging, tableFile(t.name)));
        tables.push({ name: t.name, rows, columns: t.columns });
      }
      return { migrations, serverVersion: version?.v ?? 'unknown', tables };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Packs staging (manifest, tables) and the data directory's files into one tar.gz. tar takes paths relative to a
 * single cwd, so both trees are added relative to / and renamed on their way into the archive.
 */
async function pack(staging: string, files: string | null, target: string): Promise<void> {
  const rel = (p: string) => path.relative('/', p);
  const stagingRel = rel(staging);
  const filesRel = files ? rel(files) : null;
  const entries = [path.join(stagingRel, MANIFEST_FILE), path.join(stagingRel, TABLES_DIR), ...(filesRel ? [filesRel] : [])];
  await tar.c(
    {
      gzip: true,
      file: target,
      cwd: '/',
      portable: true,
      mode: 0o600,
      onWriteEntry(entry) {
        if (entry.path === stagingRel || entry.path.startsWith(`${stagingRel}/`)) entry.path = entry.path.slice(stagingRel.length + 1);
        else if (filesRel && (entry.path === filesRel || entry.path.startsWith(`${filesRel}/`))) entry.path = FILES_DIR + entry.path.slice(filesRel.length);
      },
    },
    entries,
  );
}

export interface BackupResult {
  manifest: Manifest;
  bytes: number;
}

/** Writes a backup archive to `target` (refusing to overwrite), then audits it in the platform zone. */
export async function writeBackup(s: AppServices, target: string): Promise<BackupResult> {
  if (fs.existsSync(target)) throw new CliError(`${target} exists already; choose a new file name`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-backup-'));
  // Written under a temporary name: a backup that failed half-way never looks like a complete one.
  const partial = `${target}.partial`;
  try {
    fs.mkdirSync(path.join(staging, TABLES_DIR));
    const snapshot = await dumpDatabase(s.db, staging);
    const files = filesDir(s.config.dataDir);
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      qibuVersion: qibuVersion(),
      engine: s.database.kind,
      serverVersion: snapshot.serverVersion,
      migrations: snapshot.migrations,
      keyCheck: keyCheckOf(s.keys),
      tables: snapshot.tables,
      files: countFiles(files),
    };
    fs.writeFileSync(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    fs.rmSync(partial, { force: true });
    await pack(staging, fs.existsSync(files) ? files : null, partial);
    fs.renameSync(partial, target);
    await auditBackup(s, target, manifest);
    return { manifest, bytes: fs.statSync(target).size };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A backup copies every zone's personal data (encrypted) out of the system: that is audited. */
async function auditBackup(s: AppServices, target: string, m: Manifest): Promise<void> {
  const rows = m.tables.reduce((n, t) => n + t.rows, 0);
  await s.db.transaction((tx) =>
    writeAudit(tx, s.keys.auditKey, cliActor(PLATFORM_ZONE_ID), {
      action: 'system.backup',
      entityType: 'system',
      entityId: null,
      after: { file: path.basename(target), createdAt: m.createdAt, tables: m.tables.length, rows, files: m.files.count, via: 'cli', osUser: osUser() },
    }),
  );
}
