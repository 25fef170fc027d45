import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createZone, signIn, type Client } from '../../test/harness.ts';
import { auditRows } from '../org/org.testkit.ts';
import { multipartBody } from '../projects/import.testkit.ts';

/** The indicators import (docs/api-indicators.md "Import"): both layouts, every bad cell reported, nothing half-written. */

type Sheet = { name: string; rows: ExcelJS.CellValue[][]; merges?: [number, number, number, number][]; percent?: string[] };

async function workbook(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r);
    for (const m of s.merges ?? []) ws.mergeCells(...m);
    for (const a of s.percent ?? []) ws.getCell(a).numFmt = '0.0%';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The bureau's layout: 指标名称 | 计量单位 | per district (本期累计, 同比增长(%)), district names merged over two columns. */
function wide(name: string, districts: string[], rows: ExcelJS.CellValue[][]): Sheet {
  const h1: ExcelJS.CellValue[] = ['指标名称', '计量单位', ...districts.flatMap((d) => [d, null])];
  const h2: ExcelJS.CellValue[] = [null, null, ...districts.flatMap(() => ['本期累计', '同比增长(%)'])];
  return { name, rows: [h1, h2, ...rows], merges: districts.map((_, i) => [1, 3 + i * 2, 1, 4 + i * 2]) };
}

async function upload(client: Client, body: Buffer, query = '', path = '/api/indicators/import', name = '2023年经济指标.xlsx') {
  const { payload, headers } = multipartBody(name, body);
  return client.request({ method: 'POST', url: `${path}${query}`, payload, headers });
}

type Report = {
  layout: string | null;
  sheets: { name: string; layout: string; period: string | null; figures: number }[];
  figures: number;
  valid: number;
  invalid: number;
  errorCount: number;
  errors: { sheet: string; row: number; column: string; header: string; value: string; message: string }[];
  dryRun: boolean;
  applied: { created: number; updated: number; unchanged: number; recomputed: number } | null;
};

async function figuresOf(client: Client, year: number, month: number) {
  return (await client.get(`/api/indicators/values?year=${year}&month=${month}`)).json().items as { value: string | null; growth: string | null; growthSource: string | null; source: string }[];
}

describe('indicators import', () => {
  it('reads the bureau’s one-sheet-per-month layout: dry run first, then one transaction', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.cuizhai');
    const file = await workbook([
      wide('2023年1-5月', ['起步区', '历下区'], [
        ['地区生产总值（亿元）', '亿元', 120.5, 11.6, 603.2, 5.1],
        ['固定资产投资', '亿元', null, 21.7, '-', -3.5],
        ['社会消费品零售总额', '亿元', '31.70', '12.6%', 310, 7.8],
      ]),
      wide('2022年1-5月', ['起步区'], [['社会消费品零售总额', '亿元', 28.15, null]]),
      { name: '说明', rows: [['填表说明：……']] },
    ]);
    let res = await upload(staff, file, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    let report = res.json() as Report;
    expect(report).toMatchObject({ layout: 'wide', figures: 7, valid: 7, invalid: 0, errorCount: 0, errors: [], dryRun: true, applied: null });
    expect(report.sheets).toEqual([
      { name: '2023年1-5月', layout: 'wide', period: '2023年1-5月', figures: 6 },
      { name: '2022年1-5月', layout: 'wide', period: '2022年1-5月', figures: 1 },
      { name: '说明', layout: 'skipped', period: null, figures: 0 },
    ]);
    expect(await figuresOf(staff, 2023, 5)).toEqual([]);

    res = await upload(staff, file);
    report = res.json() as Report;
    expect(report.applied).toEqual({ created: 7, updated: 0, unchanged: 0, recomputed: 0 });
    const o = (await staff.get('/api/indicators?year=2023&month=5')).json() as { items: { indicator: { code: string }; value: string | null; growth: string | null; growthSource: string; growthRank: { rank: number; of: number } }[] };
    const of = (code: string) => o.items.find((i) => i.indicator.code === code)!;
    expect(of('gdp')).toMatchObject({ value: '120.5', growth: '11.60', growthSource: 'entered', growthRank: { rank: 1, of: 2 } });
    expect(of('fixed_asset_investment')).toMatchObject({ value: null, growth: '21.70' });
    // "12.6%" typed as text is 12.6 percent.
    expect(of('retail_sales')).toMatchObject({ value: '31.7', growth: '12.60' });
    expect((await figuresOf(staff, 2023, 5)).every((f) => f.source === 'import')).toBe(true);
    const [imp] = await auditRows(zone.zoneId, 'indicator.import');
    expect(imp!.after).toMatchObject({ fileName: '2023年经济指标.xlsx', layout: 'wide', created: 7 });
    expect(await auditRows(zone.zoneId, 'indicator_value.create')).toHaveLength(7);

    // The same file again changes nothing; a figure without a growth gets it computed from last year's value.
    const again = await upload(staff, file);
    expect((again.json() as Report).applied).toEqual({ created: 0, updated: 0, unchanged: 7, recomputed: 0 });
    const noGrowth = await workbook([wide('2023年1-5月', ['起步区'], [['社会消费品零售总额', '亿元', 31.7, null]])]);
    expect((await upload(staff, noGrowth)).json().applied).toMatchObject({ updated: 1 });
    // (31.70 − 28.15) / 28.15 = 12.6110…% → 12.61
    expect((await staff.get('/api/indicators?year=2023&month=5')).json().items.find((i: { indicator: { code: string } }) => i.indicator.code === 'retail_sales')).toMatchObject({
      growth: '12.61',
      growthSource: 'computed',
    });
  });

  it('reads the one-row-per-figure layout, percent-formatted cells and period columns', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    // The zone's own name is accepted for its row besides 起步区.
    const zoneName = `测试区 ${zone.prefix}`;
    const file = await workbook([
      {
        name: '数据',
        rows: [
          ['2023年主要经济指标'],
          ['指标', '地区', '年份', '月份', '本期累计', '同比增长(%)'],
          ['地区生产总值', '起步区', 2023, 3, 51.26, null],
          ['gdp', '起步区', '2022年', '1-3月', '46.77', null],
          ['实际使用外资', zoneName, 2023, '1—5月', '7,350', 0.336],
          ['一般公共预算收入', '全市', 2023, '5月', 520.8, 10.6],
          ['一般公共预算收入', '历城区', 2023, 5, null, null],
        ],
        percent: ['F5'],
      },
      {
        name: '补充',
        rows: [
          ['指标', '地区', '统计期', '同比增长(%)'],
          ['规模以上工业增加值', '高新区', '2023年1-4月', 13.6],
        ],
      },
    ]);
    const res = await upload(leader, file);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as Report;
    expect(report).toMatchObject({ layout: 'long', valid: 5, invalid: 0, errors: [], applied: { created: 5 } });
    const o = (await leader.get('/api/indicators?year=2023&month=5')).json() as { items: { indicator: { code: string }; month: number; growth: string | null; city: { growth: string | null } | null }[] };
    // 51.26 against 46.77 → 4.49 / 46.77 = 9.6002…% → 9.60 (GDP shown at 1—3月).
    expect(o.items.find((i) => i.indicator.code === 'gdp')).toMatchObject({ month: 3, growth: '9.60' });
    // A 0.0% cell holding 0.336 is 33.6%.
    expect(o.items.find((i) => i.indicator.code === 'foreign_capital')).toMatchObject({ month: 5, growth: '33.60' });
    expect(o.items.find((i) => i.indicator.code === 'budget_revenue')!.city).toEqual({ value: '520.8', growth: '10.60' });
  });

  it('reports every bad cell (sheet, row, column, reason) and writes nothing until asked to apply the valid ones', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.daqiao');
    const file = await workbook([
      wide('2023年1-5月', ['起步区', '火星区', '历下区'], [
        ['地区生产总值', '亿元', 120.5, 11.6, 1, 1, 603.2, 5.1],
        ['GDP总量', '亿元', 1, 1, null, null, 2, 2],
        ['社会消费品零售总额', '万元', 31.7, 12.6, null, null, null, null],
        ['一般公共预算收入', '亿元', 'abc', 12.345, null, null, -5, 9.8],
        ['固定资产投资', '亿元', 80, 21.7, null, null, null, 2.5],
      ]),
      wide('2023年5月', ['起步区'], [['地区生产总值', '亿元', 1, 1]]),
      wide('2099年1-2月', ['起步区'], [['地区生产总值', '亿元', 1, 1]]),
      { name: 'Sheet9', rows: [['随便写点什么']] },
      {
        name: '逐条',
        rows: [
          ['指标', '地区', '年份', '月份', '本期累计', '同比增长(%)'],
          ['实际使用外资', '起步区', 1999, 5, 10, null],
          ['实际使用外资', '起步区', 2023, '3-5月', 10, null],
          ['实际使用外资', '起步区', 2023, 4, 10, '=A1'],
          ['实际使用外资', '历下区', 2023, 5, 100, 3],
          ['规模以上工业增加值', '历下区', 2023, 5, null, 3.3],
        ],
      },
    ]);
    const res = await upload(staff, file);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as Report;
    expect(report.applied).toBeNull();
    const problems = report.errors.map((e) => `${e.sheet}!${e.column}${e.row} ${e.header}: ${e.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '2023年1-5月!E1 火星区: “火星区”不是已设置的地区，请改为已有地区名称或先在地区设置中添加',
        '2023年1-5月!A4 指标名称: “GDP总量”不是已设置的指标',
        '2023年1-5月!B5 计量单位: 计量单位为“万元”，该指标应为“亿元”',
        '2023年1-5月!C6 起步区 本期累计: 本期累计应为数字，如 120.5',
        '2023年1-5月!D6 起步区 同比增长(%): 同比增长最多保留2位小数',
        '2023年1-5月!G6 历下区 本期累计: 本期累计不能为负数',
        '2023年1-5月!C7 起步区 本期累计: 该指标只公布增速，请只填同比增长',
        '2023年5月!0 : 工作表“2023年5月”的统计期应为从1月起的累计期，如“2023年1-5月”',
        '2099年1-2月!0 : 统计期2099年1-2月尚未结束，不能填报',
        expect.stringContaining('Sheet9!0 : 无法识别工作表“Sheet9”'),
        '逐条!C2 年份: 年份应为2000至2100之间的年份，如 2023',
        '逐条!D3 月份: 月份应为1至12，或“1-5月”这样从1月起的累计期',
        expect.stringMatching(/^逐条!F4 同比增长\(%\): /),
      ]),
    );
    // Valid: GDP 起步区 and 历下区, FAI 历下区 (growth only), foreign capital 历下区, industry 历下区; budget 历下区 fails (−5).
    expect(report).toMatchObject({ valid: 5, errorCount: report.errors.length });
    expect(report.invalid).toBeGreaterThanOrEqual(8);
    expect(await figuresOf(staff, 2023, 5)).toEqual([]);

    // The report as a workbook, in English on request.
    const en = await signIn(zone, 'staff.daqiao', 'en');
    const xlsx = await upload(en, file, '', '/api/indicators/import/errors.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Sheet', 'Row', 'Column', 'Field', 'Value', 'Problem']);
    expect(ws.rowCount).toBe(report.errorCount + 1);
    const texts: string[] = [];
    ws.eachRow((r) => texts.push(r.values!.toString()));
    expect(texts.join('\n')).toContain('"GDP总量" is not one of the indicators set up');
    expect(await figuresOf(staff, 2023, 5)).toEqual([]);

    // Confirmed: only the valid figures, in one transaction.
    const applied = await upload(staff, file, '?applyValid=true');
    expect((applied.json() as Report).applied).toMatchObject({ created: 5 });
    expect(await figuresOf(staff, 2023, 5)).toHaveLength(5);
  });

  it('refuses files that are not small xlsx workbooks before reading them', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.cuizhai');
    const text = await upload(staff, Buffer.from('指标,地区\n地区生产总值,起步区\n'));
    expect(text.statusCode).toBe(400);
    expect(text.json().error.fields[0]).toMatchObject({ path: 'file' });
    const big = await upload(staff, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2 * 1024 * 1024 + 10)]));
    expect(big.statusCode).toBe(413);
    const none = await staff.post('/api/indicators/import', {});
    expect(none.statusCode).toBe(415);
    const empty = await upload(staff, await workbook([{ name: 'Sheet1', rows: [] }]));
    expect((empty.json() as Report).errors.map((e) => e.message)).toEqual(['文件中没有找到指标数据，请使用导入模板']);
  });

  it('gives a template that names the zone’s indicators and districts, and reads an export back', async () => {
    const zone = await createZone({ ledger: true });
    const leader = await signIn(zone, 'leader');
    const template = await leader.get('/api/indicators/template.xlsx');
    expect(template.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name).slice(1)).toEqual(['逐条填写', '说明']);
    expect(wb.worksheets[0]!.name).toMatch(/^\d{4}年1(-\d{1,2})?月$/);
    expect(wb.worksheets[0]!.getCell('E1').value).toBe('起步区');
    expect(wb.worksheets[0]!.getCell('A3').value).toBe('地区生产总值');

    const exported = await leader.get('/api/indicators/export.xlsx?year=2023&month=5');
    const back = await upload(leader, exported.rawPayload, '?dryRun=true');
    const report = back.json() as Report;
    expect(report).toMatchObject({ layout: 'wide', errorCount: 0, dryRun: true, applied: null });
    // Every 2023 figure of the demo: 15 columns (the city, the zone, 13 districts) × (1 GDP month + 4 + 4 + 5 + 5 + 5 months).
    expect(report.valid).toBe(15 * 24);
  });
});
