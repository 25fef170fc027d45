import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { PLATFORM_ZONE_ID } from '../../server/audit/audit.ts';
import { queryRows, type Db } from '../../server/db/client.ts';
import { CliError } from '../cli-errors.ts';
import { DERIVED_TABLES, insertOrder, listForeignKeys, listTables, parentsFirst, quoteIdent, type ForeignKey, type TableInfo } from './catalog.ts';
import { tableFile, type Manifest, type ManifestTable } from './manifest.ts';

/** Rows per INSERT, and a cap on the JSON text of one batch. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The target must hold nothing but what migrating created (the platform zone row). Restore never merges: a
 * second copy of an audit chain, or two zones' worth of users, is not something to sort out afterwards.
 */
export async function assertEmpty(tx: Db, tables: TableInfo[]): Promise<void> {
  for (const t of tables) {
    const where = t.name === 'zones' ? sql.raw(` where id <> '${PLATFORM_ZONE_ID}'`) : sql.raw('');
    const [row] = await queryRows<{ n: boolean }>(tx, sql`select exists(select 1 from ${sql.raw(quoteIdent(t.name))}${where}) as n`);
    if (row?.n) {
      throw new CliError(
        `the target database is not empty (table ${t.name} has rows). Restore only into a new, empty database or data directory ` +
          '(and do not start the server on it before restoring, or start it with QIBU_DEMO=0 and do not sign in).',
      );
    }
  }
}

/** One INSERT … SELECT from json_to_recordset: PostgreSQL parses the dumped text itself, so values stay exact. */
async function insertBatch(tx: Db, t: TableInfo, columns: string[], lines: string[]): Promise<void> {
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const defs = columns.map((c) => `${quoteIdent(c)} ${byName.get(c)!.json ? 'text' : byName.get(c)!.type}`).join(', ');
  const select = columns.map((c) => (byName.get(c)!.json ? `${quoteIdent(c)}::${byName.get(c)!.type}` : quoteIdent(c))).join(', ');
  const target = `${quoteIdent(t.name)} (${columns.map(quoteIdent).join(', ')})${t.identityAlways ? ' overriding system value' : ''}`;
  const json = `[${lines.join(',')}]`;
  await tx.execute(sql`insert into ${sql.raw(target)} select ${sql.raw(select)} from json_to_recordset(${json}::json) as x(${sql.raw(defs)})`);
}

async function* readLines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) if (line.length) yield line;
}

async function* batches(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for await (const line of lines) {
    batch.push(line);
    bytes += line.length;
    if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) yield batch;
}

/** Inserts one table's dump; tables that refer to themselves are loaded whole and sorted parents first. */
async function restoreTable(tx: Db, staging: string, t: TableInfo, m: ManifestTable, selfKeys: ForeignKey[]): Promise<void> {
  const known = new Set(t.columns.map((c) => c.name));
  const unknown = m.columns.filter((c) => !known.has(c.name)).map((c) => c.name);
  if (unknown.length) throw new CliError(`table ${t.name}: the backup has columns this schema lacks (${unknown.join(', ')})`);
  const columns = m.columns.map((c) => c.name);
  const file = path.join(staging, tableFile(t.name));
  if (!fs.existsSync(file)) throw new CliError(`the archive lacks ${tableFile(t.name)}`);
  let source: AsyncIterable<string> | Iterable<string> = readLines(file);
  if (selfKeys.length) {
    const all: string[] = [];
    for await (const line of readLines(file)) all.push(line);
    source = parentsFirst(all, selfKeys);
  }
  for await (const batch of batches(source)) await insertBatch(tx, t, columns, batch);
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.raw(quoteIdent(t.name))}`);
  if (Number(row?.n) !== m.rows) throw new CliError(`table ${t.name}: restored ${row?.n} rows, the manifest lists ${m.rows}; the archive is damaged`);
}

/** Serial and identity sequences continue after the restored values instead of colliding with them. */
async function resetSequences(tx: Db): Promise<void> {
  const seqs = await queryRows<{ tbl: string; col: string; seq: string }>(
    tx,
    sql`select c.relname as tbl, a.attname as col, pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as seq
          from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
           and pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) is not null`,
  );
  for (const s of seqs) {
    const max = `(select max(${quoteIdent(s.col)}) from ${quoteIdent(s.tbl)})`;
    await tx.execute(sql`select setval(${s.seq}, coalesce(${sql.raw(max)}, 1), ${sql.raw(max)} is not null)`);
  }
}

/** Loads every table of the backup into the (empty, migrated to the backup's level) database, in FK-safe order. */
export async function restoreRows(tx: Db, staging: string, manifest: Manifest): Promise<void> {
  const tables = await listTables(tx);
  await assertEmpty(tx, tables);
  const byName = new Map(tables.map((t) => [t.name, t]));
  manifest = { ...manifest, tables: manifest.tables.filter((t) => !DERIVED_TABLES.has(t.name)) };
  const missing = manifest.tables.filter((t) => !byName.has(t.name)).map((t) => t.name);
  if (missing.length) throw new CliError(`the backup has tables this schema lacks: ${missing.join(', ')}`);
  // The migration created the platform zone; the backup's own row (same id) replaces it exactly.
  if (manifest.tables.some((t) => t.name === 'zones')) await tx.execute(sql`delete from zones where id = ${PLATFORM_ZONE_ID}`);
  const fks = await listForeignKeys(tx);
  const order = insertOrder(
    manifest.tables.map((t) => t.name),
    fks,
  );
  for (const name of order) {
    const selfKeys = fks.filter((fk) => fk.table === name && fk.refTable === name);
    await restoreTable(tx, staging, byName.get(name)!, manifest.tables.find((t) => t.name === name)!, selfKeys);
  }
  await resetSequences(tx);
}
