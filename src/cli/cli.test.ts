import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { decrypt } from '../server/crypto.ts';
import { openDatabase, queryRows } from '../server/db/client.ts';
import { listMigrations } from '../server/db/migrate.ts';
import type { Manifest } from './backup/manifest.ts';
import { DERIVED_TABLES } from './backup/catalog.ts';

/**
 * The real `qibu` command in child processes, against PGlite or, when DATABASE_URL is set (the PostgreSQL run of
 * the suite), against databases created and dropped here. Steps build on each other, in order.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE_URL = process.env.DATABASE_URL;
const ENGINE = BASE_URL ? 'postgres' : 'pglite';
const SECRET = randomBytes(32).toString('hex');
const DEMO_PASSWORD = 'Qibu@2026!';
const SLOW = 300_000;

interface Target {
  dataDir: string;
  databaseUrl: string | undefined;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-cli-test-'));
const databases: string[] = [];

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function newTarget(name: string): Promise<Target> {
  const dataDir = path.join(tmp, name);
  if (!BASE_URL) return { dataDir, databaseUrl: undefined };
  const db = `qibu_cli_${process.pid}_${randomBytes(3).toString('hex')}_${name}`;
  await adminQuery(`create database ${db}`);
  databases.push(db);
  const url = new URL(BASE_URL);
  url.pathname = `/${db}`;
  return { dataDir, databaseUrl: url.toString() };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function qibu(target: Target, args: string[], opts: { stdin?: string; secret?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, QIBU_DATA_DIR: target.dataDir, QIBU_SECRET_KEY: opts.secret ?? SECRET, QIBU_DEMO_PASSWORD: DEMO_PASSWORD };
  delete env.DATABASE_URL;
  delete env.QIBU_TEST_DATABASE_URL;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/qibu.mjs'), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Opens a target in this process (only while no CLI process holds it: PGlite has one user at a time). */
async function withApp<T>(target: Target, work: (ctx: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
  const config = { ...loadConfig({}), dataDir: target.dataDir, databaseUrl: target.databaseUrl, secretKey: SECRET, demo: false, logLevel: 'silent' };
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 2 });
  const built = await buildApp({ config, database, logger: false });
  try {
    return await work(built);
  } finally {
    await built.app.close();
    await database.close();
  }
}

async function signInStatus(app: Awaited<ReturnType<typeof buildApp>>['app'], username: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const cookie = res.cookies.find((c) => c.name === 'qibu_sid')?.value;
  const me = cookie ? (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `qibu_sid=${cookie}` } })).json() : null;
  return { status: res.statusCode, me };
}

async function rowCounts(target: Target, tables: string[]): Promise<Record<string, number>> {
  return withApp(target, async ({ services }) => {
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = (await queryRows<{ n: number }>(services.db, sql.raw(`select count(*)::int as n from "${t}"`)))[0]!.n;
    return counts;
  });
}

async function readManifestOf(archive: string): Promise<Manifest> {
  const dir = fs.mkdtempSync(path.join(tmp, 'manifest-'));
  await tar.x({ file: archive, cwd: dir, filter: (p) => p === 'manifest.json' });
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

describe(`qibu CLI on ${ENGINE}`, () => {
  let a: Target;
  let b: Target;
  const archive = path.join(tmp, 'backup.tar.gz');
  const upload = randomBytes(70_000);

  beforeAll(async () => {
    a = await newTarget('a');
    b = await newTarget('b');
  });

  afterAll(async () => {
    for (const db of databases) await adminQuery(`drop database if exists ${db} with (force)`);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers help and refuses unknown commands and options with exit code 2', async () => {
    const help = await qibu(a, ['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('qibu <command>');
    const unknown = await qibu(a, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect((await qibu(a, ['user', 'create', '--bogus'])).code).toBe(2);
    expect((await qibu(a, ['backup'])).code).toBe(2);
  });

  it(
    'migrates, loads the demo zone, creates a user who can sign in; all audited as qibu-cli',
    async () => {
      const migrated = await qibu(a, ['migrate']);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toContain('0000_foundation');
      const demo = await qibu(a, ['demo']);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stdout).toContain('qibuqu');
      const created = await qibu(
        a,
        ['user', 'create', '--zone', 'qibuqu', '--username', 'cli.tester', '--name', '测试员', '--role', 'unit_staff', '--role', 'hq_staff', '--unit', '崔寨街道', '--password-stdin'],
        { stdin: 'Cli@Tester2026\n' },
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('created user cli.tester');

      await withApp(a, async ({ app, services }) => {
        const tester = await signInStatus(app, 'cli.tester', 'Cli@Tester2026');
        expect(tester.status).toBe(200);
        expect(tester.me).toMatchObject({ roles: ['hq_staff', 'unit_staff'], unit: { name: '崔寨街道' }, mustChangePassword: true });
        expect((await signInStatus(app, 'leader', DEMO_PASSWORD)).status).toBe(200);
        const [row] = await queryRows<{ actor_name: string; actor_role: string }>(services.db, sql`select actor_name, actor_role from audit_log where action = 'user.create'`);
        expect(row).toEqual({ actor_name: 'qibu-cli', actor_role: 'system' });
      });
    },
    SLOW,
  );

  it(
    'refuses bad user input with clear messages',
    async () => {
      const mixed = await qibu(a, ['user', 'create', '--zone', 'qibuqu', '--username', 'mixed', '--name', 'x', '--role', 'sys_admin', '--role', 'hq_staff', '--password-stdin'], { stdin: 'Cli@Tester2026\n' });
      expect(mixed.code).toBe(1);
      expect(mixed.stderr).toContain('三员分立');
      const weak = await qibu(a, ['user', 'create', '--zone', 'qibuqu', '--username', 'weak', '--name', 'x', '--role', 'hq_staff', '--password-stdin'], { stdin: 'short\n' });
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('at least 10 characters');
    },
    SLOW,
  );

  it(
    'verifies a clean audit trail with exit code 0',
    async () => {
      const verify = await qibu(a, ['audit', 'verify']);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/audit trail verified: \d+ rows/);
      expect((await qibu(a, ['audit', 'verify', '--zone', 'qibuqu'])).code).toBe(0);
    },
    SLOW,
  );

  it(
    'backs up and restores into a fresh database: rows, files, password hashes, ciphertexts and the audit chain',
    async () => {
      fs.mkdirSync(path.join(a.dataDir, 'files', '2026', '05'), { recursive: true });
      fs.writeFileSync(path.join(a.dataDir, 'files', '2026', '05', 'photo.jpg'), upload);
      fs.writeFileSync(path.join(a.dataDir, 'files', 'note.txt'), '大棚扇墙');

      const backup = await qibu(a, ['backup', archive]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('does not contain the secret key');
      expect((await qibu(a, ['backup', archive])).stderr).toContain('exists already');
      const manifest = await readManifestOf(archive);
      expect(manifest).toMatchObject({ format: 'qibu-backup', formatVersion: 1, engine: ENGINE, migrations: listMigrations().map((m) => m.tag), files: { count: 2 } });
      const tables = manifest.tables.map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['zones', 'units', 'users', 'user_roles', 'audit_log', 'audit_chain_heads', 'sessions', 'enterprises']));
      expect(JSON.stringify(manifest)).not.toContain(SECRET);

      const restored = await qibu(b, ['restore', archive]);
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      expect(restored.stdout).toContain('audit trail verified');
      expect(restored.stdout).toContain('encrypted personal data decrypts');

      const counts = await rowCounts(b, tables);
      for (const t of manifest.tables) {
        // The restore itself is audited: one row more in the platform zone's trail.
        const expected = t.name === 'audit_log' ? t.rows + 1 : t.rows;
        if (t.name === 'audit_chain_heads') expect(counts[t.name]).toBeGreaterThanOrEqual(t.rows);
        else expect(counts[t.name], t.name).toBe(expected);
      }
      // Tables the triggers keep are not in the archive; the restored reports and problems rebuilt them exactly.
      const derived = [...DERIVED_TABLES];
      expect(tables.filter((t) => DERIVED_TABLES.has(t))).toEqual([]);
      const [before, after] = [await rowCounts(a, derived), await rowCounts(b, derived)];
      expect(after).toEqual(before);
      expect(before.problem_day_counts).toBeGreaterThan(0);
      expect(before.project_report_totals).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(b.dataDir, 'files', '2026', '05', 'photo.jpg')).equals(upload)).toBe(true);
      expect(fs.readFileSync(path.join(b.dataDir, 'files', 'note.txt'), 'utf8')).toBe('大棚扇墙');

      const verify = await qibu(b, ['audit', 'verify']);
      expect(verify.code, verify.stdout).toBe(0);
      await withApp(b, async ({ app, services }) => {
        expect((await signInStatus(app, 'leader', DEMO_PASSWORD)).status).toBe(200);
        expect((await signInStatus(app, 'cli.tester', 'Cli@Tester2026')).status).toBe(200);
        const [leader] = await queryRows<{ phone_enc: string }>(services.db, sql`select phone_enc from users where username = 'leader'`);
        expect(decrypt(services.keys, leader!.phone_enc)).toBe('17000000001');
      });
    },
    SLOW,
  );

  it(
    'refuses to restore into a database that holds data, or with another key',
    async () => {
      const full = await qibu(a, ['restore', archive]);
      expect(full.code).toBe(1);
      expect(full.stderr).toContain('not empty');
      const other = await newTarget('c');
      const wrongKey = await qibu(other, ['restore', archive], { secret: randomBytes(32).toString('hex') });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toContain('secret key differs');
      // The key is checked before the database is opened: a refused restore leaves nothing behind.
      if (ENGINE === 'pglite') expect(fs.existsSync(path.join(other.dataDir, 'pg'))).toBe(false);
    },
    SLOW,
  );

  it(
    'resets a password (printing a temporary one) and disables a user, ending sessions',
    async () => {
      const reset = await qibu(a, ['user', 'reset-password', 'CLI.Tester']);
      expect(reset.code, reset.stderr).toBe(0);
      const temporary = /temporary password for cli\.tester: (\S+)/.exec(reset.stdout)?.[1];
      expect(temporary).toBeDefined();
      await withApp(a, async ({ app }) => {
        expect((await signInStatus(app, 'cli.tester', 'Cli@Tester2026')).status).toBe(401);
        const signedIn = await signInStatus(app, 'cli.tester', temporary!);
        expect(signedIn).toMatchObject({ status: 200, me: { mustChangePassword: true } });
      });
      const disabled = await qibu(a, ['user', 'disable', 'cli.tester']);
      expect(disabled.code, disabled.stderr).toBe(0);
      expect(disabled.stdout).toContain('ended 1 session');
      await withApp(a, async ({ app }) => expect((await signInStatus(app, 'cli.tester', temporary!)).status).toBe(401));
      expect((await qibu(a, ['user', 'disable', 'nobody.here'])).code).toBe(1);
    },
    SLOW,
  );

  it(
    'exits 1 naming the zone, chain and row of a tampered audit row',
    async () => {
      const target = await withApp(a, async ({ services }) =>
        services.db.transaction(async (tx) => {
          const [row] = await queryRows<{ chain_no: number; seq: number }>(tx, sql`select chain_no, seq from audit_log where action = 'user.disable'`);
          await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
          await tx.execute(sql`update audit_log set actor_name = 'mallory' where action = 'user.disable'`);
          await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
          return row!;
        }),
      );
      const verify = await qibu(a, ['audit', 'verify']);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain(`zone qibuqu  chain ${target.chain_no}  seq ${target.seq}  altered`);
      expect(verify.stdout).toContain('user.disable');
    },
    SLOW,
  );
});
