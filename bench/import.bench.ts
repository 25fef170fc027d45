/**
 * Excel import benchmark (issue 3): upload + validate + confirm of N new projects, then a re-import of the same
 * codes that changes half of them (updates by 项目编号), end to end through the HTTP layer (app.inject) on
 * PostgreSQL, with peak RSS; then `qibu audit verify` of the zone (the set-based confirmation writes its audit
 * rows in bulk: the chains must still verify). Prints a table; docs/performance.md records the figures.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import.bench.ts
 *   BENCH_IMPORT_SIZES=10000,100000   rows per import (default), each size in the same zone with its own codes
 *   BENCH_ROW_BY_ROW=2000             also time that many creates through the row-by-row path (insertProject in
 *                                     one transaction, as the confirmation worked before), for comparison
 *   NODE_OPTIONS=--expose-gc          collect garbage before each step, so the RSS figures are the step's own
 *
 * It creates a database of its own on that server and drops it at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { verifyAudit } from '../src/server/audit/audit.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Caller } from '../src/server/context.ts';
import { openDatabase, queryRows } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { seedZone } from '../src/server/demo/demo.ts';
import { ledgerXlsx, multipartBody, type RowSpec } from '../src/server/modules/projects/import.testkit.ts';
import { insertProject } from '../src/server/modules/projects/projects.service.ts';

const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '10000,100000').split(',').map(Number);
const ROW_BY_ROW = Number(process.env.BENCH_ROW_BY_ROW ?? 0);
const base = process.env.DATABASE_URL;
if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (the bench makes a database of its own there)');

const PLACES = ['大桥', '崔寨', '太平', '孙耿', '桑梓店', '鹊山', '泺口', '黄河', '凤凰', '华山'];
const THINGS = ['新能源汽车零部件', '光伏组件', '氢能装备', '智能制造', '生物医药', '数据中心', '物流园', '安置房', '道路', '综合管廊'];
const INDUSTRIES = ['新能源汽车', '光伏', '氢能', '高端装备'];
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

/** Eight columns a row (the 10 MB upload limit holds 100 000 rows of about this width). */
function rowOf(prefix: string, i: number, changed: boolean): RowSpec {
  const phase = pick(['储备', '签约', '开工'], i);
  return {
    项目编号: `${prefix}-${String(i + 1).padStart(6, '0')}`,
    项目名称: `${pick(PLACES, i)}${pick(THINGS, Math.floor(i / 10))}导入项目${i + 1}${changed ? '（二期）' : ''}`,
    级别: '区重点',
    指挥部: '崔寨片区建设指挥部',
    '总投资(亿元)': String((i % 90) + 1 + (changed ? 0.5 : 0)),
    行业: pick(INDUSTRIES, i),
    '年度计划投资(亿元)': String((i % 9) + 1),
    当前阶段: phase,
    ...(phase === '签约' ? { 签约日期: '2025-06-01' } : phase === '开工' ? { 开工日期: '2025-09-15' } : {}),
  };
}

async function main() {
  const dbName = `qibu_import_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  const config = { ...loadConfig({}), databaseUrl: url.toString(), dataDir: `/tmp/${dbName}`, secretKey: randomBytes(32).toString('hex'), demo: false, logLevel: 'silent' };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  const out: string[] = [
    '| rows | step | xlsx MB | validate s | confirm s | result | RSS before MB | peak RSS validate MB | peak RSS confirm MB |',
    '| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ];
  try {
    await migrate(database.db);
    const { app, services } = await buildApp({ config, database, logger: false });
    const password = 'Bench@Pass2026';
    const zone = await services.db.transaction(async (tx) =>
      seedZone(tx, services, { zoneCode: 'bench', zoneName: '导入基准测试区', usernamePrefix: 'bench.', isDemo: true, passwordHash: await hashPassword(password), withLedger: false }),
    );
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench.hq.cuizhai', password } });
    const cookie = `qibu_sid=${login.cookies.find((c) => c.name === 'qibu_sid')!.value}`;

    const run = async (n: number, step: string, rows: RowSpec[]) => {
      const xlsx = await ledgerXlsx(rows);
      const body = multipartBody('bench.xlsx', xlsx);
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      let t0 = performance.now();
      const started = await app.inject({ method: 'POST', url: '/api/projects/import', payload: body.payload, headers: { ...body.headers, cookie } });
      if (started.statusCode !== 202) throw new Error(`import: ${started.statusCode} ${started.body.slice(0, 300)}`);
      const id = started.json().id as string;
      let view: { status: string; summary?: Record<string, number> } = { status: 'validating' };
      while (view.status === 'validating') {
        await new Promise((r) => setTimeout(r, 100));
        view = (await app.inject({ method: 'GET', url: `/api/projects/import/${id}`, headers: { cookie } })).json();
      }
      const tValidate = performance.now() - t0;
      const peakValidate = peak;
      if (view.status !== 'ready') throw new Error(`import ${id}: ${view.status} ${JSON.stringify(view)}`);
      global.gc?.();
      peak = process.memoryUsage().rss;
      t0 = performance.now();
      const confirmed = await app.inject({ method: 'POST', url: `/api/projects/import/${id}/confirm`, headers: { cookie } });
      const tConfirm = performance.now() - t0;
      clearInterval(sampler);
      if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.statusCode} ${confirmed.body.slice(0, 300)}`);
      const mb = (v: number) => (v / 1e6).toFixed(0);
      out.push(
        `| ${n} | ${step} | ${(xlsx.length / 1e6).toFixed(1)} | ${(tValidate / 1000).toFixed(1)} | ${(tConfirm / 1000).toFixed(1)} | ${confirmed.body} | ${mb(before)} | ${mb(peakValidate)} | ${mb(peak)} |`,
      );
      process.stderr.write(`${out.at(-1)}\n`);
    };

    for (const n of SIZES) {
      const prefix = `IM${n}`;
      await run(n, 'new projects', Array.from({ length: n }, (_, i) => rowOf(prefix, i, false)));
      // The same file again with every other row changed: updates by 项目编号, the rest unchanged.
      await run(n, 're-import, half changed', Array.from({ length: n }, (_, i) => rowOf(prefix, i, i % 2 === 0)));
    }

    if (ROW_BY_ROW > 0) {
      // The previous confirmation: every row through insertProject (its checks, insert, plan, audit row) in one transaction.
      const [user] = await queryRows<{ id: string }>(services.db, sql`select id from users where zone_id = ${zone.zoneId} and username = 'bench.hq.cuizhai'`);
      const caller: Caller = {
        zoneId: zone.zoneId,
        userId: user!.id,
        username: 'bench.hq.cuizhai',
        displayName: '赵振华（演示）',
        roles: ['hq_commander'],
        unitId: zone.units.cuizhai!,
        enterpriseId: null,
        commandIds: [zone.commands.cuizhai!],
        ledCommandIds: [zone.commands.cuizhai!],
        sessionId: 'bench',
        ip: null,
        requestId: 'bench',
      };
      const t0 = performance.now();
      await services.db.transaction(async (tx) => {
        for (let i = 0; i < ROW_BY_ROW; i++) {
          await insertProject(tx, services, caller, {
            code: `RB-${String(i + 1).padStart(6, '0')}`,
            name: `逐行写入项目${i + 1}`,
            level: 'district',
            commandId: zone.commands.cuizhai!,
            totalInvestment: `${(i % 90) + 1}00000000.00`,
            industry: 'pv',
            year: new Date().getFullYear(),
            yearPlannedInvestment: `${(i % 9) + 1}00000000.00`,
          });
        }
      });
      const t = performance.now() - t0;
      out.push('', `row by row (the previous confirmation path): ${ROW_BY_ROW} creates in ${(t / 1000).toFixed(1)} s = ${(t / ROW_BY_ROW).toFixed(2)} ms a row`);
    }

    const t0 = performance.now();
    const report = await verifyAudit(services.db, services.keys.auditKey, zone.zoneId);
    out.push('', `audit verify of the zone: ${report.rowsChecked} rows in ${report.chainsChecked} chains, ${report.problems.length} problems, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (report.problems.length) out.push(JSON.stringify(report.problems));
    await app.close();
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  process.stdout.write(`\nImport benchmark — PostgreSQL ${base!.replace(/\/\/[^@]*@/, '//')}\n${out.join('\n')}\n`);
}

await main();
