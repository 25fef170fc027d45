/**
 * Ledger benchmark (issue 3): N projects (default 100 000) with 12 monthly reports each (1.2 M) on PostgreSQL.
 * Measures list, filter, search and metrics through the real HTTP layer (app.inject), the same SQL run bare on a
 * plain pg client, and an Excel import. Prints a table; docs/performance.md records the figures.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/ledger.bench.ts
 *   BENCH_PROJECTS=20000 BENCH_RUNS=20 BENCH_IMPORT_ROWS=10000 …   (smaller / faster)
 *   BENCH_REPORT_MONTHS=rolling    each project's 12 reports are the 12 months up to this one (default: as the API
 *                                  allows, no report for a month not yet begun)
 *   BENCH_REPORT_MONTHS=calendar   the 12 months of this year, later months included (the shape measured before
 *                                  2026-11-28; the API refuses such reports, and they put every project's year
 *                                  figures on the slower path that sums its reports: see docs/performance.md)
 *
 * It creates a database of its own on that server and drops it at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, queryRows } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import { seedZone } from '../src/server/demo/demo.ts';
import { searchDocument } from '../src/server/modules/projects/projects.search.ts';
import { projects } from '../src/server/modules/projects/projects.schema.ts';
import { ledgerXlsx, multipartBody } from '../src/server/modules/projects/import.testkit.ts';
import { percentile, recordStatements, timed } from './support.ts';

const N = Number(process.env.BENCH_PROJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const REPORT_MONTHS = process.env.BENCH_REPORT_MONTHS ?? 'rolling';
if (REPORT_MONTHS !== 'rolling' && REPORT_MONTHS !== 'calendar') throw new Error('BENCH_REPORT_MONTHS is rolling or calendar');
const base = process.env.DATABASE_URL;
if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (the bench makes a database of its own there)');

const PLACES = ['大桥', '崔寨', '太平', '孙耿', '桑梓店', '鹊山', '泺口', '黄河', '凤凰', '华山'];
const THINGS = ['新能源汽车零部件', '光伏组件', '氢能装备', '智能制造', '生物医药', '数据中心', '物流园', '安置房', '道路', '综合管廊', '学校', '医院', '电池材料', '储能电站', '文旅综合体'];
const KINDS = ['产业园', '项目', '基地', '工程', '中心'];
const PHASES = ['pipeline', 'signed', 'started', 'started', 'started', 'operating', 'completed', 'suspended'];

function pick<T>(xs: readonly T[], i: number): T {
  return xs[i % xs.length]!;
}

async function main() {
  const dbName = `qibu_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  const config = { ...loadConfig({}), databaseUrl: url.toString(), dataDir: `/tmp/${dbName}`, secretKey: randomBytes(32).toString('hex'), demo: false, logLevel: 'silent' };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  const out: string[] = [];
  try {
    await migrate(database.db);
    const { app, services } = await buildApp({ config, database, logger: false });
    const password = 'Bench@Pass2026';
    const zone = await services.db.transaction(async (tx) =>
      seedZone(tx, services, { zoneCode: 'bench', zoneName: '基准测试区', usernamePrefix: 'bench.', isDemo: true, passwordHash: await hashPassword(password), withLedger: false }),
    );
    const commandIds = Object.values(zone.commands);
    const unitIds = [zone.units.cuizhai!, zone.units.daqiao!, zone.units.taiping!, zone.units.economy!];
    const year = new Date().getFullYear();

    // --- data --------------------------------------------------------------------------------------------------
    let t0 = performance.now();
    for (let start = 0; start < N; start += 1000) {
      const rows = [];
      for (let i = start; i < Math.min(N, start + 1000); i++) {
        const name = `${pick(PLACES, i)}${pick(THINGS, Math.floor(i / 10))}${pick(KINDS, Math.floor(i / 7))}（${i + 1}期）`;
        const phase = pick(PHASES, i * 7 + 3);
        rows.push({
          zoneId: zone.zoneId,
          code: `XM-${String(i + 1).padStart(6, '0')}`,
          name,
          industry: pick(['nev', 'pv', 'hydrogen', 'ict', 'equipment', 'urban'], i),
          kind: pick(['industrial', 'infrastructure', 'public_service'], i),
          level: pick(['province', 'city', 'district', 'district'], i),
          commandId: pick(commandIds, i),
          leadUnitId: pick(unitIds, Math.floor(i / 3)),
          address: `济南起步区${pick(PLACES, i + 3)}街道`,
          totalInvestment: `${(i % 500) + 1}00000000.00`,
          phase,
          suspendedFrom: phase === 'suspended' ? 'started' : null,
          startedOn: ['started', 'operating', 'completed'].includes(phase) || phase === 'suspended' ? `${year - 1}-0${(i % 9) + 1}-15` : null,
          plannedStartOn: `${year}-0${(i % 9) + 1}-01`,
          plannedCompletionOn: `${year + (i % 3)}-12-31`,
          searchDoc: searchDocument([name, `${pick(PLACES, i + 3)}街道`]),
        });
      }
      await services.db.insert(projects).values(rows);
    }
    const tProjects = performance.now() - t0;
    t0 = performance.now();
    await services.db.execute(sql`
      insert into project_annual_plans (zone_id, project_id, year, planned_investment)
      select zone_id, id, ${year}, total_investment / 5 from projects where zone_id = ${zone.zoneId}`);
    // One statement: the database keeps project_report_totals in step (its triggers), as for any report write.
    const firstMonth = REPORT_MONTHS === 'calendar' ? `${year}-01-01` : `${new Date().toISOString().slice(0, 7)}-01`;
    const monthOffset = REPORT_MONTHS === 'calendar' ? sql`(m - 1)` : sql`(m - 12)`;
    await services.db.execute(sql`
      insert into monthly_reports (zone_id, project_id, month, completed_investment, funds_in_place, progress)
      select p.zone_id, p.id, (${firstMonth}::date + make_interval(months => ${monthOffset}::int))::date, p.total_investment / 90, p.total_investment / 100, '按计划推进'
      from projects p cross join generate_series(1, 12) m where p.zone_id = ${zone.zoneId}`);
    // As autovacuum leaves freshly loaded tables: statistics, visibility map, hint bits (else the first minutes
    // measure the clean-up, and autovacuum running alongside).
    await services.db.execute(sql`vacuum analyze`);
    const tReports = performance.now() - t0;
    const [counts] = await queryRows<{ projects: number; reports: number }>(
      services.db,
      sql`select (select count(*) from projects where zone_id = ${zone.zoneId})::int as projects, (select count(*) from monthly_reports where zone_id = ${zone.zoneId})::int as reports`,
    );
    out.push(`data: ${counts!.projects} projects in ${(tProjects / 1000).toFixed(1)} s; ${counts!.reports} reports (${REPORT_MONTHS} months) + plans in ${(tReports / 1000).toFixed(1)} s`);

    // --- HTTP vs bare SQL -------------------------------------------------------------------------------------
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench.leader', password } });
    const cookie = `qibu_sid=${login.cookies.find((c) => c.name === 'qibu_sid')!.value}`;
    const bare = new pg.Client({ connectionString: config.databaseUrl });
    bare.on('error', () => {}); // the database is dropped with force at the end
    await bare.connect();
    const scenarios: [string, string][] = [
      ['list (page 1, 50 rows)', '/api/projects'],
      ['filter (phase=started, one HQ, ≥10亿)', `/api/projects?phase=started&commandId=${commandIds[1]}&minInvestment=1000000000.00`],
      ['search q=氢能', `/api/projects?q=${encodeURIComponent('氢能')}`],
      ['search q=光伏组件', `/api/projects?q=${encodeURIComponent('光伏组件')}`],
      ['lagging only', '/api/projects?lagging=true'],
      ['metrics (whole zone)', '/api/projects/metrics'],
      ['metrics as of June 30', `/api/projects/metrics?asOf=${year}-06-30`],
    ];
    out.push('');
    out.push(`| scenario | HTTP p50 ms | HTTP p95 ms | bare SQL p50 ms | bare SQL p95 ms | statements |`);
    out.push(`| --- | ---: | ---: | ---: | ---: | ---: |`);
    for (const [label, path] of scenarios) {
      const call = async () => {
        const res = await app.inject({ method: 'GET', url: path, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      };
      const recorded = await recordStatements(call);
      const statements = recorded.filter((r) => !/^(begin|commit|rollback)/i.test(r.text)).map((r) => ({ ...r }));
      const http = await timed(RUNS, call);
      const sqlOnly = await timed(RUNS, async () => {
        for (const st of statements) await bare.query(st.text, st.values as unknown[]);
      });
      out.push(`| ${label} | ${http.p50.toFixed(1)} | ${http.p95.toFixed(1)} | ${sqlOnly.p50.toFixed(1)} | ${sqlOnly.p95.toFixed(1)} | ${statements.length} |`);
    }
    await bare.end();

    // --- Excel import -----------------------------------------------------------------------------------------
    if (IMPORT_ROWS > 0) {
      const hq = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench.hq.cuizhai', password } });
      const hqCookie = `qibu_sid=${hq.cookies.find((c) => c.name === 'qibu_sid')!.value}`;
      const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => ({
        项目编号: `IM-${String(i + 1).padStart(6, '0')}`,
        项目名称: `${pick(PLACES, i)}${pick(THINGS, i)}导入项目${i + 1}`,
        级别: '区重点',
        指挥部: '崔寨片区建设指挥部',
        '总投资(亿元)': String((i % 90) + 1),
      }));
      const xlsx = await ledgerXlsx(rows);
      const body = multipartBody('bench.xlsx', xlsx);
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      t0 = performance.now();
      const started = await app.inject({ method: 'POST', url: '/api/projects/import', payload: body.payload, headers: { ...body.headers, cookie: hqCookie } });
      if (started.statusCode !== 202) throw new Error(`import: ${started.statusCode} ${started.body.slice(0, 300)}`);
      const id = started.json().id as string;
      let status = 'validating';
      let view: { status: string; summary?: unknown } = { status };
      while (status === 'validating') {
        await new Promise((r) => setTimeout(r, 250));
        view = (await app.inject({ method: 'GET', url: `/api/projects/import/${id}`, headers: { cookie: hqCookie } })).json();
        status = view.status;
      }
      const tValidate = performance.now() - t0;
      t0 = performance.now();
      const confirmed = await app.inject({ method: 'POST', url: `/api/projects/import/${id}/confirm`, headers: { cookie: hqCookie } });
      const tApply = performance.now() - t0;
      clearInterval(sampler);
      out.push('');
      out.push(
        `import ${IMPORT_ROWS} rows (${(xlsx.length / 1e6).toFixed(1)} MB xlsx): validate ${(tValidate / 1000).toFixed(1)} s (${status}, ${JSON.stringify(view.summary)}), ` +
          `confirm ${(tApply / 1000).toFixed(1)} s (${confirmed.statusCode} ${confirmed.body.slice(0, 80)}), peak RSS ${(peak / 1e6).toFixed(0)} MB`,
      );
    }
    await app.close();
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  process.stdout.write(`\nLedger benchmark — ${N} projects, ${RUNS} runs each, PostgreSQL ${base!.replace(/\/\/[^@]*@/, '//')}\n${out.join('\n')}\n`);
}

await main();
