import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnForHeader, DATA_SHEET, HELP_SHEET, LISTS_SHEET, type ColumnKey } from './import.columns.ts';

/**
 * Reading an uploaded ledger, streaming (exceljs WorkbookReader, styles cached so date cells come back as
 * dates): find the data sheet and its header row, then yield each non-empty row as typed cells. Nothing here
 * knows what a project is; import.validate.ts does.
 */

/** A cell as the validator sees it. Formulas give their cached result; without one they are `nofx`. */
export type Cell =
  | { t: 's'; v: string }
  | { t: 'n'; v: number }
  | { t: 'd'; v: Date }
  | { t: 'b'; v: boolean }
  /** An error value (#N/A…); from a formula, `formula` is set and `v` may be unknown (''). */
  | { t: 'err'; v: string; formula?: string }
  | { t: 'nofx'; formula: string };

export interface RawRow {
  /** The row number in Excel (1-based, as the user sees it). */
  row: number;
  cells: Partial<Record<ColumnKey, Cell>>;
}

/** A problem with the file as a whole (no data sheet, a required column missing): the import fails. */
export class ImportFileError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly column = '',
  ) {
    super(key);
  }
}

export interface OpenedSheet {
  sheetName: string;
  headerRow: number;
  columns: Map<number, ColumnKey>;
  /** Data rows expected (from the row count of the sheet's XML): for progress until the real count is known. */
  estimatedRows: number;
  rows: AsyncGenerator<RawRow>;
}

/** How many rows before the header row may hold a title ("2026年重点项目台账") and the like. */
const HEADER_SEARCH_ROWS = 10;

type ReaderInternals = {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
};
type SheetReader = AsyncIterable<ExcelJS.Row> & { name?: string; state?: string };

function sheetPart(reader: ReaderInternals, sheetName: string): string | undefined {
  const sheet = reader.model?.sheets?.find((s) => s.name === sheetName);
  const rel = sheet && reader.workbookRels?.find((r) => r.Id === sheet.rId);
  if (!rel) return undefined;
  return rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`;
}

/**
 * Opens the workbook and positions on the data sheet's first data row. The data sheet is the one named 项目台账,
 * or else the first visible sheet with 项目编号 and 项目名称 in one of its first rows.
 */
export async function openImportSheet(buffer: Buffer, worksheetRows: Map<string, number>): Promise<OpenedSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]() as AsyncGenerator<SheetReader>;
  for (;;) {
    const next = await sheets.next();
    if (next.done) break;
    const sheet = next.value;
    const name = sheet.name ?? '';
    if (name === HELP_SHEET || name === LISTS_SHEET || (sheet.state && sheet.state !== 'visible' && name !== DATA_SHEET)) continue;
    const rowIterator = sheet[Symbol.asyncIterator]() as AsyncIterator<ExcelJS.Row>;
    let header: { row: number; columns: Map<number, ColumnKey> } | undefined;
    for (let i = 0; i < HEADER_SEARCH_ROWS; i++) {
      const r = await rowIterator.next();
      if (r.done) break;
      const columns = headerColumns(r.value);
      if (columns.size > 0 && [...columns.values()].includes('code') && [...columns.values()].includes('name')) {
        header = { row: r.value.number, columns };
        break;
      }
      if (r.value.number > HEADER_SEARCH_ROWS) break;
    }
    if (!header) {
      if (name === DATA_SHEET) throw new ImportFileError('import.file.no_header');
      // Not the data sheet: drain it so the reader moves on to the next one.
      for (;;) if ((await rowIterator.next()).done) break;
      continue;
    }
    const part = sheetPart(reader as unknown as ReaderInternals, name);
    const counted = part ? worksheetRows.get(part) : undefined;
    const estimatedRows = Math.max(0, (counted ?? Math.max(0, ...worksheetRows.values())) - header.row);
    return { sheetName: name, headerRow: header.row, columns: header.columns, estimatedRows, rows: dataRows(rowIterator, header.columns, sheets) };
  }
  throw new ImportFileError('import.file.no_sheet');
}

function headerColumns(row: ExcelJS.Row): Map<number, ColumnKey> {
  const columns = new Map<number, ColumnKey>();
  const seen = new Set<ColumnKey>();
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const c = toCell(cell.value);
    if (!c || c.t !== 's') return;
    const key = columnForHeader(c.v);
    if (key && !seen.has(key)) {
      seen.add(key);
      columns.set(col, key);
    }
  });
  return columns;
}

async function* dataRows(rows: AsyncIterator<ExcelJS.Row>, columns: Map<number, ColumnKey>, sheets: AsyncGenerator<SheetReader>): AsyncGenerator<RawRow> {
  let last = 0;
  try {
    for (;;) {
      const r = await rows.next();
      if (r.done) break;
      const row = r.value;
      const number = Number.isFinite(row.number) ? row.number : last + 1;
      last = number;
      const cells: Partial<Record<ColumnKey, Cell>> = {};
      let any = false;
      for (const [col, key] of columns) {
        const cell = toCell(valueOf(row.getCell(col)));
        if (cell) {
          cells[key] = cell;
          any = true;
        }
      }
      if (any) yield { row: number, cells };
    }
  } finally {
    // Let the zip stream finish (the remaining sheets are skipped unread) so nothing is left open.
    await sheets.return(undefined).catch(() => undefined);
  }
}

/** A formula's result as read (cell.value drops a NaN result, which is how an error result arrives). */
function valueOf(cell: ExcelJS.Cell): ExcelJS.CellValue {
  if (cell.type === ExcelJS.ValueType.Formula) {
    const model = cell.model as { formula?: string; sharedFormula?: string; result?: unknown };
    return { formula: model.formula ?? model.sharedFormula ?? '', result: model.result } as ExcelJS.CellFormulaValue;
  }
  return cell.value;
}

/** exceljs's cell value → Cell; null for an empty cell (blank strings count as empty). */
export function toCell(value: ExcelJS.CellValue | undefined): Cell | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : { t: 's', v: value };
  if (typeof value === 'number') return Number.isFinite(value) ? { t: 'n', v: value } : { t: 'err', v: '#NUM!' };
  if (typeof value === 'boolean') return { t: 'b', v: value };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { t: 'err', v: '#VALUE!' } : { t: 'd', v: value };
  if (typeof value === 'object') {
    if ('error' in value) return { t: 'err', v: String(value.error) };
    if ('richText' in value && Array.isArray(value.richText)) return toCell(value.richText.map((r) => r.text ?? '').join(''));
    if ('formula' in value || 'sharedFormula' in value) {
      const v = value as { formula?: string; sharedFormula?: string; result?: unknown };
      const formula = `=${v.formula || v.sharedFormula || ''}`;
      const result = v.result;
      if (result === undefined || result === null || result === '') return { t: 'nofx', formula };
      // The stream reader gives an error result as NaN (parseFloat of "#DIV/0!"): which error is lost.
      if (typeof result === 'number' && !Number.isFinite(result)) return { t: 'err', v: '', formula };
      if (typeof result === 'object' && result !== null && 'error' in result) return { t: 'err', v: String((result as { error: unknown }).error), formula };
      return toCell(result as ExcelJS.CellValue);
    }
    if ('text' in value && typeof (value as { text?: unknown }).text === 'string') return toCell((value as { text: string }).text);
  }
  return { t: 's', v: String(value) };
}

/**
 * A number cell as the text Excel shows: Excel keeps 15 significant digits, so a computed 0.57000000000000006
 * (stored as such in the file) is the 0.57 the user sees; a typed 12.1234567 stays as it is.
 */
export function numberText(v: number): string {
  return String(Number(v.toPrecision(15)));
}

/** What the user typed, for the report ("填写内容"). */
export function displayCell(cell: Cell | undefined): string {
  if (!cell) return '';
  switch (cell.t) {
    case 's':
      return cell.v.length > 200 ? `${cell.v.slice(0, 200)}…` : cell.v;
    case 'n':
      return numberText(cell.v);
    case 'd':
      return cell.v.toISOString().slice(0, 10);
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'err':
      return cell.formula ? cell.formula.slice(0, 200) : cell.v;
    case 'nofx':
      return cell.formula.slice(0, 200);
  }
}
