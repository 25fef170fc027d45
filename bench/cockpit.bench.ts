/**
 * Cockpit benchmark (issue 6): GET /api/cockpit/overview at scale on PostgreSQL — N projects (default 100 000) with
 * this year's plan and a monthly report for every month of this year so far (≈1.1 M), P problems (default
 * 1 000 000) and M meetings (default 5 000, three decisions each), all generated with set-based SQL. Times the
 * overview through the real HTTP layer (app.inject: session, scope, validation, presenters) for a zone leader and an
 * HQ commander, beside the very statements those requests sent, replayed on a bare pg client (p50/p95 and the
 * ratio). Before timing, a few figures are checked against direct SQL counts, so a fast answer is also a right one.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/cockpit.bench.ts
 *   BENCH_PROJECTS=20000 BENCH_PROBLEMS=200000 BENCH_MEETINGS=1000 BENCH_RUNS=10 …   (smaller / faster)
 *   BENCH_REPORTS=0 skips the monthly reports; BENCH_KEEP=1 keeps the database (prints its name);
 *   BENCH_REUSE=<name> measures a kept one again (e.g. after adding an index by hand).
 *   BENCH_WRITES=200 problems are updated (twice each) to time a write with and without the summaries' trigger.
 *   BENCH_SUMMARIES=0 measures without the cockpit summaries (migration drizzle/0010_cockpit_summaries.sql, taken off if
 *   there); by default they are installed when the migrations have not made them.
 *
 * It creates a database of its own on that server and drops it at the end (unless kept).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, queryRows, type Db } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import { seedZone } from '../src/server/demo/demo.ts';
import { addDays, shanghaiDay, weekday } from '../src/shared/days.ts';
import type { CockpitOverviewDto } from '../src/server/modules/cockpit/cockpit.api.ts';
import { dropSummaries, installSummaries } from '../src/server/modules/cockpit/cockpit.testkit.ts';
import { percentile, recordStatements, timed } from './support.ts';

const N_PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const N_PROBLEMS = Number(process.env.BENCH_PROBLEMS ?? 1_000_000);
const N_MEETINGS = Number(process.env.BENCH_MEETINGS ?? 5_000);
const REPORTS = process.env.BENCH_REPORTS !== '0';
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
/** Problems updated twice each to measure what the summaries' trigger costs a write (0: skip). */
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE;
/** 1 (default): measure with the cockpit summaries (migration 0010) installed; 0: without them (the live path). */
const SUMMARIES = process.env.BENCH_SUMMARIES !== '0';
const PASSWORD = 'Bench@Pass2026';
const base = process.env.DATABASE_URL;
if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (the bench makes a database of its own there)');

const PLACES = ['大桥', '崔寨', '太平', '孙耿', '桑梓店', '鹊山', '泺口', '黄河', '凤凰', '华山'];
const THINGS = ['新能源汽车零部件', '光伏组件', '氢能装备', '智能制造', '生物医药', '数据中心', '物流园', '安置房', '道路', '综合管廊', '学校', '医院'];
const CATEGORIES = ['land', 'planning', 'permits', 'site_clearing', 'utilities', 'financing', 'policy', 'environment', 'other'];
const SOURCES = ['meeting', 'report', 'field', 'service', 'hotline', 'instruction', 'other'];
const LEAD_UNITS = ['cuizhai', 'daqiao', 'taiping', 'economy', 'planning', 'finance', 'ecology', 'approval', 'area_cuizhai', 'area_hydrogen', 'area_nev', 'area_fuzhongxin'];
const LEADERS = ['leader', 'hq.cuizhai', 'hq.fuzhongxin', 'hq.nev', 'hq.hydrogen'];

const fmt = (ms: number) => ms.toFixed(1);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s: string) => process.stderr.write(`${s}\n`);

type Zone = { zoneId: string; units: Record<string, string>; commands: Record<string, string>; users: Record<string, string> };

const uuids = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'::uuid`).join(',')}]`);
const texts = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'`).join(',')}]`);

/** The secondary indexes and foreign keys of some tables, taken off for a bulk load and put back from the catalogue. */
async function withoutIndexes(db: Db, tables: string[], load: () => Promise<void>): Promise<number> {
  const list = sql.raw(tables.map((t) => `'${t}'`).join(','));
  const defs = await queryRows<{ kind: string; tbl: string; name: string; def: string }>(
    db,
    sql`select 'index' as kind, tablename as tbl, indexname as name, indexdef as def from pg_indexes
          where schemaname = 'public' and tablename in (${list})
            and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))
        union all
        select 'fkey', conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint
          where contype = 'f' and conrelid::regclass::text in (${list})`,
  );
  for (const d of defs.filter((x) => x.kind === 'fkey')) await db.execute(sql.raw(`alter table ${d.tbl} drop constraint "${d.name}"`));
  for (const d of defs.filter((x) => x.kind === 'index')) await db.execute(sql.raw(`drop index "${d.name}"`));
  await load();
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '1GB'`);
    for (const d of defs.filter((x) => x.kind === 'index')) await tx.execute(sql.raw(d.def));
    for (const d of defs.filter((x) => x.kind === 'fkey')) await tx.execute(sql.raw(`alter table ${d.tbl} add constraint "${d.name}" ${d.def}`));
  });
  return performance.now() - t0;
}

async function generate(db: Db, zone: Zone, out: string[]): Promise<void> {
  const today = shanghaiDay(new Date());
  const year = Number(today.slice(0, 4));
  const z = zone.zoneId;
  const commandIds = Object.values(zone.commands);
  const unitIds = LEAD_UNITS.map((k) => zone.units[k]!);
  const leaderIds = LEADERS.map((k) => zone.users[k]!);
  const clusters = [zone.units.cluster_daqiao!, zone.units.cluster_cuizhai!];

  // --- projects, plans, reports -------------------------------------------------------------------------------
  let t0 = performance.now();
  const tIdx = await withoutIndexes(db, ['projects'], async () => {
    await db.execute(sql`
      insert into projects (id, zone_id, code, name, level, cluster_unit_id, address, longitude, latitude, command_id, lead_unit_id, leader_user_id,
        total_investment, phase, suspended_from, signed_on, started_on, operating_on, completed_on, suspended_on, planned_start_on, planned_completion_on, created_at, updated_at)
      select md5('proj' || i)::uuid, ${z}::uuid, 'XM-' || lpad(i::text, 6, '0'),
        (${texts(PLACES)})[1 + i % ${PLACES.length}] || (${texts(THINGS)})[1 + (i / 10) % ${THINGS.length}] || '项目（' || i || '期）',
        (array['province','city','district','district'])[1 + i % 4], (${uuids(clusters)})[1 + i % 2],
        '济南起步区' || (${texts(PLACES)})[1 + (i + 3) % ${PLACES.length}] || '街道',
        round((116.93 + (i::bigint * 7919 % 2200) / 10000.0)::numeric, 6), round((36.74 + (i::bigint * 104729 % 1100) / 10000.0)::numeric, 6),
        (${uuids(commandIds)})[1 + i % ${commandIds.length}], (${uuids(unitIds)})[1 + (i / 3) % ${unitIds.length}], (${uuids(leaderIds)})[1 + i % ${leaderIds.length}],
        ((i % 500) + 1) * 100000000.00, ph,
        case when ph = 'suspended' then 'started' end,
        case when ph in ('signed','started','operating','completed','suspended') then ${`${year - 1}-03-01`}::date + (i % 300) end,
        case when ph in ('started','operating','completed','suspended') then ${`${year - 1}-06-01`}::date + (i % 200) end,
        case when ph in ('operating','completed') then ${`${year}-01-15`}::date + (i % 60) end,
        case when ph = 'completed' then ${`${year}-03-20`}::date + (i % 90) end,
        case when ph = 'suspended' then ${`${year}-02-01`}::date + (i % 30) end,
        ${`${year}-01-01`}::date + (i % 330), ${`${year}-04-01`}::date + (i % 600),
        now(), now()
      from (select i, (array['pipeline','signed','started','started','started','operating','completed','suspended'])[1 + (i * 7 + 3) % 8] as ph
            from generate_series(1, ${N_PROJECTS}) i) g`);
  });
  await db.execute(sql`
    insert into project_annual_plans (zone_id, project_id, year, planned_investment)
    select zone_id, id, ${year}, round(total_investment / 5, 2) from projects where zone_id = ${z} and phase <> 'pipeline'`);
  const tProjects = performance.now() - t0;
  let tReports = 0;
  if (REPORTS) {
    t0 = performance.now();
    // One statement per month: the database keeps project_report_totals in step (its triggers), as for any report write.
    const months = Number(today.slice(5, 7));
    for (let m = 1; m <= months; m++) {
      await db.execute(sql`
        insert into monthly_reports (zone_id, project_id, month, completed_investment, funds_in_place, progress)
        select p.zone_id, p.id, make_date(${year}, ${m}, 1), round(a.planned_investment * (5 + abs(hashtext(p.id::text || ${m})) % 12) / 100, 2),
          round(a.planned_investment * (4 + abs(hashtext(p.id::text || ${m})) % 10) / 100, 2), '按计划推进'
        from projects p join project_annual_plans a on a.zone_id = p.zone_id and a.project_id = p.id and a.year = ${year}
        where p.zone_id = ${z} and p.phase in ('signed','started','operating','completed')`);
      log(`reports ${year}-${String(m).padStart(2, '0')}, ${secs(performance.now() - t0)}`);
    }
    tReports = performance.now() - t0;
  }
  out.push(`data: ${N_PROJECTS} projects in ${secs(tProjects)} (indexes ${secs(tIdx)}), reports ${REPORTS ? secs(tReports) : 'skipped (BENCH_REPORTS=0)'}`);

  // --- problems ------------------------------------------------------------------------------------------------
  t0 = performance.now();
  const raisers = ['hq.cuizhai', 'hqstaff.cuizhai', 'hq.fuzhongxin', 'hq.nev', 'hq.hydrogen', 'staff.cuizhai', 'leader'].map((k) => zone.users[k]!);
  const tPidx = await withoutIndexes(db, ['problems'], async () => {
    const CHUNK = 200_000;
    for (let start = 0; start < N_PROBLEMS; start += CHUNK) {
      const end = Math.min(N_PROBLEMS, start + CHUNK);
      // s: 0..99 decides the state; open problems are recent (≤ 90 days), closed ones spread over three years.
      await db.execute(sql`
        insert into problems (id, zone_id, code, title, source, command_id, category, priority, state, lead_unit_id, deadline_workdays, deadline, warn_on,
          reminded_at, supervision_level, suspended_on, merged_into_id, raised_by, raised_by_name, raised_at, raised_on, assigned_at, assigned_on, closed_at, closed_on,
          closed_on_time, workdays_to_close, return_count, created_at, updated_at)
        select md5('prob' || i)::uuid, ${z}::uuid, 'WT-' || extract(year from r)::int || '-' || lpad(i::text, 7, '0'),
          (${texts(PLACES)})[1 + i % ${PLACES.length}] || '片区基准问题' || i, (${texts(SOURCES)})[1 + i % ${SOURCES.length}],
          (${uuids(commandIds)})[1 + (i / 7) % ${commandIds.length}], (${texts(CATEGORIES)})[1 + (i / 3) % ${CATEGORIES.length}],
          case when i % 20 = 0 then 'urgent' when i % 5 = 0 then 'high' else 'normal' end, st,
          case when st in ('raised', 'merged') then null else (${uuids(unitIds)})[1 + (i / 11) % ${unitIds.length}] end,
          case when dl is null then null else 10 end, dl, dl - 2,
          case when st in ('assigned', 'in_progress') and i % 10 = 0 then raised + interval '2 days' end,
          case when st in ('in_progress', 'suspended') and i % 25 = 0 then 1 else 0 end,
          case when st = 'suspended' then least(r + 5, ${today}::date) end, case when st = 'merged' then md5('prob' || (i - 1))::uuid end,
          (${uuids(raisers)})[1 + i % ${raisers.length}], '基准测试', raised, r,
          case when dl is null then null else raised + interval '1 hour' end, case when dl is null then null else r end,
          case when st = 'closed' then raised + (cd - r) * interval '1 day' + interval '2 hours' end, case when st = 'closed' then cd end,
          case when st = 'closed' then cd <= dl end, case when st = 'closed' then ((cd - r) * 5) / 7 end,
          case when i % 31 = 0 then 2 when i % 7 = 0 then 1 else 0 end, raised, raised
        from (
          select i, st, r, raised, dl, case when st = 'closed' then least(r + 3 + (i * 13) % 50, ${today}::date) end as cd
          from (
            select i, st, r, (r::timestamp + interval '9 hours') at time zone 'Asia/Shanghai' as raised,
              case when st in ('raised', 'merged') then null else r + 5 + (i * 7) % 35 end as dl
            from (
              select i, st, case when st in ('closed', 'merged') then ${today}::date - (1 + (i * 37) % 1095) else ${today}::date - (i * 17) % 90 end as r
              from (
                select i, case
                  when i % 100 < 55 then 'closed' when i % 100 < 57 then 'merged' when i % 100 < 60 then 'raised' when i % 100 < 68 then 'assigned'
                  when i % 100 < 70 then 'handed_back' when i % 100 < 92 then 'in_progress' when i % 100 < 95 then 'suspended' else 'submitted' end as st
                from generate_series(${start + 1}::int, ${end}::int) i
              ) a
            ) b
          ) c
        ) d`);
      log(`problems ${end} / ${N_PROBLEMS}, ${secs(performance.now() - t0)}`);
    }
  });
  const tProblems = performance.now() - t0;
  out.push(`data: ${N_PROBLEMS} problems in ${secs(tProblems)} (indexes and keys ${secs(tPidx)})`);

  // --- meetings and decisions ------------------------------------------------------------------------------------
  t0 = performance.now();
  await db.execute(sql`
    insert into meetings (id, zone_id, command_id, type, number, starts_at, ends_at, held_on, status, created_at, updated_at)
    select md5('meet' || i)::uuid, ${z}::uuid, (${uuids(commandIds)})[1 + i % ${commandIds.length}], 'regular', 1 + i / ${commandIds.length},
      (d::timestamp + interval '9 hours') at time zone 'Asia/Shanghai', (d::timestamp + interval '11 hours') at time zone 'Asia/Shanghai', d,
      case when d > ${today}::date then 'planned' when i % 10 = 0 then 'held' when i % 97 = 0 then 'cancelled' else 'minutes_issued' end, now(), now()
    from (select i, ${today}::date - 1000 + (i * 1030 / ${N_MEETINGS}) as d from generate_series(0, ${N_MEETINGS - 1}) i) g`);
  // Three decisions each: a problem (one of the generated problems) and two tasks, one of them still open.
  await db.execute(sql`
    insert into meeting_decisions (zone_id, meeting_id, seq, text, kind, lead_unit_id, deadline, problem_id, task_status, created_at, updated_at)
    select m.zone_id, m.id, k, '基准议定事项' || k, case when k = 1 then 'problem' else 'task' end, (${uuids(unitIds)})[1 + (abs(hashtext(m.id::text)) + k) % ${unitIds.length}],
      m.held_on + 10, case when k = 1 then md5('prob' || (1 + abs(hashtext(m.id::text)) % ${N_PROBLEMS}))::uuid end,
      case when k = 1 then null when k = 2 then 'done' when m.held_on > ${today}::date - 60 then 'open' else 'done' end, now(), now()
    from meetings m cross join generate_series(1, 3) k where m.zone_id = ${z} and m.status <> 'planned'`);
  out.push(`data: ${N_MEETINGS} meetings with their decisions in ${secs(performance.now() - t0)}`);
  t0 = performance.now();
  for (const tbl of ['projects', 'project_annual_plans', 'monthly_reports', 'project_report_totals', 'problems', 'meetings', 'meeting_decisions']) await db.execute(sql.raw(`vacuum analyze ${tbl}`));
  out.push(`vacuum analyze ${secs(performance.now() - t0)}`);
}

/** A few overview figures against direct SQL (the full comparison is src/server/modules/cockpit/cockpit.test.ts). */
async function check(db: Db, zoneId: string, o: CockpitOverviewDto): Promise<string> {
  const today = o.today;
  const monday = addDays(today, -((weekday(today) + 6) % 7));
  const c = o.commandId ? sql`and command_id = ${o.commandId}` : sql``;
  const [e] = await queryRows<Record<string, number | string>>(
    db,
    sql`select
      (select count(*) from projects where zone_id = ${zoneId} ${c})::int as projects,
      (select coalesce(sum(total_investment), 0)::numeric(20,2)::text from projects where zone_id = ${zoneId} ${c}) as total,
      (select count(*) from problems where zone_id = ${zoneId} ${c} and state not in ('closed','merged'))::int as open,
      (select count(*) from problems where zone_id = ${zoneId} ${c} and state not in ('closed','merged') and deadline is not null
         and (case when state = 'suspended' and suspended_on is not null then suspended_on else ${today}::date end) > deadline)::int as red,
      (select count(*) from problems where zone_id = ${zoneId} ${c} and raised_on between ${o.from}::date and ${o.to}::date)::int as raised,
      (select count(*) from problems where zone_id = ${zoneId} ${c} and state = 'closed' and closed_on between ${monday}::date and ${today}::date)::int as week,
      (select count(*) from meetings where zone_id = ${zoneId} ${c} and status in ('held','minutes_issued') and held_on between ${o.from}::date and ${o.to}::date)::int as held`,
  );
  const got = {
    projects: o.projects.count.n,
    total: o.projects.totalInvestment.value,
    open: o.problems.open.n,
    red: o.problems.overdue.n,
    raised: o.problems.raised.n,
    week: o.problems.closedThisWeek.n,
    held: o.meetings.held.n,
  };
  const bad = Object.entries(got).filter(([k, v]) => String(v) !== String(e![k]));
  if (bad.length) throw new Error(`overview differs from direct SQL: ${bad.map(([k, v]) => `${k} ${v} ≠ ${e![k]}`).join(', ')}`);
  return `projects ${got.projects}, open ${got.open}, overdue ${got.red}, raised ${got.raised}, closed this week ${got.week}, meetings held ${got.held}`;
}

async function signIn(app: Awaited<ReturnType<typeof buildApp>>['app'], username: string): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  const sid = login.cookies.find((c) => c.name === 'qibu_sid')?.value;
  if (login.statusCode !== 200 || !sid) throw new Error(`sign-in of ${username}: ${login.statusCode} ${login.body.slice(0, 200)}`);
  return `qibu_sid=${sid}`;
}

async function main() {
  const dbName = REUSE ?? `qibu_bench_cockpit_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  if (!REUSE) await admin.query(`create database ${dbName}`);
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  const config = { ...loadConfig({}), databaseUrl: url.toString(), dataDir: `/tmp/${dbName}`, secretKey: randomBytes(32).toString('hex'), demo: false, logLevel: 'silent' };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  const out: string[] = [];
  let prefix = 'bench.';
  try {
    if (!REUSE) await migrate(database.db);
    const { app, services } = await buildApp({ config, database, logger: false });
    const db = services.db;
    let zone: Zone;
    if (REUSE) {
      const [zr] = await queryRows<{ id: string; code: string }>(db, sql`select id, code from zones where code like 'bench%' order by created_at desc limit 1`);
      if (!zr) throw new Error(`no bench zone in ${dbName}`);
      prefix = `${zr.code}.`;
      const cmds = await queryRows<{ id: string }>(db, sql`select id from commands where zone_id = ${zr.id}`);
      const usrs = await queryRows<{ id: string; username: string }>(db, sql`select id, username from users where zone_id = ${zr.id}`);
      zone = { zoneId: zr.id, units: {}, commands: Object.fromEntries(cmds.map((c, i) => [String(i), c.id])), users: Object.fromEntries(usrs.map((u) => [u.username.slice(prefix.length), u.id])) };
      await db.execute(sql`update users set password_hash = ${await hashPassword(PASSWORD)} where zone_id = ${zr.id}`);
    } else {
      zone = await db.transaction(async (tx) =>
        seedZone(tx, services, { zoneCode: 'bench', zoneName: '基准测试区', usernamePrefix: prefix, isDemo: true, passwordHash: await hashPassword(PASSWORD), withLedger: false }),
      );
      await generate(db, zone, out);
    }
    const t0 = performance.now();
    if (SUMMARIES) {
      await installSummaries(db);
      await db.execute(sql`vacuum analyze problem_day_counts`);
      await db.execute(sql`vacuum analyze problem_open_counts`);
    } else await dropSummaries(db);
    out.push(`cockpit summaries: ${SUMMARIES ? `installed (or already there) in ${secs(performance.now() - t0)}` : 'none (BENCH_SUMMARIES=0: the live path)'}`);
    const [counts] = await queryRows<{ projects: number; reports: number; problems: number; open: number; meetings: number; decisions: number; size: string }>(
      db,
      sql`select (select count(*) from projects where zone_id = ${zone.zoneId})::int as projects, (select count(*) from monthly_reports where zone_id = ${zone.zoneId})::int as reports,
        (select count(*) from problems where zone_id = ${zone.zoneId})::int as problems,
        (select count(*) from problems where zone_id = ${zone.zoneId} and state not in ('closed','merged'))::int as open,
        (select count(*) from meetings where zone_id = ${zone.zoneId})::int as meetings, (select count(*) from meeting_decisions where zone_id = ${zone.zoneId})::int as decisions,
        pg_size_pretty(pg_database_size(current_database())) as size`,
    );
    out.push(
      `rows: ${counts!.projects} projects, ${counts!.reports} monthly reports, ${counts!.problems} problems (${counts!.open} open), ${counts!.meetings} meetings, ${counts!.decisions} decisions; database ${counts!.size}`,
    );

    const leader = await signIn(app, `${prefix}leader`);
    const hq = await signIn(app, `${prefix}hq.cuizhai`);
    const cuizhai = (await queryRows<{ id: string }>(db, sql`select id from commands where zone_id = ${zone.zoneId} and name = '崔寨片区建设指挥部'`))[0]!.id;
    const bare = new pg.Client({ connectionString: config.databaseUrl });
    bare.on('error', () => {}); // the database is dropped with force at the end
    await bare.connect();
    const today = shanghaiDay(new Date());
    const monday = addDays(today, -((weekday(today) + 6) % 7));
    const scenarios: [string, string, string][] = [
      ['leader, whole zone, this year (default)', leader, '/api/cockpit/overview'],
      ['leader, whole zone, this week', leader, `/api/cockpit/overview?from=${monday}&to=${today}`],
      ['leader, one HQ (崔寨), this year', leader, `/api/cockpit/overview?commandId=${cuizhai}`],
      ['HQ commander (崔寨), this year', hq, '/api/cockpit/overview'],
      ['HQ commander (崔寨), this month', hq, `/api/cockpit/overview?from=${today.slice(0, 8)}01&to=${today}`],
      ['big-screen map, leader (3 000 points)', leader, '/api/cockpit/map'],
    ];
    out.push('');
    out.push(`| scenario | HTTP p50 ms | HTTP p95 ms | bare SQL p50 ms | bare SQL p95 ms | ratio p50 | ratio p95 | statements |`);
    out.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    const checks: string[] = [];
    for (const [label, cookie, path] of scenarios) {
      let body: unknown;
      const call = async () => {
        const res = await app.inject({ method: 'GET', url: path, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        body = res.json();
      };
      const recorded = await recordStatements(call);
      if (path.includes('/overview')) checks.push(`${label}: ${await check(db, zone.zoneId, body as CockpitOverviewDto)}`);
      const statements = recorded.map((r) => ({ ...r }));
      const http = await timed(RUNS, call);
      const sqlOnly = await timed(RUNS, async () => {
        for (const st of statements) await bare.query(st.text, st.values as unknown[]);
      });
      const counted = statements.filter((s) => !/^(begin|commit|rollback|set local)/i.test(s.text.trim())).length;
      out.push(
        `| ${label} | ${fmt(http.p50)} | ${fmt(http.p95)} | ${fmt(sqlOnly.p50)} | ${fmt(sqlOnly.p95)} | ${(http.p50 / sqlOnly.p50).toFixed(2)} | ${(http.p95 / sqlOnly.p95).toFixed(2)} | ${counted} |`,
      );
      log(out.at(-1)!);
    }
    // What the summaries cost a write: single-problem updates that move it between summary keys (reminded or not,
    // another deadline), each its own transaction, with the triggers and with them switched off. Every problem is
    // changed twice (there and back), so the table ends as it began and the summaries stay right either way.
    if (SUMMARIES && WRITES > 0) {
      const ids = (await queryRows<{ id: string }>(db, sql`select id from problems where zone_id = ${zone.zoneId} and state = 'in_progress' order by id limit ${WRITES}`)).map((r) => r.id);
      const flip = async () => {
        const t: number[] = [];
        for (const id of ids) {
          for (const step of [0, 1]) {
            const t0 = performance.now();
            await bare.query(
              step === 0
                ? `update problems set reminded_at = case when reminded_at is null then now() end, deadline = deadline + 1 where zone_id = $1 and id = $2`
                : `update problems set reminded_at = case when reminded_at is null then now() end, deadline = deadline - 1 where zone_id = $1 and id = $2`,
              [zone.zoneId, id],
            );
            t.push(performance.now() - t0);
          }
        }
        t.sort((a, b) => a - b);
        return { p50: percentile(t, 50), p95: percentile(t, 95), n: t.length };
      };
      const withTriggers = await flip();
      await bare.query('alter table problems disable trigger problems_counts_update');
      const without = await flip();
      await bare.query('alter table problems enable trigger problems_counts_update');
      out.push('');
      out.push(`| single-problem update (${withTriggers.n} autocommit updates moving a problem between summary keys) | p50 ms | p95 ms |`);
      out.push('| --- | ---: | ---: |');
      out.push(`| with the summaries' trigger | ${fmt(withTriggers.p50)} | ${fmt(withTriggers.p95)} |`);
      out.push(`| trigger switched off | ${fmt(without.p50)} | ${fmt(without.p95)} |`);
    }
    out.push('');
    out.push('figures checked against direct SQL counts:');
    for (const c of checks) out.push(`- ${c}`);
    if (process.env.BENCH_EXPLAIN === '1') {
      // The plans of the slowest statements of the leader's default overview, for tuning.
      const recorded = await recordStatements(() => app.inject({ method: 'GET', url: '/api/cockpit/overview', headers: { cookie: leader } }));
      const timedStatements: { ms: number; text: string; values: unknown[] }[] = [];
      for (const st of recorded.filter((s) => /^\s*(select|with)/i.test(s.text))) {
        const t0 = performance.now();
        await bare.query(st.text, st.values as unknown[]);
        timedStatements.push({ ms: performance.now() - t0, ...st });
      }
      for (const st of timedStatements) log(`${st.ms.toFixed(1).padStart(8)} ms  ${st.text.slice(0, 110).replace(/\s+/g, ' ')}`);
      for (const st of timedStatements.sort((a, b) => b.ms - a.ms).slice(0, 4)) {
        const plan = await bare.query(`explain (analyze, buffers) ${st.text}`, st.values as unknown[]);
        log(`\n--- ${st.ms.toFixed(1)} ms: ${st.text.slice(0, 160).replace(/\s+/g, ' ')}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
    await bare.end();
    await app.close();
  } catch (err) {
    log(`bench failed: ${(err as Error).stack ?? String(err)}${(err as { cause?: unknown }).cause ? `\ncause: ${String((err as { cause?: unknown }).cause)}` : ''}`);
    process.exitCode = 1;
  } finally {
    await database.close();
    if (!KEEP && !REUSE) await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  const kept = KEEP || REUSE ? ` (database ${dbName} kept: BENCH_REUSE=${dbName})` : '';
  process.stdout.write(
    `\nCockpit benchmark — ${N_PROJECTS} projects, ${N_PROBLEMS} problems, ${N_MEETINGS} meetings, ${RUNS} runs each, PostgreSQL ${base!.replace(/\/\/[^@]*@/, '//')}${kept}\n${out.join('\n')}\n`,
  );
}

await main();
