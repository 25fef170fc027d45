import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from './client.ts';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');
/** Any constant works; it only has to be the same for every instance of the app. */
export const MIGRATION_LOCK = 7_140_425;

interface JournalEntry {
  idx: number;
  tag: string;
}

export function listMigrations(): { tag: string; statements: string[] }[] {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((e) => ({
      tag: e.tag,
      statements: fs
        .readFileSync(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    }));
}

/**
 * Applies the committed migrations (forward only) in one transaction. A transaction-scoped advisory lock makes
 * several app instances starting at once against one PostgreSQL take turns: the first migrates, the rest find
 * nothing left to do.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create table if not exists qibu_migrations (tag text primary key, applied_at timestamptz not null default now())`);
    const done = await queryRows<{ tag: string }>(tx, sql`select tag from qibu_migrations`);
    const doneTags = new Set(done.map((r) => r.tag));
    for (const m of listMigrations()) {
      if (doneTags.has(m.tag)) continue;
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into qibu_migrations (tag) values (${m.tag})`);
      applied.push(m.tag);
    }
  });
  return applied;
}
