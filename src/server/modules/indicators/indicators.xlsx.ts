import ExcelJS from 'exceljs';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Lang } from '../../i18n.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx, isFormulaLike } from '../../lib/xlsx.ts';
import { LONG_HEADERS, type LocalisedError } from './indicators.import.ts';
import { keyOf, type FigureRow } from './indicators.figures.ts';
import { periodLabel, trimDecimal } from './indicators.rules.ts';
import { indicatorDistricts, indicators, indicatorValues } from './indicators.schema.ts';
import { currentPeriod } from './indicators.service.ts';

/**
 * Workbooks of the indicators module: the import template, the export (one sheet per month in the bureau's wide
 * layout, which the import reads back) and the report of bad cells.
 */

type IndicatorRow = typeof indicators.$inferSelect;
type DistrictRow = typeof indicatorDistricts.$inferSelect;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const GREY_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
const VALUE_HEADER = '本期累计';
const GROWTH_HEADER = '同比增长(%)';

function safeText(value: string): ExcelJS.CellValue {
  return isFormulaLike(value) ? { richText: [{ text: value }] } : value;
}

/** A decimal string as an Excel number when it survives the conversion exactly, else as text. */
function figureCell(text: string | null): ExcelJS.CellValue {
  if (text === null) return null;
  const trimmed = trimDecimal(text);
  const n = Number(trimmed);
  return Number.isFinite(n) && String(n) === trimmed ? n : trimmed;
}

/** One period in the wide layout: 指标名称 | 计量单位 | (district: 本期累计, 同比增长(%))… */
function addWideSheet(wb: ExcelJS.Workbook, year: number, month: number, inds: IndicatorRow[], dists: DistrictRow[], figures: Map<string, FigureRow>): void {
  const ws = wb.addWorksheet(periodLabel(year, month), { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
  ws.getColumn(1).width = 26;
  ws.getColumn(2).width = 10;
  const h1 = ws.getRow(1);
  const h2 = ws.getRow(2);
  h1.getCell(1).value = '指标名称';
  h1.getCell(2).value = '计量单位';
  ws.mergeCells(1, 1, 2, 1);
  ws.mergeCells(1, 2, 2, 2);
  dists.forEach((d, i) => {
    const c = 3 + i * 2;
    h1.getCell(c).value = safeText(d.name);
    ws.mergeCells(1, c, 1, c + 1);
    h2.getCell(c).value = VALUE_HEADER;
    h2.getCell(c + 1).value = GROWTH_HEADER;
    ws.getColumn(c).width = 12;
    ws.getColumn(c + 1).width = 12;
  });
  for (const row of [h1, h2]) {
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    row.eachCell((cell) => (cell.fill = HEADER_FILL));
  }
  inds.forEach((ind, r) => {
    const row = ws.getRow(3 + r);
    row.getCell(1).value = safeText(ind.name);
    row.getCell(2).value = safeText(ind.unit);
    dists.forEach((d, i) => {
      const c = 3 + i * 2;
      const f = figures.get(keyOf({ indicatorId: ind.id, districtId: d.id, year, month }));
      if (ind.publishesValue) row.getCell(c).value = figureCell(f?.value ?? null);
      else row.getCell(c).fill = GREY_FILL;
      row.getCell(c + 1).value = figureCell(f?.growth ?? null);
    });
  });
}

async function definitions(s: AppServices, zoneId: string) {
  const [inds, dists] = await Promise.all([
    s.db
      .select()
      .from(indicators)
      .where(and(eq(indicators.zoneId, zoneId), eq(indicators.active, true)))
      .orderBy(asc(indicators.sortOrder), asc(indicators.code)),
    s.db
      .select()
      .from(indicatorDistricts)
      .where(and(eq(indicatorDistricts.zoneId, zoneId), eq(indicatorDistricts.active, true)))
      .orderBy(asc(indicatorDistricts.sortOrder), asc(indicatorDistricts.name)),
  ]);
  return { inds, dists };
}

/**
 * The import template: the wide sheet of last month's period (empty; grey where the bureau publishes only the
 * growth), a sheet with the long layout's headers, and a 说明 sheet.
 */
export async function indicatorsTemplate(s: AppServices, caller: Caller): Promise<Buffer> {
  const { inds, dists } = await definitions(s, caller.zoneId);
  const now = currentPeriod(s.now());
  const last = now.month === 1 ? { year: now.year - 1, month: 12 } : { year: now.year, month: now.month - 1 };
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qibu 起步';
  addWideSheet(wb, last.year, last.month, inds, dists, new Map());

  const long = wb.addWorksheet('逐条填写', { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = [LONG_HEADERS.indicator, LONG_HEADERS.unit, LONG_HEADERS.district, LONG_HEADERS.year, LONG_HEADERS.month, LONG_HEADERS.value, LONG_HEADERS.growth];
  long.columns = headers.map((h) => ({ header: h, width: h === LONG_HEADERS.indicator ? 26 : 14 }));
  long.getRow(1).font = { bold: true };
  long.getRow(1).eachCell((c) => (c.fill = HEADER_FILL));

  const help = wb.addWorksheet('说明');
  help.getColumn(1).width = 110;
  const lines = [
    '经济指标导入说明',
    '',
    '两种格式任选其一（也可同时使用），系统按工作表自动识别：',
    `一、按月分表（统计局常用格式）：每个统计期一张工作表，表名写统计期，如“${periodLabel(last.year, last.month)}”“${last.year}年1月”；`,
    '    第1行为“指标名称”“计量单位”和各地区名称（每个地区占两列），第2行为“本期累计”“同比增长(%)”，第3行起每行一个指标。',
    '二、逐条填写：一张工作表，第1行为列名“指标、计量单位、地区、年份、月份、本期累计、同比增长(%)”，每行一条数据；',
    '    月份填截至月份，如 5 或“1-5月”（均表示1—5月累计）；也可用一列“统计期”填“2023年1-5月”代替年份和月份。',
    '',
    '填写要求：',
    '· 本期累计为1月至该月的累计值，单位见“计量单位”（如 亿元、万美元），最多4位小数，不能为负数；',
    '· 同比增长填百分数，如 11.6 或 11.6%（表示增长11.6%），下降填负数，最多2位小数；',
    '· 统计局只公布增速的指标（灰色单元格，如固定资产投资）只填同比增长；',
    '· 不填同比增长而去年同期有本期累计值的，系统按（本期累计−去年同期）÷去年同期×100 计算，四舍五入保留2位小数；',
    '· 没有数据的单元格留空或填“-”；地区和指标名称须与系统设置一致（可在“经济指标 → 指标与地区设置”中维护）；',
    '· 上传后先校验：有问题的单元格会列出工作表、行号、列和原因，可下载问题清单；全部无误才写入，或确认只导入无误的数据。',
    '',
    `当前启用的指标：${inds.map((i) => `${i.name}（${i.unit}${i.publishesValue ? '' : '，只填增速'}）`).join('、')}`,
    `当前启用的地区：${dists.map((d) => d.name).join('、')}`,
  ];
  lines.forEach((line, i) => {
    const cell = help.getCell(i + 1, 1);
    cell.value = safeText(line);
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The figures of a year up to a month, one wide sheet per month that has any figure. Audited as an export. */
export async function indicatorsExport(s: AppServices, caller: Caller, year: number, month: number): Promise<Buffer> {
  const { inds, dists } = await definitions(s, caller.zoneId);
  const rows = await s.db
    .select()
    .from(indicatorValues)
    .where(and(eq(indicatorValues.zoneId, caller.zoneId), eq(indicatorValues.year, year), lte(indicatorValues.month, month)));
  const figures = new Map(rows.map((r) => [keyOf(r), r]));
  const months = [...new Set(rows.map((r) => r.month))].sort((a, b) => b - a);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qibu 起步';
  for (const m of months.length ? months : [month]) addWideSheet(wb, year, m, inds, dists, figures);
  await auditEvent(s, caller, { action: 'indicator.export', entityType: 'indicator', entityId: null, after: { year, month, sheets: months.length, figures: rows.length } });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every bad cell: 工作表, 行号, 列, 栏目, 填写内容, 问题. */
export async function importErrorsWorkbook(errors: LocalisedError[], lang: Lang): Promise<Buffer> {
  const en = lang === 'en';
  return buildXlsx(
    en ? 'Import problems' : '导入问题',
    [
      { header: en ? 'Sheet' : '工作表', width: 16, value: (e: LocalisedError) => e.sheet },
      { header: en ? 'Row' : '行号', width: 8, value: (e) => (e.row > 0 ? e.row : '') },
      { header: en ? 'Column' : '列', width: 8, value: (e) => e.column },
      { header: en ? 'Field' : '栏目', width: 22, value: (e) => e.header },
      { header: en ? 'Value' : '填写内容', width: 24, value: (e) => e.value },
      { header: en ? 'Problem' : '问题', width: 60, value: (e) => e.message },
    ],
    errors,
  );
}

