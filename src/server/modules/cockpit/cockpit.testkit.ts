import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';

/**
 * The cockpit summaries (migration drizzle/0010_cockpit_summaries.sql) for the bench: taken off to measure the live
 * path, and put back from the migration's own text. Not used by the app itself.
 */
const SUMMARIES_SQL = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../drizzle/0010_cockpit_summaries.sql');

export async function summariesInstalled(db: Db): Promise<boolean> {
  const [r] = await queryRows<{ ok: boolean }>(db, sql`select to_regclass('problem_open_counts') is not null as ok`);
  return !!r?.ok;
}

export async function installSummaries(db: Db): Promise<void> {
  if (await summariesInstalled(db)) return;
  const statements = fs
    .readFileSync(SUMMARIES_SQL, 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);
  await db.transaction(async (tx) => {
    for (const st of statements) await tx.execute(sql.raw(st));
  });
}

export async function dropSummaries(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await tx.execute(sql.raw(`drop trigger if exists problems_counts_${t} on problems`));
    await tx.execute(sql.raw('drop table if exists problem_day_counts, problem_open_counts'));
    await tx.execute(sql.raw('drop function if exists qibu_problem_counts(), qibu_problem_counts_truncate(), qibu_problem_counts_derived()'));
    await tx.execute(sql.raw('drop index if exists problems_open_deadline_idx'));
    await tx.execute(sql.raw('drop index if exists projects_zone_investment_idx'));
  });
}
