import pg from 'pg';

/**
 * With DATABASE_URL set, the run gets a database of its own on that server (created here, dropped at the end),
 * so leftovers never matter. Without it, the harness uses a fresh PGlite in a temporary directory.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (!base) return async () => {};
  const name = `qibu_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.QIBU_TEST_DATABASE_URL = url.toString();
  return async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}
