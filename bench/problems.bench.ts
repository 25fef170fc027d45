/**
 * Closed-loop benchmark (issue 4): N problems (default 1 000 000) with 10 timeline entries each (10 M) on
 * PostgreSQL. Times my-to-do (street staff, HQ commander), a filtered list, a two-character Chinese search and the
 * metrics through the real HTTP layer (app.inject: session, scope, validation, presenters) beside the very SQL those
 * requests sent, replayed on a bare pg client; then the throughput of actions (POST /api/problems/{id}/actions:
 * state change + timeline + audit + notices in one transaction) with concurrency, beside the same statements
 * replayed bare with the same concurrency, beside pgbench (TPC-B and select-only) on the same server.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/problems.bench.ts
 *   BENCH_PROBLEMS=100000 BENCH_EVENTS_PER=10 BENCH_RUNS=20 BENCH_SECONDS=10 BENCH_CONCURRENCY=8 …   (smaller / faster)
 *   BENCH_KEEP=1 keeps the generated database and prints its name; BENCH_REUSE=<name> measures an existing one.
 *   BENCH_PGBENCH=0 skips pgbench; BENCH_ACTIONS=0 / BENCH_READS=0 skip the actions / the reads; PGBENCH=/path/to/pgbench.
 *
 * It creates databases of its own on that server (the app's, and pgbench's) and drops them at the end.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, queryRows } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import { seedZone } from '../src/server/demo/demo.ts';
import { searchTokens } from '../src/server/modules/projects/projects.search.ts';
import { shanghaiDay } from '../src/shared/days.ts';
import { chainFor, genesisHash, rowHash, verifyAudit } from '../src/server/audit/audit.ts';
import { percentile, recordStatements, timed, type Statement } from './support.ts';

const N = Number(process.env.BENCH_PROBLEMS ?? 1_000_000);
const EVENTS_PER = Number(process.env.BENCH_EVENTS_PER ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE;
const RUN_PGBENCH = process.env.BENCH_PGBENCH !== '0';
const RUN_ACTIONS = process.env.BENCH_ACTIONS !== '0';
const RUN_READS = process.env.BENCH_READS !== '0';
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
/** Only the read scenarios whose label matches this regular expression (e.g. `BENCH_ONLY='to-do|search'`). */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
/** Print the recorded statements with their values (to stderr), for EXPLAIN in psql. */
const SHOW_SQL = process.env.BENCH_SQL === '1';
const PASSWORD = 'Bench@Pass2026';
const base = process.env.DATABASE_URL;
if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (the bench makes a database of its own there)');

const PLACES = ['大桥', '崔寨', '太平', '孙耿', '桑梓店', '鹊山', '泺口', '黄河', '凤凰', '华山'];
const ISSUES = ['道路施工占道', '供电线路迁改', '用地指标不足', '环评审批滞后', '征迁补偿纠纷', '排水管网堵塞', '施工许可办理', '燃气管道接入', '融资贷款审批', '政策兑现延迟', '渣土运输扬尘', '供水配套不足'];
const SUFFIXES = ['问题', '事项', '困难', '诉求'];
const CATEGORIES = ['land', 'planning', 'permits', 'site_clearing', 'utilities', 'financing', 'policy', 'environment', 'other'];
const SOURCES = ['meeting', 'report', 'field', 'service', 'hotline', 'instruction', 'other'];
/** Lead units by demo key: streets, departments, areas. */
const LEAD_UNITS = ['cuizhai', 'daqiao', 'taiping', 'economy', 'planning', 'finance', 'ecology', 'approval', 'area_cuizhai', 'area_hydrogen', 'area_nev', 'area_fuzhongxin'];
const RAISERS = ['hq.cuizhai', 'hqstaff.cuizhai', 'hq.fuzhongxin', 'hqstaff.fuzhongxin', 'hq.nev', 'hq.hydrogen', 'staff.cuizhai', 'staff.daqiao', 'leader'];
const EVENT_ACTIONS = ['raise', 'assign', 'accept', 'report_progress', 'remind', 'report_progress', 'report_progress', 'supervise', 'report_progress', 'submit'];

const fmt = (ms: number) => ms.toFixed(1);

/** Set-based generation: N problems, EVENTS_PER timeline entries each, ~20 % with a cooperating unit. */
async function generate(db: Parameters<typeof queryRows>[0], zone: { zoneId: string; units: Record<string, string>; commands: Record<string, string>; users: Record<string, string> }, out: string[]) {
  const today = shanghaiDay(new Date());
  const unitIds = LEAD_UNITS.map((k) => zone.units[k]!);
  const commandIds = Object.values(zone.commands);
  const raiserIds = RAISERS.map((k) => zone.users[k]!);
  const arr = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'`).join(',')}]`);
  const uuids = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'::uuid`).join(',')}]`);

  // The 480 titles (place × issue × suffix) with their search tokens, computed by the app's own tokenizer.
  await db.execute(sql`create unlogged table if not exists bench_titles (c int primary key, title text, description text, address text, tokens text)`);
  await db.execute(sql`truncate bench_titles`);
  const titles = [];
  for (let c = 0; c < PLACES.length * ISSUES.length * SUFFIXES.length; c++) {
    const place = PLACES[c % PLACES.length]!;
    const issue = ISSUES[Math.floor(c / PLACES.length) % ISSUES.length]!;
    const suffix = SUFFIXES[Math.floor(c / (PLACES.length * ISSUES.length))]!;
    const title = `${place}片区${issue}${suffix}`;
    const description = `项目推进中遇到${issue}情况，请相关单位协调解决。`;
    const address = `济南起步区${place}街道`;
    titles.push(sql`(${c}, ${title}, ${description}, ${address}, ${searchTokens([title, description, address]).join(' ')})`);
  }
  await db.execute(sql`insert into bench_titles values ${sql.join(titles, sql`, `)}`);
  const T = titles.length;

  // Bulk load the usual way: the two tables' secondary indexes and foreign keys (and the timeline's primary key) are
  // taken off and put back afterwards, each from its definition in the catalogue, so the schema ends as migrated.
  const defs = await queryRows<{ kind: string; tbl: string; name: string; def: string }>(
    db,
    sql`select 'index' as kind, tablename as tbl, indexname as name, indexdef as def from pg_indexes
          where schemaname = 'public' and tablename in ('problems', 'problem_events')
            and indexname not in (select conname from pg_constraint where contype = 'p' and conrelid = 'problems'::regclass)
            and indexname not in (select conname from pg_constraint where contype in ('p', 'u') and conrelid = 'problem_events'::regclass)
        union all
        select case contype when 'p' then 'pkey' else 'fkey' end, conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint
          where (conrelid = 'problem_events'::regclass and contype in ('p', 'f')) or (conrelid = 'problems'::regclass and contype = 'f')`,
  );
  for (const d of defs.filter((x) => x.kind === 'fkey')) await db.execute(sql.raw(`alter table ${d.tbl} drop constraint "${d.name}"`));
  for (const d of defs.filter((x) => x.kind === 'pkey')) await db.execute(sql.raw(`alter table ${d.tbl} drop constraint "${d.name}"`));
  for (const d of defs.filter((x) => x.kind === 'index')) await db.execute(sql.raw(`drop index "${d.name}"`));

  let t0 = performance.now();
  const CHUNK = 100_000;
  for (let start = 0; start < N; start += CHUNK) {
    const end = Math.min(N, start + CHUNK);
    // i % 100 decides the state: 85 % closed, 2 % merged, 13 % open (1 raised, 2 assigned, 1 handed back, 6 in progress,
    // 1 suspended, 2 submitted); open problems are recent (≤ 90 days), closed ones spread over three years.
    await db.execute(sql`
      insert into problems (id, zone_id, code, title, description, source, command_id, address, category, priority, state, lead_unit_id,
        deadline_workdays, deadline, warn_on, reminded_at, supervision_level, suspended_on, merged_into_id, raised_by, raised_by_name,
        raised_at, raised_on, assigned_at, assigned_on, accepted_at, submitted_at, closed_at, closed_on, closed_on_time, workdays_to_close,
        return_count, hand_back_count, search_doc, created_at, updated_at)
      select md5('bench' || i)::uuid, ${zone.zoneId}::uuid, code, t.title, t.description, (${arr(SOURCES)})[1 + i % ${SOURCES.length}], (${uuids(commandIds)})[1 + (i / 7) % ${commandIds.length}],
        t.address, (${arr(CATEGORIES)})[1 + (i / 3) % ${CATEGORIES.length}], case when i % 20 = 0 then 'urgent' when i % 5 = 0 then 'high' else 'normal' end,
        st, case when st in ('raised', 'merged') then null else (${uuids(unitIds)})[1 + (i / 11) % ${unitIds.length}] end,
        case when dl is null then null else 10 end, dl, dl - 3, case when st in ('assigned', 'in_progress') and i % 10 = 0 then raised + interval '2 days' else null end,
        case when st in ('in_progress', 'suspended') and i % 25 = 0 then 1 else 0 end,
        -- a merged one points at the problem before it
        case when st = 'suspended' then least(r + 5, ${today}::date) else null end, case when st = 'merged' then md5('bench' || (i - 1))::uuid else null end,
        (${uuids(raiserIds)})[1 + i % ${raiserIds.length}], '基准测试', raised, r,
        case when dl is null then null else raised + interval '1 hour' end, case when dl is null then null else r end,
        case when st in ('in_progress', 'suspended', 'submitted', 'closed') then raised + interval '1 day' else null end,
        case when st in ('submitted', 'closed') then raised + (cd - r) * interval '1 day' else null end,
        case when st = 'closed' then raised + (cd - r) * interval '1 day' + interval '2 hours' else null end,
        case when st = 'closed' then cd else null end, case when st = 'closed' then cd <= dl else null end,
        case when st = 'closed' then ((cd - r) * 5) / 7 else null end,
        case when i % 31 = 0 then 2 when i % 7 = 0 then 1 else 0 end, case when i % 43 = 0 then 1 else 0 end,
        to_tsvector('simple', t.tokens || ' wt ' || extract(year from r)::int || ' ' || lpad(i::text, 7, '0')), raised, raised
      from (
        select i, st, r, raised, dl, case when st = 'closed' then least(r + 3 + (i * 13) % 50, ${today}::date) else null end as cd
        from (
          select i, st, r, (r::timestamp + interval '9 hours') at time zone 'Asia/Shanghai' as raised,
            case when st in ('raised', 'merged') then null else r + 5 + (i * 7) % 35 end as dl
          from (
            select i, st, case when st in ('closed', 'merged') then ${today}::date - (60 + (i * 37) % 1035) else ${today}::date - (i * 17) % 90 end as r
            from (
              select i, case
                when i % 100 < 85 then 'closed' when i % 100 < 87 then 'merged' when i % 100 < 88 then 'raised' when i % 100 < 90 then 'assigned'
                when i % 100 < 91 then 'handed_back' when i % 100 < 97 then 'in_progress' when i % 100 < 98 then 'suspended' else 'submitted' end as st
              from generate_series(${start + 1}::int, ${end}::int) i
            ) a
          ) b
        ) c
      ) d
      join bench_titles t on t.c = d.i % ${T}
      cross join lateral (select 'WT-' || extract(year from d.r)::int || '-' || lpad(d.i::text, 7, '0') as code) k`);
    process.stderr.write(`problems ${end} / ${N}, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  await db.execute(sql`
    insert into problem_cooperating_units (zone_id, problem_id, unit_id)
    select zone_id, id, (${uuids(unitIds)})[1 + (abs(hashtext(id::text)) % ${unitIds.length})]
    from problems where zone_id = ${zone.zoneId} and lead_unit_id is not null and abs(hashtext(id::text)) % 5 = 0
    on conflict do nothing`);
  process.stderr.write(`cooperating units, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  await db.execute(sql`
    delete from problem_cooperating_units c using problems p
    where c.zone_id = ${zone.zoneId} and p.zone_id = c.zone_id and p.id = c.problem_id and p.lead_unit_id = c.unit_id`);
  const tProblems = performance.now() - t0;

  t0 = performance.now();
  // 16 slices by the first hex digit of the id, so no statement holds 10 M rows at once.
  for (const h of '0123456789abcdef') {
    await db.execute(sql`
      insert into problem_events (zone_id, problem_id, at, actor_id, actor_name, actor_unit_id, action, from_state, to_state, text, data, light)
      select p.zone_id, p.id, p.raised_at + (k - 1) * interval '7 hours', p.raised_by, '基准测试', p.lead_unit_id,
        (${arr(EVENT_ACTIONS)})[1 + (k - 1) % ${EVENT_ACTIONS.length}], case when k = 1 then null else 'in_progress' end,
        case when k = 1 then 'raised' else 'in_progress' end, case when k % 3 = 0 then '已协调相关单位，正在推进' else null end, '{}'::jsonb,
        case when k = 1 then null else 'green' end
      from problems p cross join generate_series(1, ${EVENTS_PER}) k
      where p.zone_id = ${zone.zoneId} and left(p.id::text, 1) = ${h}`);
    process.stderr.write(`timeline slice ${h}, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const tEvents = performance.now() - t0;
  t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '1GB'`);
    for (const d of defs.filter((x) => x.kind === 'pkey')) await tx.execute(sql.raw(`alter table ${d.tbl} add constraint "${d.name}" ${d.def}`));
    for (const d of defs.filter((x) => x.kind === 'index')) {
      await tx.execute(sql.raw(d.def));
      process.stderr.write(`index ${d.name}, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    for (const d of defs.filter((x) => x.kind === 'fkey')) await tx.execute(sql.raw(`alter table ${d.tbl} add constraint "${d.name}" ${d.def}`));
  });
  const tIndexes = performance.now() - t0;
  t0 = performance.now();
  await db.execute(sql`vacuum analyze problems`);
  await db.execute(sql`vacuum analyze problem_events`);
  await db.execute(sql`vacuum analyze problem_cooperating_units`);
  const tAnalyze = performance.now() - t0;
  out.push(
    `data: problems in ${(tProblems / 1000).toFixed(1)} s, timeline in ${(tEvents / 1000).toFixed(1)} s, keys and indexes (${defs.length}) ${(tIndexes / 1000).toFixed(1)} s, vacuum analyze ${(tAnalyze / 1000).toFixed(1)} s`,
  );
}

async function signIn(app: Awaited<ReturnType<typeof buildApp>>['app'], username: string): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  const sid = login.cookies.find((c) => c.name === 'qibu_sid')?.value;
  if (login.statusCode !== 200 || !sid) throw new Error(`sign-in of ${username}: ${login.statusCode} ${login.body.slice(0, 200)}`);
  return `qibu_sid=${sid}`;
}

function pgbench(url: string, out: string[]) {
  const u = new URL(url);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres'), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: u.pathname.slice(1) };
  execFileSync(PGBENCH, ['-i', '-q', '-s', '10'], { env, stdio: 'pipe' });
  const tps = (args: string[]) => {
    const text = execFileSync(PGBENCH, ['-n', '-c', String(CONCURRENCY), '-j', '2', '-T', String(SECONDS), ...args], { env, encoding: 'utf8' });
    const m = /tps = ([\d.]+)/.exec(text);
    const lat = /latency average = ([\d.]+) ms/.exec(text);
    return `${m ? Number(m[1]).toFixed(0) : '?'} tps (latency avg ${lat ? lat[1] : '?'} ms)`;
  };
  out.push(`pgbench scale 10, ${CONCURRENCY} clients, ${SECONDS} s: TPC-B ${tps([])}; select-only ${tps(['-S'])}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a statement takes a column's value: `$n` of an INSERT's single VALUES row (by the column list), or of
 * `"column" = $n` (SET and WHERE). Undefined when the statement does not name the column.
 */
function paramOf(text: string, column: string): number | undefined {
  const insert = /^insert into "[^"]+" \(([^)]*)\) values \(([^)]*)\)/i.exec(text);
  if (insert) {
    const cols = insert[1]!.split(',').map((c) => c.trim().replaceAll('"', ''));
    const params = insert[2]!.split(',').map((v) => v.trim());
    const at = cols.indexOf(column);
    const m = at >= 0 ? /^\$(\d+)$/.exec(params[at] ?? '') : null;
    return m ? Number(m[1]) - 1 : undefined;
  }
  const m = new RegExp(`"${column}" = \\$(\\d+)`).exec(text);
  return m ? Number(m[1]) - 1 : undefined;
}

/**
 * One recorded action, replayable on another problem: the problem's id is swapped, every id the app made up for
 * new rows (event, audit, notices) gets a fresh one, and the audit row is appended as writeAudit
 * (src/server/audit/audit.ts) does: on the new problem's chain, whose head row it locks (SELECT … FOR UPDATE, in the
 * transaction, like the app — so concurrent replays on one chain queue there), with the seq and previous hash read
 * from that head and the row's hash computed with the app's key, so the chains stay verifiable. Audit values are
 * set by column, never matched by value (a chain number equal to a recorded seq + 1 once sent the row to another
 * chain whose head was not locked: duplicate seqs). Everything else is sent as recorded.
 */
function replayer(statements: Statement[], problemId: string, recordedVersion: number, known: Set<string>, auditKey: Buffer) {
  const isAudit = (text: string) => /"audit_chain_heads"|"audit_log"/.test(text);
  const headIdx = statements.findIndex((st) => /from "audit_chain_heads"/.test(st.text) && /for update/i.test(st.text));
  if (statements.filter((st) => /^insert into "audit_log"/i.test(st.text)).length > 1) throw new Error('the replay handles one audit row per action');
  return async (client: pg.Client, newProblemId: string, version: number) => {
    const fresh = new Map<string, string>();
    const chainNo = chainFor('problem', newProblemId);
    let head: { seq: number; hash: string } | undefined;
    let newHash = '';
    let open = false;
    try {
      for (const [i, st] of statements.entries()) {
        // The optimistic-lock update: the version seen and the version after it, for this problem.
        const versioned = /^update "problems"/i.test(st.text);
        const values = st.values.map((v) => {
          if (versioned && v === recordedVersion) return version;
          if (versioned && v === recordedVersion + 1) return version + 1;
          if (v === problemId) return newProblemId;
          if (typeof v === 'string' && UUID.test(v) && !known.has(v)) {
            if (!fresh.has(v)) fresh.set(v, randomUUID());
            return fresh.get(v);
          }
          return v;
        });
        if (isAudit(st.text)) {
          const set = (column: string, value: unknown) => {
            const at = paramOf(st.text, column);
            if (at !== undefined) values[at] = value;
          };
          const get = (column: string) => {
            const at = paramOf(st.text, column);
            return at === undefined ? undefined : values[at];
          };
          set('chain_no', chainNo);
          if (/^insert into "audit_chain_heads"/i.test(st.text)) {
            set('hash', genesisHash(auditKey, String(get('zone_id')), chainNo));
          } else if (/^insert into "audit_log"/i.test(st.text)) {
            if (!head) throw new Error('audit row before its chain head was locked');
            const json = (x: unknown) => (typeof x === 'string' ? (JSON.parse(x) as unknown) : (x ?? null));
            const row = {
              zoneId: String(get('zone_id')),
              chainNo,
              seq: head.seq + 1,
              at: new Date().toISOString(),
              actorId: (get('actor_id') as string | null) ?? null,
              actorName: (get('actor_name') as string | null) ?? null,
              actorRole: (get('actor_role') as string | null) ?? null,
              ip: (get('ip') as string | null) ?? null,
              requestId: (get('request_id') as string | null) ?? null,
              action: String(get('action')),
              entityType: String(get('entity_type')),
              entityId: (get('entity_id') as string | null) ?? null,
              result: String(get('result') ?? 'ok'),
              before: json(get('before')),
              after: json(get('after')),
              prevHash: head.hash,
            };
            newHash = rowHash(auditKey, row);
            set('seq', row.seq);
            set('at', row.at);
            set('prev_hash', row.prevHash);
            set('hash', newHash);
          } else if (/^update "audit_chain_heads"/i.test(st.text)) {
            if (!head) throw new Error('chain head moved before it was locked');
            set('seq', head.seq + 1);
            set('hash', newHash);
          }
        }
        if (/^begin/i.test(st.text)) open = true;
        const res = await client.query(st.text, values);
        if (/^(commit|rollback)/i.test(st.text)) open = false;
        if (i === headIdx) {
          const row = res.rows[0] as { seq: string | number; hash: string } | undefined;
          if (!row) throw new Error('no audit chain head to lock');
          head = { seq: Number(row.seq), hash: String(row.hash) };
        }
      }
    } catch (err) {
      if (open) await client.query('rollback');
      throw err;
    }
  };
}

async function main() {
  const dbName = REUSE ?? `qibu_bench_problems_${Date.now().toString(36)}`;
  const pgbenchDb = `qibu_pgbench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  if (!REUSE) await admin.query(`create database ${dbName}`);
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  const config = { ...loadConfig({}), databaseUrl: url.toString(), dataDir: `/tmp/${dbName}`, secretKey: randomBytes(32).toString('hex'), demo: false, logLevel: 'silent' };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: Math.max(4, CONCURRENCY + 2) });
  const out: string[] = [];
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  out.push(`load average at start: ${load()} (${os.cpus().length} cores)`);
  let prefix = 'bench.';
  try {
    if (!REUSE) await migrate(database.db);
    const { app, services } = await buildApp({ config, database, logger: false });
    const db = services.db;
    let zone: { zoneId: string; units: Record<string, string>; commands: Record<string, string>; users: Record<string, string> };
    if (REUSE) {
      // A kept database: passwords are re-set (the secret key is new), ids read back by the demo names.
      const [z] = await queryRows<{ id: string; code: string }>(db, sql`select id, code from zones where code like 'bench%' order by created_at desc limit 1`);
      if (!z) throw new Error(`no bench zone in ${dbName}`);
      prefix = `${z.code}.`;
      const byName = async (table: string, key: string) =>
        Object.fromEntries((await queryRows<{ id: string; k: string }>(db, sql`select id, ${sql.raw(key)} as k from ${sql.raw(table)} where zone_id = ${z.id}`)).map((r) => [r.k, r.id]));
      const units = await byName('units', 'name');
      const { DEMO_UNITS, DEMO_COMMANDS } = await import('../src/server/demo/demo-data.ts');
      const cmds = await byName('commands', 'name');
      const usrs = await byName('users', 'username');
      zone = {
        zoneId: z.id,
        units: Object.fromEntries(DEMO_UNITS.map((u) => [u.key, units[u.name]!])),
        commands: Object.fromEntries(DEMO_COMMANDS.map((c) => [c.key, cmds[c.name]!])),
        users: Object.fromEntries(Object.entries(usrs).map(([k, v]) => [k.slice(prefix.length), v])),
      };
      await db.execute(sql`update users set password_hash = ${await hashPassword(PASSWORD)} where zone_id = ${z.id}`);
    } else {
      zone = await db.transaction(async (tx) =>
        seedZone(tx, services, { zoneCode: 'bench', zoneName: '基准测试区', usernamePrefix: prefix, isDemo: true, passwordHash: await hashPassword(PASSWORD), withLedger: false }),
      );
      await generate(db, zone, out);
    }
    const [counts] = await queryRows<{ problems: number; events: number; open: number; coop: number }>(
      db,
      sql`select (select count(*) from problems where zone_id = ${zone.zoneId})::int as problems, (select count(*) from problem_events where zone_id = ${zone.zoneId})::int as events,
                 (select count(*) from problems where zone_id = ${zone.zoneId} and state not in ('closed','merged'))::int as open,
                 (select count(*) from problem_cooperating_units where zone_id = ${zone.zoneId})::int as coop`,
    );
    const [size] = await queryRows<{ db: string }>(db, sql`select pg_size_pretty(pg_database_size(current_database())) as db`);
    out.push(`rows: ${counts!.problems} problems (${counts!.open} open), ${counts!.events} timeline entries, ${counts!.coop} cooperating units; database ${size!.db}`);

    // --- reads: HTTP vs bare SQL ----------------------------------------------------------------------------
    const street = await signIn(app, `${prefix}staff.cuizhai`);
    const hq = await signIn(app, `${prefix}hq.cuizhai`);
    const leader = await signIn(app, `${prefix}leader`);
    const bare = new pg.Client({ connectionString: config.databaseUrl, options: '-c jit=off' });
    bare.on('error', () => {});
    await bare.connect();
    const scenarios: [string, string, string][] = [
      ['my to-do, street staff (崔寨街道)', street, '/api/problems?todo=true'],
      ['my to-do, HQ commander (崔寨)', hq, '/api/problems?todo=true'],
      ['filtered list (in progress + red, one HQ, land)', leader, `/api/problems?state=in_progress&light=red&commandId=${zone.commands.cuizhai}&category=land`],
      ['search q=管网 (leader)', leader, `/api/problems?q=${encodeURIComponent('管网')}`],
      ['search q=管网 (street staff)', street, `/api/problems?q=${encodeURIComponent('管网')}`],
      ['metrics, whole zone (leader)', leader, '/api/problems/metrics'],
      ['metrics, one HQ (commander)', hq, '/api/problems/metrics'],
      ['metrics, street staff', street, '/api/problems/metrics'],
    ];
    out.push('');
    out.push(`| scenario | HTTP p50 ms | HTTP p95 ms | bare SQL p50 ms | bare SQL p95 ms | statements | rows (total) |`);
    out.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const [label, cookie, path] of RUN_READS ? scenarios.filter(([l]) => !ONLY || ONLY.test(l)) : []) {
      let total = '';
      const call = async () => {
        const res = await app.inject({ method: 'GET', url: path, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        const body = res.json() as { total?: number; totals?: { open: { n: number } } };
        total = body.total !== undefined ? String(body.total) : body.totals ? `${body.totals.open.n} open` : '';
      };
      const recorded = await recordStatements(call);
      // Replayed as sent, transaction and SET LOCAL included (the metrics run in a read-only snapshot without JIT).
      const statements = recorded.map((r) => ({ text: r.text, values: r.values }));
      if (SHOW_SQL) for (const st of statements) process.stderr.write(`-- ${label}\n${st.text};\n-- values: ${JSON.stringify(st.values)}\n`);
      const http = await timed(RUNS, call);
      const sqlOnly = await timed(RUNS, async () => {
        for (const st of statements) await bare.query(st.text, st.values as unknown[]);
      });
      const counted = statements.filter((r) => !/^(begin|commit|rollback|set )/i.test(r.text)).length;
      out.push(`| ${label} | ${fmt(http.p50)} | ${fmt(http.p95)} | ${fmt(sqlOnly.p50)} | ${fmt(sqlOnly.p95)} | ${counted} | ${total} |`);
      process.stderr.write(`${out.at(-1)}\n`);
    }
    await bare.end();

    // --- actions: throughput ----------------------------------------------------------------------------------
    if (RUN_ACTIONS) {
      out.push('');
      out.push(`| action (${CONCURRENCY} concurrent, ${SECONDS} s) | HTTP actions/s | HTTP p50 ms | HTTP p95 ms | bare SQL tx/s | bare p50 ms | bare p95 ms | statements |`);
      out.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
      const known = new Set<string>([zone.zoneId, ...Object.values(zone.units), ...Object.values(zone.commands), ...Object.values(zone.users)]);
      const kinds: { action: 'report_progress' | 'remind'; cookie: string; where: ReturnType<typeof sql>; body: Record<string, unknown> }[] = [
        { action: 'report_progress', cookie: street, where: sql`lead_unit_id = ${zone.units.cuizhai} and state = 'in_progress' and pending_request is null`, body: { text: '已完成现场踏勘，正在协调施工单位' } },
        { action: 'remind', cookie: hq, where: sql`command_id = ${zone.commands.cuizhai} and state in ('assigned', 'in_progress')`, body: { text: '请加快办理' } },
      ];
      for (const k of kinds) {
        const pool = await queryRows<{ id: string; version: number }>(db, sql`select id, version from problems where zone_id = ${zone.zoneId} and ${k.where} order by id limit 40000`);
        if (pool.length < CONCURRENCY * 4) throw new Error(`not enough problems for ${k.action}: ${pool.length}`);
        const half = Math.floor(pool.length / 2);
        const forHttp = pool.slice(0, half);
        const forBare = pool.slice(half);
        const act = async (p: { id: string; version: number }) => {
          const res = await app.inject({ method: 'POST', url: `/api/problems/${p.id}/actions`, headers: { cookie: k.cookie }, payload: { action: k.action, version: p.version, ...k.body } });
          if (res.statusCode !== 200) throw new Error(`${k.action}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          p.version = (res.json() as { version: number }).version;
        };
        // Record one action (its statements, for the bare replay).
        const recordedVersion = forHttp[0]!.version;
        const statements = await recordStatements(() => act(forHttp[0]!));
        if (SHOW_SQL) for (const st of statements) process.stderr.write(`-- ${k.action}\n${st.text};\n-- values: ${JSON.stringify(st.values)}\n`);
        const replay = replayer(statements, forHttp[0]!.id, recordedVersion, known, services.keys.auditKey);

        const run = async (items: { id: string; version: number }[], one: (p: { id: string; version: number }, worker: number) => Promise<void>) => {
          const lat: number[] = [];
          let next = 1;
          const until = performance.now() + SECONDS * 1000;
          const worker = async (w: number) => {
            while (performance.now() < until) {
              const p = items[next++ % items.length]!;
              const t = performance.now();
              await one(p, w);
              lat.push(performance.now() - t);
            }
          };
          const t0 = performance.now();
          await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
          const secs = (performance.now() - t0) / 1000;
          lat.sort((a, b) => a - b);
          return { rate: lat.length / secs, p50: percentile(lat, 50), p95: percentile(lat, 95), count: lat.length };
        };
        // Items are taken round-robin by all workers; two workers never hold the same one (pool ≫ concurrency).
        const http = await run(forHttp, (p) => act(p));
        const clients = await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            const c = new pg.Client({ connectionString: config.databaseUrl, options: '-c jit=off' });
            c.on('error', () => {});
            await c.connect();
            return c;
          }),
        );
        const bareRun = await run(forBare, async (p, w) => {
          await replay(clients[w]!, p.id, p.version);
          p.version++;
        });
        await Promise.all(clients.map((c) => c.end()));
        const txStatements = statements.filter((st) => !/^(begin|commit|rollback)/i.test(st.text)).length;
        out.push(`| ${k.action} | ${http.rate.toFixed(0)} | ${fmt(http.p50)} | ${fmt(http.p95)} | ${bareRun.rate.toFixed(0)} | ${fmt(bareRun.p50)} | ${fmt(bareRun.p95)} | ${txStatements} |`);
        process.stderr.write(`${out.at(-1)}\n`);
      }
      // The bare replay appends audit rows as the app does: the zone's chains must still verify (a kept database
      // measured again holds rows hashed with an earlier run's key, so only a fresh one is checked).
      if (!REUSE) {
        const report = await verifyAudit(db, services.keys.auditKey, zone.zoneId);
        out.push('');
        out.push(`audit chains after the actions: ${report.chainsChecked} chains, ${report.rowsChecked} rows verified, ${report.problems.length ? `BROKEN: ${JSON.stringify(report.problems)}` : 'intact'}`);
      }
    }
    await app.close();

    if (RUN_PGBENCH) {
      await admin.query(`create database ${pgbenchDb}`);
      const pu = new URL(base!);
      pu.pathname = `/${pgbenchDb}`;
      out.push('');
      pgbench(pu.toString(), out);
    }
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
    if (!KEEP && !REUSE) await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`drop database if exists ${pgbenchDb} with (force)`);
    await admin.end();
  }
  out.push(`load average at end: ${load()}`);
  const kept = KEEP || REUSE ? ` (database ${dbName} kept: BENCH_REUSE=${dbName})` : '';
  process.stdout.write(
    `\nClosed-loop benchmark — ${N} problems × ${EVENTS_PER} timeline entries, ${RUNS} runs each, PostgreSQL ${base!.replace(/\/\/[^@]*@/, '//')}${kept}\n${out.join('\n')}\n`,
  );
}

await main();
