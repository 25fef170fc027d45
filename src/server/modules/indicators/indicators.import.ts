import ExcelJS from 'exceljs';
import { t } from '../../i18n.ts';
import { AppError } from '../../errors.ts';
import { displayCell, numberText, toCell, type Cell } from '../projects/import.parse.ts';
import { refKey } from '../projects/import.validate.ts';
import { keyOf } from './indicators.figures.ts';
import { parseDecimal, parseMonthCell, parsePeriod, periodLabel } from './indicators.rules.ts';
import type { indicatorDistricts, indicators } from './indicators.schema.ts';

/**
 * Reading the statistics bureau's workbooks (docs/api-indicators.md "Import"). Two layouts, told apart per sheet:
 *
 *  (a) wide — one sheet per period, named like "2023年1-5月" (or with the period in a title row): a header row of
 *      district names, each over two columns (本期累计, 同比增长(%)) named in the row below; one row per indicator
 *      (指标名称 in the first column, 计量单位 optional);
 *  (b) long — one sheet with a header row naming the columns 指标, 地区, 年份, 月份 (or 统计期), 本期累计, 同比增长(%),
 *      one row per indicator × district × period.
 *
 * Every cell is checked; the result is the figures read and the bad cells (sheet, row, column, reason). Pure apart
 * from exceljs: nothing here touches the database.
 */

type IndicatorRow = typeof indicators.$inferSelect;
type DistrictRow = typeof indicatorDistricts.$inferSelect;
type Params = Record<string, string | number>;

export interface ImportRefs {
  indicators: IndicatorRow[];
  districts: DistrictRow[];
  /** The zone's names (full and short): accepted for its own row besides the district's name. */
  zoneNames: string[];
  /** A period after this one cannot have figures yet. */
  current: { year: number; month: number };
}

export interface CellError {
  sheet: string;
  row: number;
  column: string;
  header: string;
  value: string;
  key: string;
  params?: Params;
}

export interface ParsedFigure {
  sheet: string;
  row: number;
  indicatorId: string;
  districtId: string;
  year: number;
  month: number;
  value: string | null;
  growth: string | null;
}

export interface SheetInfo {
  name: string;
  layout: 'wide' | 'long' | 'skipped';
  period: string | null;
  figures: number;
}

export interface ParseResult {
  layout: 'wide' | 'long' | 'mixed' | null;
  sheets: SheetInfo[];
  figures: ParsedFigure[];
  invalid: number;
  errors: CellError[];
}

/** Sheets that explain rather than hold data. */
const HELP_SHEETS = new Set(['说明', '填表说明', '使用说明', '填报说明', '导入说明']);
/** Rows at the top of a sheet searched for its header. */
const HEADER_SEARCH_ROWS = 10;
/** Data rows of the long layout, at most. */
export const MAX_LONG_ROWS = 20_000;

export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function cellOf(cell: ExcelJS.Cell): Cell | null {
  return toCell(cell.value);
}

/** A cell as text ('' when empty). */
function textOf(cell: ExcelJS.Cell): string {
  const c = cellOf(cell);
  if (!c) return '';
  if (c.t === 's') return c.v.trim();
  return displayCell(c);
}

/** A label for matching: full-width to half-width, no spaces, lower case; "(亿元)" and "1." / "一、" dropped. */
function labelKeys(text: string): string[] {
  const k = refKey(text);
  const bare = k.replace(/^[0-9一二三四五六七八九十]+[.、．]/, '').replace(/^其中[:：]/, '').replace(/\([^)]*\)$/, '');
  return bare && bare !== k ? [k, bare] : [k];
}

class Lookup<T> {
  private map = new Map<string, T>();
  add(name: string | null | undefined, v: T): void {
    if (name) for (const k of labelKeys(name)) if (!this.map.has(k)) this.map.set(k, v);
  }
  find(text: string): T | undefined {
    for (const k of labelKeys(text)) {
      const v = this.map.get(k);
      if (v) return v;
    }
    return undefined;
  }
}

const PLACEHOLDERS = new Set(['-', '--', '—', '——', '/', '…', '...', 'x', '×', '*']);

type NumberRead = { ok: true; text: string | null } | { ok: false; key: string; params?: Params };

/**
 * A figure cell: a number, or a number typed as text ("1,234.5", "11.6%"). A percent-formatted number cell holds the
 * fraction (0.116 shown as 11.6%): read as 11.6. Empty, "-", "—", "/" mean no figure.
 */
export function readFigure(cell: ExcelJS.Cell, kind: 'value' | 'growth'): NumberRead {
  const c = cellOf(cell);
  if (!c) return { ok: true, text: null };
  let text: string;
  switch (c.t) {
    case 'n': {
      const percent = kind === 'growth' && typeof cell.numFmt === 'string' && cell.numFmt.includes('%');
      text = numberText(percent ? c.v * 100 : c.v);
      break;
    }
    case 's': {
      text = c.v.normalize('NFKC').replace(/[\s,]/g, '');
      if (PLACEHOLDERS.has(text) || text === '') return { ok: true, text: null };
      if (kind === 'growth' && text.endsWith('%')) text = text.slice(0, -1);
      break;
    }
    case 'err':
      return c.formula ? { ok: false, key: 'import.cell.formula_error', params: { formula: c.formula } } : { ok: false, key: 'import.cell.error_value', params: { value: c.v } };
    case 'nofx':
      return { ok: false, key: 'import.cell.formula_no_result', params: { formula: c.formula } };
    default:
      return { ok: false, key: `indicators.cell.${kind}_format` };
  }
  const d = parseDecimal(text);
  if (!d) return { ok: false, key: `indicators.cell.${kind}_format` };
  if (kind === 'value') {
    if (d.units < 0n) return { ok: false, key: 'indicators.cell.value_negative' };
    if (d.scale > 4) return { ok: false, key: 'indicators.cell.value_precision' };
    if (text.replace(/^[+]/, '').split('.')[0]!.replace(/^0+(?=\d)/, '').length > 16) return { ok: false, key: 'indicators.cell.value_too_large' };
  } else {
    if (d.scale > 2) return { ok: false, key: 'indicators.cell.growth_precision' };
    if (text.replace(/^[+-]/, '').split('.')[0]!.replace(/^0+(?=\d)/, '').length > 5) return { ok: false, key: 'indicators.cell.growth_range' };
  }
  return { ok: true, text: text.replace(/^\+/, '') };
}

// Header words ----------------------------------------------------------------------------------------------------

type LongColumn = 'indicator' | 'unit' | 'district' | 'year' | 'month' | 'period' | 'value' | 'growth';

export const LONG_HEADERS: Record<LongColumn, string> = {
  indicator: '指标',
  unit: '计量单位',
  district: '地区',
  year: '年份',
  month: '月份',
  period: '统计期',
  value: '本期累计',
  growth: '同比增长(%)',
};

function isGrowthLabel(k: string): boolean {
  return /增|速|%|幅|同比|比上年/.test(k);
}

function isValueLabel(k: string): boolean {
  return /值|累计|绝对|总量|本期|金额|数额|数量|规模/.test(k);
}

function longColumnOf(text: string): LongColumn | null {
  const k = refKey(text);
  if (!k) return null;
  if (isGrowthLabel(k)) return 'growth';
  if (/指标/.test(k)) return 'indicator';
  if (/单位/.test(k)) return 'unit';
  if (/地区|区县|县区|区域|县\(市、区\)/.test(k)) return 'district';
  if (/统计期|期间|时期|报告期/.test(k)) return 'period';
  if (/^(年|年份|年度)$/.test(k)) return 'year';
  if (/^(月|月份|累计月份|截止月份)$/.test(k)) return 'month';
  if (isValueLabel(k)) return 'value';
  return null;
}

// Parsing ---------------------------------------------------------------------------------------------------------

export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('validation_failed', { fields: [{ path: 'file', key: 'import.file.unreadable' }] });
  }
  return wb;
}

export function parseWorkbook(wb: ExcelJS.Workbook, refs: ImportRefs): ParseResult {
  const indicatorLookup = new Lookup<IndicatorRow>();
  for (const i of refs.indicators) {
    indicatorLookup.add(i.name, i);
    indicatorLookup.add(i.code, i);
    indicatorLookup.add(i.nameEn, i);
  }
  const districtLookup = new Lookup<DistrictRow>();
  for (const d of refs.districts) districtLookup.add(d.name, d);
  const self = refs.districts.find((d) => d.kind === 'self');
  if (self) for (const n of refs.zoneNames) districtLookup.add(n, self);
  const city = refs.districts.find((d) => d.kind === 'city');
  if (city) for (const n of ['全市', '合计', '总计']) districtLookup.add(n, city);

  const result: ParseResult = { layout: null, sheets: [], figures: [], invalid: 0, errors: [] };
  const firstAt = new Map<string, { sheet: string; row: number }>();
  const ctx: SheetContext = { refs, indicatorLookup, districtLookup, result, firstAt };

  for (const ws of wb.worksheets) {
    if (ws.state && ws.state !== 'visible') continue;
    const name = ws.name;
    if (HELP_SHEETS.has(name.trim())) {
      result.sheets.push({ name, layout: 'skipped', period: null, figures: 0 });
      continue;
    }
    const before = result.figures.length;
    const long = findLongHeader(ws);
    if (long) {
      parseLong(ws, long.row, long.columns, ctx);
      result.sheets.push({ name, layout: 'long', period: null, figures: result.figures.length - before });
      continue;
    }
    const period = sheetPeriod(ws);
    if (!period.ok) {
      if (period.reason === 'not_period' && ws.actualRowCount === 0) {
        result.sheets.push({ name, layout: 'skipped', period: null, figures: 0 });
        continue;
      }
      const key = period.reason === 'not_period' ? 'indicators.import.sheet_unknown' : period.reason === 'not_cumulative' ? 'indicators.import.not_cumulative' : 'indicators.import.period_range';
      pushError(ctx, { sheet: name, row: 0, column: '', header: '', value: name, key, params: { sheet: name } });
      result.sheets.push({ name, layout: 'skipped', period: null, figures: 0 });
      continue;
    }
    if (period.year > refs.current.year || (period.year === refs.current.year && period.month > refs.current.month)) {
      pushError(ctx, { sheet: name, row: 0, column: '', header: '', value: name, key: 'indicators.future_period', params: { period: periodLabel(period.year, period.month) } });
      result.sheets.push({ name, layout: 'skipped', period: periodLabel(period.year, period.month), figures: 0 });
      continue;
    }
    parseWide(ws, period.year, period.month, ctx);
    result.sheets.push({ name, layout: 'wide', period: periodLabel(period.year, period.month), figures: result.figures.length - before });
  }
  const layouts = new Set(result.sheets.filter((s) => s.layout !== 'skipped').map((s) => s.layout));
  result.layout = layouts.size === 0 ? null : layouts.size > 1 ? 'mixed' : ([...layouts][0] as 'wide' | 'long');
  if (result.figures.length === 0 && result.invalid === 0 && result.errors.length === 0) {
    pushError(ctx, { sheet: '', row: 0, column: '', header: '', value: '', key: 'indicators.import.no_data' });
  }
  return result;
}

interface SheetContext {
  refs: ImportRefs;
  indicatorLookup: Lookup<IndicatorRow>;
  districtLookup: Lookup<DistrictRow>;
  result: ParseResult;
  firstAt: Map<string, { sheet: string; row: number }>;
}

function pushError(ctx: SheetContext, e: CellError): void {
  ctx.result.errors.push(e);
}

/** The period of a wide sheet: from its name, else from a title cell in its first rows. */
function sheetPeriod(ws: ExcelJS.Worksheet): ReturnType<typeof parsePeriod> {
  const byName = parsePeriod(ws.name);
  if (byName.ok || byName.reason !== 'not_period') return byName;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount); r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= Math.min(row.cellCount, 60); c++) {
      const text = textOf(row.getCell(c));
      if (!text) continue;
      const p = parsePeriod(text);
      if (p.ok || p.reason !== 'not_period') return p;
    }
  }
  return byName;
}

function findLongHeader(ws: ExcelJS.Worksheet): { row: number; columns: Map<LongColumn, number> } | null {
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount); r++) {
    const row = ws.getRow(r);
    const columns = new Map<LongColumn, number>();
    for (let c = 1; c <= Math.min(row.cellCount, 60); c++) {
      const text = textOf(row.getCell(c));
      const col = text ? longColumnOf(text) : null;
      if (col && !columns.has(col)) columns.set(col, c);
    }
    if (columns.has('indicator') && columns.has('district') && (columns.has('period') || columns.has('year') || columns.has('month'))) return { row: r, columns };
  }
  return null;
}

/** Checks a figure's indicator/district/period and records it (or its duplication). */
function acceptFigure(ctx: SheetContext, f: ParsedFigure, where: { column: string; header: string }): boolean {
  const key = keyOf(f);
  const first = ctx.firstAt.get(key);
  if (first) {
    pushError(ctx, { sheet: f.sheet, row: f.row, column: where.column, header: where.header, value: '', key: 'indicators.import.duplicate', params: { sheet: first.sheet, row: first.row } });
    ctx.result.invalid++;
    return false;
  }
  ctx.firstAt.set(key, { sheet: f.sheet, row: f.row });
  ctx.result.figures.push(f);
  return true;
}

function parseLong(ws: ExcelJS.Worksheet, headerRow: number, columns: Map<LongColumn, number>, ctx: SheetContext): void {
  const sheet = ws.name;
  const usePeriod = !(columns.has('year') && columns.has('month')) && columns.has('period');
  const need: LongColumn[] = ['indicator', 'district'];
  if (!usePeriod) need.push('year', 'month');
  const missing = need.filter((c) => !columns.has(c));
  if (!columns.has('value') && !columns.has('growth')) missing.push('value', 'growth');
  if (missing.length) {
    for (const c of missing) pushError(ctx, { sheet, row: headerRow, column: '', header: LONG_HEADERS[c], value: '', key: 'indicators.import.missing_column', params: { column: LONG_HEADERS[c] } });
    return;
  }
  const headerText = (c: LongColumn) => textOf(ws.getRow(headerRow).getCell(columns.get(c)!)) || LONG_HEADERS[c];
  let count = 0;
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cell = (c: LongColumn) => (columns.has(c) ? row.getCell(columns.get(c)!) : undefined);
    const valueCell = cell('value');
    const growthCell = cell('growth');
    const anyFigure = [valueCell, growthCell].some((x) => x && cellOf(x) !== null);
    if (!anyFigure) continue;
    if (++count > MAX_LONG_ROWS) {
      pushError(ctx, { sheet, row: r, column: '', header: '', value: '', key: 'indicators.import.too_many_rows', params: { max: MAX_LONG_ROWS } });
      return;
    }
    const errors: CellError[] = [];
    const err = (c: LongColumn, key: string, params?: Params) => {
      const x = cell(c);
      errors.push({ sheet, row: r, column: columnLetter(columns.get(c) ?? 0), header: headerText(c), value: x ? textOf(x) : '', key, ...(params ? { params } : {}) });
    };

    const indicatorText = textOf(cell('indicator')!);
    const ind = indicatorText ? ctx.indicatorLookup.find(indicatorText) : undefined;
    if (!indicatorText) err('indicator', 'import.cell.required');
    else if (!ind) err('indicator', 'indicators.import.unknown_indicator', { value: indicatorText });
    else if (!ind.active) err('indicator', 'indicators.inactive_indicator');

    const districtText = textOf(cell('district')!);
    const dist = districtText ? ctx.districtLookup.find(districtText) : undefined;
    if (!districtText) err('district', 'import.cell.required');
    else if (!dist) err('district', 'indicators.import.unknown_district', { value: districtText });
    else if (!dist.active) err('district', 'indicators.inactive_district');

    let year: number | null = null;
    let month: number | null = null;
    if (usePeriod) {
      const periodText = textOf(cell('period')!);
      const p = periodText ? parsePeriod(periodText) : null;
      if (!periodText) err('period', 'import.cell.required');
      else if (p?.ok) {
        year = p.year;
        month = p.month;
      } else err('period', p?.reason === 'not_cumulative' ? 'indicators.import.not_cumulative_cell' : 'indicators.import.period_cell');
    } else {
      const yText = textOf(cell('year')!).replace(/年$/, '');
      const mText = textOf(cell('month')!);
      if (!yText) err('year', 'import.cell.required');
      else if (!/^\d{4}$/.test(yText) || Number(yText) < 2000 || Number(yText) > 2100) err('year', 'indicators.import.year');
      else year = Number(yText);
      if (!mText) err('month', 'import.cell.required');
      else {
        month = parseMonthCell(mText);
        if (month === null) err('month', 'indicators.import.month');
      }
    }
    if (year !== null && month !== null && (year > ctx.refs.current.year || (year === ctx.refs.current.year && month > ctx.refs.current.month))) {
      err(usePeriod ? 'period' : 'month', 'indicators.future_period', { period: periodLabel(year, month) });
    }

    if (ind && columns.has('unit')) {
      const unit = textOf(cell('unit')!);
      if (unit && refKey(unit) !== refKey(ind.unit)) err('unit', 'indicators.import.unit_mismatch', { value: unit, expected: ind.unit });
    }
    const value = valueCell ? readFigure(valueCell, 'value') : ({ ok: true, text: null } as NumberRead);
    const growth = growthCell ? readFigure(growthCell, 'growth') : ({ ok: true, text: null } as NumberRead);
    if (!value.ok) err('value', value.key, value.params);
    else if (value.text !== null && ind && !ind.publishesValue) err('value', 'indicators.growth_only');
    if (!growth.ok) err('growth', growth.key, growth.params);

    if (errors.length || !ind || !dist || year === null || month === null || !value.ok || !growth.ok) {
      for (const e of errors) pushError(ctx, e);
      ctx.result.invalid++;
      continue;
    }
    acceptFigure(
      ctx,
      { sheet, row: r, indicatorId: ind.id, districtId: dist.id, year, month, value: value.text, growth: growth.text },
      { column: columnLetter(columns.get('indicator')!), header: headerText('indicator') },
    );
  }
}

interface Group {
  name: string;
  column: number;
  district: DistrictRow | null;
  cols: number[];
  value?: number;
  growth?: number;
}

function parseWide(ws: ExcelJS.Worksheet, year: number, month: number, ctx: SheetContext): void {
  const sheet = ws.name;
  // The header row: the first of the top rows naming a known district.
  let headerRow = 0;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount) && !headerRow; r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      if (cell.isMerged && cell.master.address !== cell.address) continue;
      const text = textOf(cell);
      if (text && ctx.districtLookup.find(text)) {
        headerRow = r;
        break;
      }
    }
  }
  if (!headerRow) {
    pushError(ctx, { sheet, row: 0, column: '', header: '', value: '', key: 'indicators.import.no_districts' });
    return;
  }
  const header = ws.getRow(headerRow);
  let labelCol = 0;
  let unitCol = 0;
  const groups: Group[] = [];
  let current: Group | null = null;
  for (let c = 1; c <= header.cellCount; c++) {
    const cell = header.getCell(c);
    const slave = cell.isMerged && cell.master.address !== cell.address;
    const text = slave ? '' : textOf(cell);
    if (text && !labelCol && !ctx.districtLookup.find(text) && /指标|项目|名称/.test(text)) {
      labelCol = c;
      current = null;
      continue;
    }
    if (text && !unitCol && !ctx.districtLookup.find(text) && /单位/.test(text)) {
      unitCol = c;
      current = null;
      continue;
    }
    if (text) {
      current = { name: text, column: c, district: ctx.districtLookup.find(text) ?? null, cols: [c] };
      groups.push(current);
    } else if (current && current.cols.length < 2) {
      current.cols.push(c);
    } else current = null;
  }
  if (!labelCol) labelCol = 1;
  const usable = groups.filter((g) => g.column > labelCol);

  // The row under the header names each column of a district (本期累计 / 同比增长(%)), or there is no such row.
  const sub = ws.getRow(headerRow + 1);
  const subLabels = usable.flatMap((g) => g.cols.map((c) => ({ g, c, k: refKey(textOf(sub.getCell(c))) })));
  const hasSub = subLabels.some((x) => x.k && (isGrowthLabel(x.k) || isValueLabel(x.k)) && !ctx.indicatorLookup.find(x.k));
  const firstData = hasSub ? headerRow + 2 : headerRow + 1;
  const seenDistricts = new Set<string>();
  const headerOf = (g: Group, role: 'value' | 'growth') => `${g.name} ${role === 'value' ? '本期累计' : '同比增长(%)'}`;

  const groupError = (g: Group, key: string, params?: Params) =>
    pushError(ctx, { sheet, row: headerRow, column: columnLetter(g.column), header: g.name, value: g.name, key, ...(params ? { params } : {}) });
  const live: Group[] = [];
  for (const g of usable) {
    if (!g.district) {
      groupError(g, 'indicators.import.unknown_district', { value: g.name });
      continue;
    }
    if (!g.district.active) {
      groupError(g, 'indicators.inactive_district');
      continue;
    }
    if (seenDistricts.has(g.district.id)) {
      groupError(g, 'indicators.import.duplicate_district', { value: g.name });
      continue;
    }
    seenDistricts.add(g.district.id);
    if (hasSub) {
      let bad = false;
      for (const c of g.cols) {
        const k = refKey(textOf(sub.getCell(c)));
        if (!k) continue;
        const role = isGrowthLabel(k) ? 'growth' : isValueLabel(k) ? 'value' : null;
        if (!role || g[role] !== undefined) {
          pushError(ctx, { sheet, row: headerRow + 1, column: columnLetter(c), header: g.name, value: textOf(sub.getCell(c)), key: 'indicators.import.unknown_subheader', params: { value: textOf(sub.getCell(c)) } });
          bad = true;
        } else g[role] = c;
      }
      if (bad) continue;
      if (g.value === undefined && g.growth === undefined) {
        groupError(g, 'indicators.import.pair_unclear', { value: g.name });
        continue;
      }
    } else if (g.cols.length === 2) {
      g.value = g.cols[0];
      g.growth = g.cols[1];
    } else {
      groupError(g, 'indicators.import.pair_unclear', { value: g.name });
      continue;
    }
    live.push(g);
  }

  const labelHeader = textOf(header.getCell(labelCol)) || '指标名称';
  for (let r = firstData; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const filled = live.filter((g) => [g.value, g.growth].some((c) => c !== undefined && cellOf(row.getCell(c)) !== null));
    // Figures under a district column that was refused count as invalid.
    ctx.result.invalid += usable.filter((g) => !live.includes(g) && g.cols.some((c) => cellOf(row.getCell(c)) !== null)).length;
    if (filled.length === 0) continue;
    const labelText = textOf(row.getCell(labelCol));
    const ind = labelText ? ctx.indicatorLookup.find(labelText) : undefined;
    const rowError = (key: string, params?: Params) =>
      pushError(ctx, { sheet, row: r, column: columnLetter(labelCol), header: labelHeader, value: labelText, key, ...(params ? { params } : {}) });
    if (!labelText) rowError('indicators.import.no_indicator');
    else if (!ind) rowError('indicators.import.unknown_indicator', { value: labelText });
    else if (!ind.active) rowError('indicators.inactive_indicator');
    else if (unitCol) {
      const unit = textOf(row.getCell(unitCol));
      if (unit && refKey(unit) !== refKey(ind.unit)) {
        pushError(ctx, { sheet, row: r, column: columnLetter(unitCol), header: textOf(header.getCell(unitCol)), value: unit, key: 'indicators.import.unit_mismatch', params: { value: unit, expected: ind.unit } });
        ctx.result.invalid += filled.length;
        continue;
      }
    }
    if (!ind || !ind.active) {
      ctx.result.invalid += filled.length;
      continue;
    }
    for (const g of filled) {
      const readAt = (role: 'value' | 'growth'): NumberRead => (g[role] === undefined ? { ok: true, text: null } : readFigure(row.getCell(g[role]!), role));
      const value = readAt('value');
      const growth = readAt('growth');
      const cellErr = (role: 'value' | 'growth', key: string, params?: Params) =>
        pushError(ctx, { sheet, row: r, column: columnLetter(g[role]!), header: headerOf(g, role), value: textOf(row.getCell(g[role]!)), key, ...(params ? { params } : {}) });
      let bad = false;
      if (!value.ok) {
        cellErr('value', value.key, value.params);
        bad = true;
      } else if (value.text !== null && !ind.publishesValue) {
        cellErr('value', 'indicators.growth_only');
        bad = true;
      }
      if (!growth.ok) {
        cellErr('growth', growth.key, growth.params);
        bad = true;
      }
      if (bad || !value.ok || !growth.ok) {
        ctx.result.invalid++;
        continue;
      }
      if (value.text === null && growth.text === null) continue;
      acceptFigure(
        ctx,
        { sheet, row: r, indicatorId: ind.id, districtId: g.district!.id, year, month, value: value.text, growth: growth.text },
        { column: columnLetter(g.column), header: g.name },
      );
    }
  }
}

// The report ------------------------------------------------------------------------------------------------------

export interface LocalisedError {
  sheet: string;
  row: number;
  column: string;
  header: string;
  value: string;
  message: string;
}

export function localiseErrors(lang: 'zh-CN' | 'en', errors: CellError[]): LocalisedError[] {
  return errors.map((e) => ({ sheet: e.sheet, row: e.row, column: e.column, header: e.header, value: e.value.length > 200 ? `${e.value.slice(0, 200)}…` : e.value, message: t(lang, e.key, e.params) }));
}
