import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../server/db/client.ts';
import { CliError } from '../cli-errors.ts';

/**
 * What backup and restore need to know about the tables, read from PostgreSQL's catalog rather than from
 * schema.ts: the catalog also knows tables made by custom SQL migrations, and at restore time it describes the
 * schema exactly as migrated to the backup's level.
 */

export interface ColumnInfo {
  name: string;
  /** format_type(): `timestamp(6) with time zone`, `text[]`, … */
  type: string;
  /** json/jsonb travel as their text, so that JSON null and numbers like 1.0 come back byte for byte. */
  json: boolean;
}

export interface TableInfo {
  name: string;
  /** Stored columns only: generated columns are recomputed by PostgreSQL on insert. */
  columns: ColumnInfo[];
  /** An `identity always` column needs OVERRIDING SYSTEM VALUE to take the backed-up value. */
  identityAlways: boolean;
}

export interface ForeignKey {
  table: string;
  refTable: string;
  columns: string[];
  refColumns: string[];
}

/**
 * Tables kept by the database's triggers from other tables (drizzle/0004, 0010): never typed, so not backed up; the
 * restored source rows (monthly reports, problems) rebuild them. An older archive that lists them: they are ignored.
 */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(['project_report_totals', 'problem_day_counts', 'problem_open_counts']);

/** Tables outside the data: the migration journal is rebuilt by migrating; derived tables are rebuilt by restoring. */
const SKIPPED_TABLES = new Set(['qibu_migrations', ...DERIVED_TABLES]);

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function listTables(db: Db): Promise<TableInfo[]> {
  const rows = await queryRows<{ table: string; name: string; type: string; generated: boolean; identity_always: boolean }>(
    db,
    sql`select c.relname as "table", a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
               a.attgenerated in ('s', 'v') as generated, a.attidentity = 'a' as identity_always
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
           and a.attnum > 0 and not a.attisdropped
         order by c.relname, a.attnum`,
  );
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    if (SKIPPED_TABLES.has(r.table)) continue;
    const t = tables.get(r.table) ?? { name: r.table, columns: [], identityAlways: false };
    tables.set(r.table, t);
    if (r.identity_always) t.identityAlways = true;
    if (!r.generated) t.columns.push({ name: r.name, type: r.type, json: r.type === 'json' || r.type === 'jsonb' });
  }
  return [...tables.values()];
}

export async function listForeignKeys(db: Db): Promise<ForeignKey[]> {
  const rows = await queryRows<{ table: string; ref_table: string; columns: string[]; ref_columns: string[] }>(
    db,
    sql`select src.relname as "table", dst.relname as ref_table,
               (select json_agg(a.attname order by k.i) from unnest(c.conkey) with ordinality k(n, i)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as columns,
               (select json_agg(a.attname order by k.i) from unnest(c.confkey) with ordinality k(n, i)
                  join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n) as ref_columns
          from pg_constraint c
          join pg_class src on src.oid = c.conrelid
          join pg_class dst on dst.oid = c.confrelid
          join pg_namespace n on n.oid = src.relnamespace
         where c.contype = 'f' and n.nspname = 'public'`,
  );
  return rows.map((r) => ({ table: r.table, refTable: r.ref_table, columns: r.columns, refColumns: r.ref_columns }));
}

/**
 * Tables in an order where every referenced table comes before the tables that refer to it (ties by name, so the
 * order is stable). A cycle between tables cannot be restored row by row and is reported.
 */
export function insertOrder(tables: string[], fks: ForeignKey[]): string[] {
  const names = new Set(tables);
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of fks) {
    if (fk.table !== fk.refTable && names.has(fk.table) && names.has(fk.refTable)) deps.get(fk.table)!.add(fk.refTable);
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...deps.get(t)!].every((d) => done.has(d))).sort();
    if (ready.length === 0) {
      const stuck = tables.filter((t) => !done.has(t));
      throw new CliError(`foreign keys form a cycle among ${stuck.join(', ')}; restore cannot order them`);
    }
    for (const t of ready) {
      done.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

/**
 * Rows of a table that refers to itself (units.parent_id), parents first. `rows` are the JSON lines as dumped;
 * only the key columns are parsed, the lines themselves go to the database untouched.
 */
export function parentsFirst(lines: string[], selfKeys: ForeignKey[]): string[] {
  if (selfKeys.length === 0) return lines;
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const keyOf = (row: Record<string, unknown>, cols: string[]) => (cols.some((c) => row[c] === null || row[c] === undefined) ? null : JSON.stringify(cols.map((c) => row[c])));
  const byKey = selfKeys.map((fk) => new Map(parsed.map((row, i) => [keyOf(row, fk.refColumns), i])));
  const state = new Uint8Array(lines.length); // 0 new, 1 in progress, 2 emitted
  const ordered: string[] = [];
  const visit = (start: number) => {
    // Iterative depth-first walk: an org tree can be deep, the call stack is not.
    const stack: [number, boolean][] = [[start, false]];
    while (stack.length) {
      const [i, expanded] = stack.pop()!;
      if (expanded) {
        state[i] = 2;
        ordered.push(lines[i]!);
        continue;
      }
      if (state[i] === 2) continue;
      if (state[i] === 1) throw new CliError('rows refer to each other in a cycle; restore cannot order them');
      state[i] = 1;
      stack.push([i, true]);
      selfKeys.forEach((fk, k) => {
        const parentKey = keyOf(parsed[i]!, fk.columns);
        const parent = parentKey === null ? undefined : byKey[k]!.get(parentKey);
        if (parent !== undefined && parent !== i && state[parent] !== 2) stack.push([parent, false]);
      });
    }
  };
  for (let i = 0; i < lines.length; i++) if (state[i] === 0) visit(i);
  return ordered;
}
