import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../audit/audit.schema.ts';
import { verifyAudit } from '../../audit/audit.ts';
import type { Caller } from '../../context.ts';
import { Client, createZone, getHarness, signIn, type TestZone } from '../../test/harness.ts';
import { commandMembers } from '../org/org.schema.ts';
import { userRoles } from '../users/users.schema.ts';
import { plansOf, SNAPSHOT_KEYS } from './import.apply.ts';
import { DATA_SHEET, HELP_SHEET, LISTS_SHEET } from './import.columns.ts';
import { importSettled } from './import.service.ts';
import { buildZip, ledgerXlsx, multipartBody, unzipEntries, type RowSpec } from './import.testkit.ts';
import { effectiveChanges, parseDateCell, parseYiCell, phaseReachable, type ValidRow } from './import.validate.ts';
import type { ProjectInput } from './projects.dto.ts';
import { findProjectsByCodes } from './projects.repository.ts';
import { projectAnnualPlans, projectImports, projectPhaseChanges, projects } from './projects.schema.ts';
import { insertProject, patchProject } from './projects.service.ts';

interface ImportView {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  summary: { valid: number; invalid: number; creates: number; updates: number; unchanged: number; errorCount: number };
  errors: { row: number; column: string; value: string; message: string }[];
}

async function upload(client: Client, content: Buffer, fileName = '台账.xlsx') {
  const { payload, headers } = multipartBody(fileName, content);
  return client.request({ method: 'POST', url: '/api/projects/import', payload, headers });
}

/** Uploads a file and waits for its check to finish. */
async function importFile(client: Client, content: Buffer): Promise<ImportView> {
  const res = await upload(client, content);
  expect(res.statusCode, res.body).toBe(202);
  const started = res.json() as { id: string; status: string };
  expect(started.status).toBe('validating');
  await importSettled(started.id);
  const view = await client.get(`/api/projects/import/${started.id}`);
  expect(view.statusCode, view.body).toBe(200);
  return view.json() as ImportView;
}

async function zoneProjects(zone: TestZone) {
  const { services } = await getHarness();
  return services.db.select().from(projects).where(eq(projects.zoneId, zone.zoneId)).orderBy(projects.code);
}

const date = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** A row hq.cuizhai may import: every column filled, all of it right. */
function goodRow(code: string): RowSpec {
  return {
    项目编号: code,
    项目名称: '崔寨智能制造产业园',
    '建设单位(企业)': '山东光合高效电池组件有限公司（演示）',
    行业: '光伏',
    类别: '产业项目',
    级别: '区重点',
    组团: '崔寨组团',
    片区: '崔寨片区',
    建设地址: '崔寨街道高新产业集聚区',
    经度: 117.05,
    纬度: 36.8,
    指挥部: '崔寨片区建设指挥部',
    责任单位: '崔寨街道',
    包挂领导: '王立新（演示）',
    '总投资(亿元)': 12.5,
    年度: 2026,
    '年度计划投资(亿元)': 3.2,
    当前阶段: '开工',
    开工日期: date(2026, 3, 18),
    计划开工日期: '2026/3/1',
    计划竣工日期: '2027年12月31日',
    备注: '=不是公式',
  };
}

describe('ledger import: cell rules', () => {
  it('reads dates in the forms people type them, and only real dates', () => {
    const d = (v: string) => parseDateCell({ t: 's', v });
    expect([d('2026-04-25'), d('2026/4/5'), d('2026.04.05'), d('2026年4月25日'), d(' 2026 年 4 月 5 日 '), d('２０２６－０４－２５')]).toEqual([
      '2026-04-25',
      '2026-04-05',
      '2026-04-05',
      '2026-04-25',
      '2026-04-05',
      '2026-04-25',
    ]);
    expect([d('2026-02-29'), d('2024-02-29'), d('2026-13-01'), d('26-4-25'), d('2026-04'), d('明天')]).toEqual([null, '2024-02-29', null, null, null, null]);
    expect(parseDateCell({ t: 'd', v: new Date(Date.UTC(2023, 3, 25)) })).toBe('2023-04-25');
    expect(parseDateCell({ t: 'n', v: 45041 })).toBe('2023-04-25');
    expect(parseDateCell({ t: 'n', v: 45041.75 })).toBe('2023-04-25');
    expect(parseDateCell({ t: 'n', v: 20230425 })).toBeNull();
  });

  it('reads 亿元 exactly, to at most 6 decimals', () => {
    const yi = (v: string | number) => parseYiCell(typeof v === 'number' ? { t: 'n', v } : { t: 's', v });
    expect(yi(486.5)).toEqual({ yuan: '48650000000.00' });
    expect(yi('1,200.5 亿元')).toEqual({ yuan: '120050000000.00' });
    expect(yi('0.000001')).toEqual({ yuan: '100.00' });
    expect(yi(0.1 + 0.2)).toEqual({ yuan: '30000000.00' });
    expect(yi('0.0000001')).toEqual({ key: 'import.cell.money_precision' });
    expect(yi('-1')).toEqual({ key: 'import.cell.money_negative' });
    expect(yi('1e3')).toEqual({ key: 'import.cell.money_format' });
    expect(yi('123456789')).toEqual({ key: 'import.cell.money_too_large' });
    expect(yi('99999999.999999')).toEqual({ yuan: '9999999999999900.00' });
  });

  it('lets a re-import move a project forward through the phase machine, never back', () => {
    expect(phaseReachable('pipeline', null, 'operating')).toBe(true);
    expect(phaseReachable('pipeline', null, 'suspended')).toBe(true);
    expect(phaseReachable('suspended', 'started', 'completed')).toBe(true);
    expect(phaseReachable('suspended', 'started', 'signed')).toBe(false);
    expect(phaseReachable('operating', null, 'started')).toBe(false);
    expect(phaseReachable('completed', null, 'suspended')).toBe(false);
  });
});

describe('ledger import: template', () => {
  it('gives a template with Chinese headers, a 说明 sheet and drop-downs from the zone’s data', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const res = await hq.get('/api/projects/import/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([DATA_SHEET, HELP_SHEET, LISTS_SHEET]);
    expect(wb.getWorksheet(LISTS_SHEET)!.state).toBe('veryHidden');
    const data = wb.getWorksheet(DATA_SHEET)!;
    const headers = (data.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => (typeof v === 'object' && v && 'richText' in v ? v.richText.map((r) => r.text).join('') : v));
    expect(headers.slice(0, 6)).toEqual(['*项目编号', '*项目名称', '建设单位(企业)', '行业', '类别', '*级别']);
    expect(headers).toContain('*总投资(亿元)');
    expect(headers).toContain('包挂领导');
    expect(data.getCell('A1').note).toBeTruthy();
    const lists = wb.getWorksheet(LISTS_SHEET)!;
    const column = (title: string) => {
      for (let c = 1; c <= lists.columnCount; c++) {
        if (lists.getCell(1, c).value === title) return lists.getColumn(c).values.slice(2);
      }
      return [];
    };
    expect(column('行业')).toContain('新能源汽车');
    expect(column('级别')).toEqual(['省重点', '市重点', '区重点']);
    expect(column('阶段')).toEqual(['储备', '签约', '开工', '投产', '竣工', '停缓建']);
    expect(column('指挥部')).toContain('崔寨片区建设指挥部');
    expect(column('组团')).toEqual(['大桥组团', '崔寨组团']);
    expect(column('片区')).toContain('氢能产业片区');
    expect(column('责任单位')).toContain('崔寨街道');
    expect(column('包挂领导')).toContain('王立新（演示）');
    expect(column('企业')).toContain('国家电投济南绿动氢能科技有限公司');

    // The drop-downs themselves: list validations on the data rows, each pointing at a named list.
    const parts = new Map((await unzipEntries(res.rawPayload)).map((e) => [e.name, e.data.toString('utf8')]));
    const sheetXml = parts.get('xl/worksheets/sheet1.xml')!;
    const workbookXml = parts.get('xl/workbook.xml')!;
    for (const [col, list] of [
      ['D', 'list_industry'],
      ['E', 'list_kind'],
      ['F', 'list_level'],
      ['G', 'list_cluster'],
      ['H', 'list_area'],
      ['L', 'list_command'],
      ['M', 'list_unit'],
      ['N', 'list_leader'],
      ['S', 'list_phase'],
    ]) {
      expect(sheetXml).toMatch(new RegExp(`<dataValidation type="list"[^>]*sqref="${col}2:${col}20001"[^>]*>\\s*<formula1>${list}</formula1>`));
      expect(workbookXml).toContain(`name="${list}"`);
    }

    // The template itself, filled in (one row typed into the data sheet), imports as it is.
    const cells = ['TPL-001', '模板项目', '', '光伏', '产业项目', '区重点', '', '', '', '', '', '崔寨片区建设指挥部', '', '', '', '8'];
    const row2 = `<row r="2">${cells
      .map((v, i) => (v === '' ? '' : `<c r="${String.fromCharCode(65 + i)}2" t="inlineStr"><is><t>${v}</t></is></c>`))
      .join('')}</row>`;
    const entries = await unzipEntries(res.rawPayload);
    const filled = buildZip(entries.map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { ...e, data: Buffer.from(e.data.toString('utf8').replace('</row></sheetData>', `</row>${row2}</sheetData>`)) } : e)));
    const view = await importFile(hq, filled);
    expect(view.errors).toEqual([]);
    expect(view.summary).toMatchObject({ valid: 1, invalid: 0, creates: 1, updates: 0 });
  }, 120_000);

  it('is for the roles that may write projects', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    expect((await leader.get('/api/projects/import/template.xlsx')).statusCode).toBe(403);
  });
});

describe('ledger import: checking rows', () => {
  it('reports every bad cell (row, column, reason), writes nothing, and then imports the corrected file', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const bad = (code: string, changes: RowSpec): RowSpec => ({ ...goodRow(code), ...changes });
    const file = await ledgerXlsx([
      bad('R02', { 项目名称: null }),
      bad('R03', { '总投资(亿元)': '12.1234567' }),
      bad('R04', { '总投资(亿元)': 'abc' }),
      bad('R05', { 开工日期: '2026-02-30' }),
      bad('R06', { 行业: '不存在的行业' }),
      bad('R07', { '建设单位(企业)': '不存在的企业' }),
      bad('R08', { 指挥部: '不存在的指挥部' }),
      bad('R09', { 指挥部: '氢能产业片区建设指挥部' }),
      bad('R10', { 开工日期: null }),
      bad('R11', { '年度计划投资(亿元)': { formula: 'P2*2' } as ExcelJS.CellFormulaValue }),
      bad('R12', { '总投资(亿元)': { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue }),
      bad('DUP', {}),
      bad('DUP', { 项目名称: '重复的项目' }),
      bad('R15', { 当前阶段: '签约', 签约日期: date(2099, 1, 1), 开工日期: null }),
      bad('R16', { 级别: '国家级' }),
      bad('R17', { 组团: '大桥组团' }),
      bad('R18', { 包挂领导: '不存在的人' }),
      bad('R19', { 签约日期: '2026-05-01' }),
      bad('R20', { 经度: '200' }),
      bad('R21', { 年度: '26' }),
      bad('R22', { 备注: '长'.repeat(2001) }),
      bad('R23', { 当前阶段: '在规划' }),
      bad('R24', { '总投资(亿元)': { error: '#N/A' } as ExcelJS.CellErrorValue }),
    ]);
    const view = await importFile(hq, file);
    expect(view.status).toBe('ready');
    expect(view.totalRows).toBe(23);
    expect(view.processedRows).toBe(23);
    expect(view.summary).toEqual({ valid: 0, invalid: 23, creates: 0, updates: 0, unchanged: 0, errorCount: 23 });
    expect(view.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, '项目名称', '必填'],
      [3, '总投资(亿元)', '金额最多保留6位小数（亿元，即精确到百元）'],
      [4, '总投资(亿元)', '金额应为以亿元为单位的数字，如 12.5'],
      [5, '开工日期', '日期格式不正确，应为 2026-04-25、2026/4/25 或 2026年4月25日'],
      [6, '行业', '“不存在的行业”不是可选的值，请从下拉列表选择'],
      [7, '建设单位(企业)', '企业库中没有“不存在的企业”，请填写已登记企业的名称或统一社会信用代码'],
      [8, '指挥部', '没有名为“不存在的指挥部”的指挥部'],
      [9, '指挥部', '只能选择您所在的指挥部'],
      [10, '开工日期', '项目处于“开工”阶段，必须填写该日期'],
      [11, '年度计划投资(亿元)', '公式没有计算结果，请将该列“粘贴为数值”后再导入'],
      [12, '总投资(亿元)', '公式的计算结果是错误值，请修正公式或填写数值'],
      [13, '项目编号', '项目编号在第14行重复出现'],
      [14, '项目编号', '与第13行的项目编号重复'],
      [15, '签约日期', '不能晚于今天'],
      [16, '级别', '“国家级”不是有效级别，应为省重点、市重点或区重点'],
      [17, '片区', '片区“崔寨片区”不属于所填组团'],
      [18, '包挂领导', '没有姓名或账号为“不存在的人”的人员'],
      [19, '开工日期', '不能早于前一阶段的日期（2026-05-01）'],
      [20, '经度', '经度应在-180到180之间'],
      [21, '年度', '年度应为2000至2100之间的年份，如 2026'],
      [22, '备注', '最多2000个字符'],
      [23, '当前阶段', '“在规划”不是有效阶段，应为储备、签约、开工、投产、竣工或停缓建'],
      [24, '总投资(亿元)', '单元格为错误值 #N/A'],
    ]);
    const values = new Map(view.errors.map((e) => [e.row, e.value]));
    expect(values.get(3)).toBe('12.1234567');
    expect(values.get(11)).toBe('=P2*2');
    expect(values.get(12)).toBe('=1/0');
    expect(values.get(15)).toBe('2099-01-01');
    expect(values.get(19)).toBe('2026-03-18');

    // The same report in English for an English-speaking session of the uploader.
    const en = await signIn(zone, 'hq.cuizhai', 'en');
    const inEnglish = (await en.get(`/api/projects/import/${view.id}`)).json() as ImportView;
    expect(inEnglish.errors[1]).toMatchObject({ row: 3, column: '总投资(亿元)', message: 'At most 6 decimals in 亿元 (to the hundred yuan)' });
    expect(inEnglish.errors[7]).toMatchObject({ row: 9, message: 'Choose one of your own HQs' });

    // The report as a spreadsheet: every bad cell, formula-like values as text.
    const xlsx = await hq.get(`/api/projects/import/${view.id}/errors.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain('台账_导入问题.xlsx');
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = report.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['行号', '列', '填写内容', '问题']);
    expect(sheet.rowCount).toBe(24);
    expect([sheet.getCell('A2').value, sheet.getCell('B2').value, sheet.getCell('D2').value]).toEqual([2, '项目名称', '必填']);
    const formulaRow = sheet.getRow(11);
    expect(formulaRow.getCell(1).value).toBe(11);
    expect(formulaRow.getCell(3).type).not.toBe(ExcelJS.ValueType.Formula);
    expect(formulaRow.getCell(3).text).toBe('=P2*2');

    // Nothing was written, and there is nothing to confirm.
    expect(await zoneProjects(zone)).toEqual([]);
    const confirm = await hq.post(`/api/projects/import/${view.id}/confirm`, {});
    expect(confirm.statusCode).toBe(400);
    expect(await zoneProjects(zone)).toEqual([]);

    // Corrected: three projects in different states.
    const fixed = await ledgerXlsx([
      goodRow('CZ-001'),
      { ...goodRow('CZ-002'), 项目名称: '崔寨光伏组件二期', 当前阶段: '停缓建', 签约日期: '2025-06-01', 开工日期: null, 停缓建日期: date(2026, 2, 1), 指挥部: '崔寨片区建设指挥部', 片区: null, 组团: null },
      // 0.1 + 0.2 is what a spreadsheet's sum leaves in the file (0.30000000000000004); Excel shows 0.3.
      { 项目编号: 'CZ-003', 项目名称: '崔寨片区道路', 级别: '市级', '总投资(亿元)': '1,200.000001', 指挥部: '崔寨片区建设指挥部', 片区: '氢能产业片区', '年度计划投资(亿元)': 0.1 + 0.2 },
    ]);
    const ok = await importFile(hq, fixed);
    expect(ok.errors).toEqual([]);
    expect(ok.summary).toMatchObject({ valid: 3, invalid: 0, creates: 3, updates: 0 });
    expect(await zoneProjects(zone)).toEqual([]);
    const applied = await hq.post(`/api/projects/import/${ok.id}/confirm`, {});
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(((await hq.get(`/api/projects/import/${ok.id}`)).json() as ImportView).status).toBe('applied');

    const rows = await zoneProjects(zone);
    expect(rows.map((r) => r.code)).toEqual(['CZ-001', 'CZ-002', 'CZ-003']);
    const [p1, p2, p3] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    expect(p1).toMatchObject({
      name: '崔寨智能制造产业园',
      enterpriseId: zone.enterprises.solar,
      industry: 'pv',
      kind: 'industrial',
      level: 'district',
      clusterUnitId: zone.units.cluster_cuizhai,
      areaUnitId: zone.units.area_cuizhai,
      commandId: zone.commands.cuizhai,
      leadUnitId: zone.units.cuizhai,
      leaderUserId: zone.users.leader,
      totalInvestment: '1250000000.00',
      longitude: '117.050000',
      latitude: '36.800000',
      phase: 'started',
      startedOn: '2026-03-18',
      plannedStartOn: '2026-03-01',
      plannedCompletionOn: '2027-12-31',
      notes: '=不是公式',
    });
    expect(p2).toMatchObject({ phase: 'suspended', suspendedFrom: 'signed', signedOn: '2025-06-01', suspendedOn: '2026-02-01', commandId: zone.commands.cuizhai });
    // The area names its cluster when the row leaves 组团 empty.
    expect(p3).toMatchObject({ level: 'city', phase: 'pipeline', totalInvestment: '120000000100.00', areaUnitId: zone.units.area_hydrogen, clusterUnitId: zone.units.cluster_cuizhai });
    const { services } = await getHarness();
    const plans = await services.db.select().from(projectAnnualPlans).where(eq(projectAnnualPlans.projectId, p1.id));
    expect(plans.map((p) => [p.year, p.plannedInvestment])).toEqual([[2026, '320000000.00']]);
    const plans3 = await services.db.select().from(projectAnnualPlans).where(eq(projectAnnualPlans.projectId, p3.id));
    expect(plans3.map((p) => [p.year, p.plannedInvestment])).toEqual([[2026, '30000000.00']]);
    const audits = await services.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.zoneId, zone.zoneId), sql`${auditLog.action} in ('project.create', 'project.import')`));
    expect(audits.filter((a) => a.action === 'project.create')).toHaveLength(3);
    expect(audits.find((a) => a.action === 'project.import')?.after).toMatchObject({ created: 3, updated: 0, fileName: '台账.xlsx' });

    // Confirming again changes nothing.
    const again = await hq.post(`/api/projects/import/${ok.id}/confirm`, {});
    expect(again.statusCode).toBe(409);
    expect(await zoneProjects(zone)).toHaveLength(3);

    // Re-importing the same codes updates them (by 项目编号), never duplicates; unchanged rows are left alone.
    const changed = await ledgerXlsx([
      goodRow('CZ-001'),
      { ...goodRow('CZ-002'), 项目名称: '崔寨光伏组件二期', 当前阶段: '停缓建', 签约日期: '2025-06-01', 开工日期: null, 停缓建日期: date(2026, 2, 1), 指挥部: '崔寨片区建设指挥部', 片区: null, 组团: null },
      { 项目编号: 'CZ-003', 项目名称: '崔寨片区主干道路', 级别: '市重点', '总投资(亿元)': 15, 指挥部: '崔寨片区建设指挥部', 当前阶段: '开工', 开工日期: '2026-10-08', '年度计划投资(亿元)': 2 },
    ]);
    const re = await importFile(hq, changed);
    expect(re.errors).toEqual([]);
    expect(re.summary).toMatchObject({ valid: 3, creates: 0, updates: 1, unchanged: 2 });
    const reApplied = await hq.post(`/api/projects/import/${re.id}/confirm`, {});
    expect(reApplied.json()).toEqual({ created: 0, updated: 1, unchanged: 2 });
    const after = await zoneProjects(zone);
    expect(after).toHaveLength(3);
    expect(after[2]).toMatchObject({ id: p3.id, name: '崔寨片区主干道路', totalInvestment: '1500000000.00', phase: 'started', startedOn: '2026-10-08', version: p3.version + 1 });
    expect(after[0]!.version).toBe(p1.version);

    // A row may not take a project back to an earlier phase.
    const back = await importFile(hq, await ledgerXlsx([{ ...goodRow('CZ-001'), 当前阶段: '签约', 签约日期: '2026-01-05', 开工日期: null }]));
    expect(back.errors.map((e) => [e.row, e.column, e.message])).toEqual([[2, '当前阶段', '项目不能从“开工”变更为“签约”']]);
  });

  it('refuses rows that update a project outside the caller’s scope or place one in another HQ', async () => {
    const zone = await createZone();
    const hydrogen = await signIn(zone, 'hq.hydrogen');
    const theirs = await importFile(hydrogen, await ledgerXlsx([{ 项目编号: 'HY-001', 项目名称: '氢能基地', 级别: '省重点', '总投资(亿元)': 30, 指挥部: '氢能产业片区建设指挥部' }]));
    expect((await hydrogen.post(`/api/projects/import/${theirs.id}/confirm`, {})).json()).toMatchObject({ created: 1 });

    const hq = await signIn(zone, 'hq.cuizhai');
    const view = await importFile(
      hq,
      await ledgerXlsx([
        { 项目编号: 'HY-001', 项目名称: '氢能基地（改）', 级别: '省重点', '总投资(亿元)': 31, 指挥部: '崔寨片区建设指挥部' },
        { 项目编号: 'CZ-100', 项目名称: '越权项目', 级别: '区重点', '总投资(亿元)': 1, 指挥部: '氢能产业片区建设指挥部' },
        { 项目编号: 'CZ-101', 项目名称: '未填指挥部', 级别: '区重点', '总投资(亿元)': 1 },
        { 项目编号: 'CZ-102', 项目名称: '本指挥部项目', 级别: '区重点', '总投资(亿元)': 1, 指挥部: '崔寨片区建设指挥部' },
      ]),
    );
    expect(view.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, '项目编号', '项目“HY-001”已存在，但不在您负责的范围内，不能修改'],
      [3, '指挥部', '只能选择您所在的指挥部'],
      [4, '指挥部', '请填写您所在的指挥部或责任单位'],
    ]);
    expect(view.summary).toMatchObject({ valid: 1, invalid: 3, creates: 1 });
    expect((await hq.post(`/api/projects/import/${view.id}/confirm`, {})).json()).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const rows = await zoneProjects(zone);
    expect(rows.map((r) => [r.code, r.name])).toEqual([
      ['CZ-102', '本指挥部项目'],
      ['HY-001', '氢能基地'],
    ]);

    // Someone else (even of the same HQ) does not see the import; another zone neither.
    const colleague = await signIn(zone, 'hqstaff.cuizhai');
    expect((await colleague.get(`/api/projects/import/${view.id}`)).statusCode).toBe(404);
    expect((await colleague.post(`/api/projects/import/${view.id}/confirm`, {})).statusCode).toBe(404);
    const other = await signIn(await createZone(), 'hq.cuizhai');
    expect((await other.get(`/api/projects/import/${view.id}/errors.xlsx`)).statusCode).toBe(404);
  });

  it('applies all or nothing: a row the ledger no longer accepts at confirmation rolls back the whole import', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const row = (code: string, name: string): RowSpec => ({ 项目编号: code, 项目名称: name, 级别: '区重点', '总投资(亿元)': 1, 指挥部: '崔寨片区建设指挥部' });
    const first = await importFile(hq, await ledgerXlsx([row('A-1', '第一个'), row('A-2', '第二个')]));
    expect(first.summary).toMatchObject({ valid: 2, creates: 2 });
    // Meanwhile A-2 comes into the ledger another way.
    const other = await importFile(hq, await ledgerXlsx([row('A-2', '抢先的')]));
    expect((await hq.post(`/api/projects/import/${other.id}/confirm`, {})).statusCode).toBe(200);

    const res = await hq.post(`/api/projects/import/${first.id}/confirm`, {});
    expect(res.statusCode).toBe(409);
    const body = res.json() as { error: { fields: { path: string; message: string }[] } };
    expect(body.error.fields[0]).toEqual({ path: 'file', message: '第3行：校验后台账数据已有变化，本次导入未写入任何数据，请重新上传文件' });
    expect(body.error.fields[1]).toMatchObject({ path: 'rows.3.code', message: '已被使用' });
    expect((await zoneProjects(zone)).map((p) => [p.code, p.name])).toEqual([['A-2', '抢先的']]);
    expect(((await hq.get(`/api/projects/import/${first.id}`)).json() as ImportView).status).toBe('ready');
  });

  it('shows progress and handles a few thousand rows', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const rows: RowSpec[] = [];
    for (let i = 1; i <= 2500; i++) rows.push({ 项目编号: `BULK-${String(i).padStart(5, '0')}`, 项目名称: `批量项目${i}`, 级别: '区重点', '总投资(亿元)': (i % 97) + 0.25, 指挥部: '崔寨片区建设指挥部', 行业: '氢能' });
    rows.push({ 项目编号: 'BULK-00007', 项目名称: '重复', 级别: '区重点', '总投资(亿元)': 1, 指挥部: '崔寨片区建设指挥部' });
    const res = await upload(hq, await ledgerXlsx(rows));
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: string };
    const first = (await hq.get(`/api/projects/import/${id}`)).json() as ImportView;
    expect(['validating', 'ready']).toContain(first.status);
    expect(first.totalRows === 0 || first.totalRows >= 2500).toBe(true);
    await importSettled(id);
    const view = (await hq.get(`/api/projects/import/${id}`)).json() as ImportView;
    expect(view).toMatchObject({ status: 'ready', totalRows: 2501, processedRows: 2501 });
    expect(view.summary).toMatchObject({ valid: 2499, invalid: 2, creates: 2499 });
    const { services } = await getHarness();
    const [stored] = await services.db.select({ rows: projectImports.rows }).from(projectImports).where(eq(projectImports.id, id));
    expect((stored!.rows as unknown[]).length).toBe(2499);
  });
});

describe('ledger import: the set-based confirmation', () => {
  // The shared app and database start once (slowly on PGlite), under the hook timeout.
  beforeAll(async () => {
    await getHarness();
  });

  async function callerFor(zone: TestZone, username: string): Promise<Caller> {
    const { services } = await getHarness();
    const userId = zone.users[username]!;
    const roles = await services.db.select().from(userRoles).where(eq(userRoles.userId, userId));
    const members = await services.db.select().from(commandMembers).where(eq(commandMembers.userId, userId));
    return {
      zoneId: zone.zoneId,
      userId,
      username: zone.username(username),
      displayName: '赵振华（演示）',
      roles: roles.map((r) => r.role as Caller['roles'][number]),
      unitId: zone.units.cuizhai!,
      enterpriseId: null,
      commandIds: members.map((m) => m.commandId),
      ledCommandIds: members.filter((m) => m.memberRole === 'leader').map((m) => m.commandId),
      sessionId: 'test',
      ip: null,
      requestId: 'test',
    };
  }

  it('writes exactly what insertProject / patchProject write row by row; the audit chains still verify', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const { services: s } = await getHarness();
    const hqName = '崔寨片区建设指挥部';
    // The same ledger twice: A-* is changed by the import, B-* by the row-by-row functions, with the same rows.
    const base = (p: string): RowSpec[] => [
      goodRow(`${p}1`),
      { 项目编号: `${p}2`, 项目名称: '签约项目', 级别: '市重点', '总投资(亿元)': 3, 指挥部: hqName, 当前阶段: '签约', 签约日期: '2025-06-01' },
      { 项目编号: `${p}3`, 项目名称: '停建项目', 级别: '区重点', '总投资(亿元)': 2, 指挥部: hqName, 当前阶段: '停缓建', 签约日期: '2025-06-01', 停缓建日期: date(2026, 2, 1) },
      { 项目编号: `${p}4`, 项目名称: '不变的项目', 级别: '区重点', '总投资(亿元)': 1, 指挥部: hqName, 建设地址: '崔寨街道' },
    ];
    const seed = await importFile(hq, await ledgerXlsx([...base('A-'), ...base('B-')]));
    expect((await hq.post(`/api/projects/import/${seed.id}/confirm`, {})).json()).toEqual({ created: 8, updated: 0, unchanged: 0 });

    const changes = await importFile(
      hq,
      await ledgerXlsx([
        { ...goodRow('A-1'), 项目名称: '崔寨智能制造产业园（一期）', '总投资(亿元)': 13.25, '年度计划投资(亿元)': 4, 当前阶段: '投产', 投产日期: date(2026, 9, 1), 备注: '提前投产' },
        { 项目编号: 'A-2', 项目名称: '签约项目', 级别: '市重点', '总投资(亿元)': 3, 指挥部: hqName, 当前阶段: '开工', 开工日期: '2026-04-01', '建设单位(企业)': '国家电投济南绿动氢能科技有限公司', 片区: '氢能产业片区' },
        { 项目编号: 'A-3', 项目名称: '停建项目', 级别: '区重点', '总投资(亿元)': 2, 指挥部: hqName, 当前阶段: '开工', 开工日期: '2026-05-01' },
        { 项目编号: 'A-4', 项目名称: '不变的项目', 级别: '区重点', '总投资(亿元)': 1, 指挥部: hqName, 建设地址: '崔寨街道' },
        { ...goodRow('A-5'), 项目名称: '新建的完整项目', 年度: 2025, 包挂领导: null },
        { 项目编号: 'A-6', 项目名称: '新建的储备项目', 级别: '省重点', '总投资(亿元)': 0.000001, 责任单位: '崔寨街道', 指挥部: hqName },
        { 项目编号: 'A-7', 项目名称: '新建的停缓建项目', 级别: '区重点', '总投资(亿元)': 5, 指挥部: hqName, 当前阶段: '停缓建', 开工日期: '2025-03-01', 停缓建日期: '2025-12-01', 专班: '氢能示范应用专班' },
      ]),
    );
    expect(changes.errors).toEqual([]);
    expect(changes.summary).toMatchObject({ valid: 7, creates: 3, updates: 3, unchanged: 1 });
    const [stored] = await s.db.select({ rows: projectImports.rows }).from(projectImports).where(eq(projectImports.id, changes.id));
    const rowsA = stored!.rows as ValidRow[];

    // B-*: the same rows through insertProject / patchProject, one by one, as the import applied them before.
    const idOf = new Map((await findProjectsByCodes(s.db, zone.zoneId, ['B-1', 'B-2', 'B-3', 'B-4'])).map((p) => [p.code, p.id]));
    const rowsB = (JSON.parse(JSON.stringify(rowsA).replaceAll('"A-', '"B-')) as ValidRow[]).map((r) => (r.action === 'update' ? { ...r, projectId: idOf.get(r.code)! } : r));
    const caller = await callerFor(zone, 'hq.cuizhai');
    await s.db.transaction(async (tx) => {
      const current = new Map((await findProjectsByCodes(tx, zone.zoneId, rowsB.map((r) => r.code))).map((p) => [p.code, p]));
      const planOf = await plansOf(tx, zone.zoneId, [...idOf.values()]);
      for (const r of rowsB) {
        if (r.action === 'create') await insertProject(tx, s, caller, r.input as ProjectInput);
        else {
          const existing = current.get(r.code)!;
          const changed = effectiveChanges(existing, r.input, planOf);
          if (Object.keys(changed).length) await patchProject(tx, s, caller, existing, changed);
        }
      }
    });
    // A-*: the import's own (set-based) confirmation.
    expect((await hq.post(`/api/projects/import/${changes.id}/confirm`, {})).json()).toEqual({ created: 3, updated: 3, unchanged: 1 });

    // Everything written is the same, but for ids, codes and times.
    const all = await s.db.select().from(projects).where(eq(projects.zoneId, zone.zoneId)).orderBy(projects.code);
    expect(all).toHaveLength(14);
    const byCode = new Map(all.map((p) => [p.code, p]));
    const ids = new Map(all.map((p) => [p.id, p.code]));
    const twin = (code: string) => code.replace(/^A-/, 'B-');
    const plans = await s.db.select().from(projectAnnualPlans).where(eq(projectAnnualPlans.zoneId, zone.zoneId)).orderBy(projectAnnualPlans.year);
    const phases = await s.db.select().from(projectPhaseChanges).where(eq(projectPhaseChanges.zoneId, zone.zoneId)).orderBy(asc(projectPhaseChanges.onDate));
    const audits = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.zoneId, zone.zoneId), inArray(auditLog.entityId, [...ids.keys()])))
      .orderBy(auditLog.chainNo, auditLog.seq);
    const codeOf = (text: unknown) => JSON.stringify(text ?? null).replace(/"A-/g, '"B-');
    for (const a of all.filter((p) => p.code.startsWith('A-'))) {
      const b = byCode.get(twin(a.code))!;
      const { id: _a, code: _ac, createdAt: _c1, updatedAt: _u1, ...restA } = a;
      const { id: _b, code: _bc, createdAt: _c2, updatedAt: _u2, ...restB } = b;
      expect(restA, a.code).toEqual(restB);
      const planRows = (id: string) => plans.filter((p) => p.projectId === id).map((p) => [p.year, p.plannedInvestment]);
      expect(planRows(a.id), a.code).toEqual(planRows(b.id));
      const phaseRows = (id: string) => phases.filter((p) => p.projectId === id).map((p) => [p.fromPhase, p.toPhase, p.onDate, p.reason, p.actorId]);
      expect(phaseRows(a.id), a.code).toEqual(phaseRows(b.id));
      const auditRows = (id: string) => audits.filter((r) => r.entityId === id).map((r) => [r.action, r.actorId, r.result, codeOf(r.before), codeOf(r.after)]);
      expect(auditRows(a.id).length, a.code).toBeGreaterThan(0);
      expect(auditRows(a.id), a.code).toEqual(auditRows(b.id));
    }
    // The phase moves and plans are really there (not two empty lists compared).
    expect(phases.map((p) => `${ids.get(p.projectId)}:${p.fromPhase}>${p.toPhase}`).sort()).toEqual(['A-1:started>operating', 'A-2:signed>started', 'A-3:suspended>started', 'B-1:started>operating', 'B-2:signed>started', 'B-3:suspended>started']);
    expect(byCode.get('A-3')).toMatchObject({ phase: 'started', suspendedFrom: null, suspendedOn: null, startedOn: '2026-05-01', version: 2 });
    expect(byCode.get('A-4')!.version).toBe(1);
    // The snapshot keys of the set-based path are those of projects.service.ts (an API create writes the same keys).
    const created = audits.find((r) => r.action === 'project.create' && ids.get(r.entityId!) === 'B-6')!;
    expect(Object.keys(created.after as object).sort()).toEqual([...SNAPSHOT_KEYS].sort());
    expect(await verifyAudit(s.db, s.keys.auditKey, zone.zoneId)).toMatchObject({ problems: [] });
  }, 90_000);

  it('names the row when the database refuses a chunk the checks let through (a race), and writes nothing', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const { services: s } = await getHarness();
    const row = (code: string): RowSpec => ({ 项目编号: code, 项目名称: `项目${code}`, 级别: '区重点', '总投资(亿元)': 1, 指挥部: '崔寨片区建设指挥部' });
    const view = await importFile(hq, await ledgerXlsx([row('RACE-1'), row('RACE-2'), row('RACE-3')]));
    expect(view.summary).toMatchObject({ valid: 3, creates: 3 });
    // What another transaction committing the same code at the last moment looks like: the insert fails.
    const fn = `qibu_test_race_${zone.zoneId.replaceAll('-', '')}`;
    await s.db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$ begin
        if new.zone_id = '${zone.zoneId}' and new.code = 'RACE-2' then raise exception 'taken meanwhile' using errcode = 'unique_violation'; end if;
        return new; end $$`),
    );
    await s.db.execute(sql.raw(`create trigger ${fn} before insert on projects for each row execute function ${fn}()`));
    try {
      const res = await hq.post(`/api/projects/import/${view.id}/confirm`, {});
      expect(res.statusCode, res.body).toBe(409);
      expect((res.json() as { error: { fields: { path: string; message: string }[] } }).error.fields[0]).toEqual({
        path: 'file',
        message: '第3行：校验后台账数据已有变化，本次导入未写入任何数据，请重新上传文件',
      });
    } finally {
      await s.db.execute(sql.raw(`drop trigger ${fn} on projects`));
      await s.db.execute(sql.raw(`drop function ${fn}()`));
    }
    expect(await zoneProjects(zone)).toEqual([]);
    expect(((await hq.get(`/api/projects/import/${view.id}`)).json() as ImportView).status).toBe('ready');
    expect((await hq.post(`/api/projects/import/${view.id}/confirm`, {})).json()).toEqual({ created: 3, updated: 0, unchanged: 0 });
  });
});

describe('ledger import: refusing files', () => {
  async function refused(client: Client, content: Buffer, status: number, message: RegExp) {
    const res = await upload(client, content);
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json() as { error: { fields: { path: string; message: string }[] } };
    expect(body.error.fields[0]?.path).toBe('file');
    expect(body.error.fields[0]?.message).toMatch(message);
  }

  it('refuses what is not an xlsx, whatever its name', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
    await refused(hq, png, 400, /不是 Excel 工作簿/);
    await refused(hq, Buffer.from('项目编号,项目名称\nA-1,测试\n'), 400, /不是 Excel 工作簿/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    await refused(hq, ole, 400, /\.xls/);
    const docx = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]);
    await refused(hq, docx, 400, /不是 Excel 工作簿/);
    await refused(hq, Buffer.alloc(0), 400, /空/);

    const en = await signIn(zone, 'hq.cuizhai', 'en');
    const res = await upload(en, png);
    expect((res.json() as { error: { fields: { message: string }[] } }).error.fields[0]?.message).toBe('The file is not an Excel workbook (.xlsx); fill in the import template and upload that');

    // Not multipart at all.
    const json = await hq.post('/api/projects/import', { file: 'x' });
    expect(json.statusCode).toBe(415);

    // Two imports still being checked: a third upload waits its turn.
    const { services } = await getHarness();
    await services.db.insert(projectImports).values([0, 1].map(() => ({ zoneId: zone.zoneId, createdBy: zone.users['hq.cuizhai']!, fileName: 'x.xlsx', status: 'validating' })));
    const busy = await upload(hq, await ledgerXlsx([]));
    expect(busy.statusCode).toBe(429);
    expect(busy.json().error.fields[0].message).toBe('您已有导入正在校验，请等校验完成后再上传');
  });

  it('refuses decompression bombs, zips with too many entries or hidden data, and files over 10 MB', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const good = await unzipEntries(await ledgerXlsx([{ 项目编号: 'Z-1', 项目名称: '正常', 级别: '区重点', '总投资(亿元)': 1, 指挥部: '崔寨片区建设指挥部' }]));

    // Control: the same workbook re-packed by hand is accepted.
    const control = await importFile(hq, buildZip(good));
    expect(control.summary).toMatchObject({ valid: 1 });

    // 101 MB of zeros (about 100 kB packed) inside an otherwise fine workbook.
    const bomb = buildZip([...good, { name: 'xl/media/image1.bin', data: Buffer.alloc(101 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await refused(hq, bomb, 400, /解压后超过 100 MB/);

    // A header that understates the size: caught while inflating.
    const liar = buildZip([...good, { name: 'xl/media/image1.bin', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1000 }]);
    await refused(hq, liar, 400, /损坏或结构异常/);

    const many = buildZip([...good, ...Array.from({ length: 250 }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: Buffer.from('x') }))]);
    await refused(hq, many, 400, /超过 200 个/);

    // Bytes between entries that only a streaming reader would see.
    const hidden = buildZip(good, { hiddenAfter: 0, hidden: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]) });
    await refused(hq, hidden, 400, /损坏或结构异常/);

    const big = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(10 * 1024 * 1024, 7)]);
    await refused(hq, big, 413, /超过 10 MB/);

    const { services } = await getHarness();
    const imports = await services.db.select({ status: projectImports.status }).from(projectImports).where(eq(projectImports.zoneId, zone.zoneId));
    expect(imports).toEqual([{ status: 'ready' }]);
  });

  it('fails a workbook without the required columns, naming them', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const view = await importFile(hq, await ledgerXlsx([{ 项目编号: 'A', 项目名称: 'B' }], { headers: ['项目编号', '项目名称', '备注'], sheet: 'Sheet1' }));
    expect(view.status).toBe('failed');
    expect(view.errors.map((e) => e.message)).toEqual(['缺少必填列“级别”', '缺少必填列“总投资(亿元)”']);
    const confirm = await hq.post(`/api/projects/import/${view.id}/confirm`, {});
    expect(confirm.statusCode).toBe(409);
  });
});
