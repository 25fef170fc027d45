import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import { openDatabase, queryRows, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { loadDemoZone } from './demo/demo.ts';
import { makeServices } from './app.ts';

/** Opens the database and migrates it; on a first start with QIBU_DEMO on, loads the demo zone. */
export async function prepareDatabase(config: Config, log: (msg: string) => void = () => {}): Promise<{ database: Database; demoLoaded: boolean }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(database.db);
  if (applied.length) log(`migrated: ${applied.join(', ')}`);
  let demoLoaded = false;
  if (config.demo) {
    const services = makeServices({ config, database });
    demoLoaded = await loadDemoZone(services, { ifAbsent: true });
    if (demoLoaded) log('demo zone loaded');
  }
  if (database.kind === 'postgres') await warnOnUnsafeDurability(database, log);
  return { database, demoLoaded };
}

/** security.md: PostgreSQL must run with fsync, synchronous_commit and full_page_writes on. */
async function warnOnUnsafeDurability(database: Database, log: (msg: string) => void): Promise<void> {
  for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
    const [row] = await queryRows<{ v: string }>(database.db, sql.raw(`select current_setting('${setting}') as v`));
    const v = row?.v;
    if (v !== 'on') log(`WARNING: PostgreSQL ${setting} is '${v}'; acknowledged writes may be lost in a crash`);
  }
}
