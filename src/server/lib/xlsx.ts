import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export interface XlsxColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

/**
 * A cell that a spreadsheet would read as a formula (= + - @, tab, CR, and their full-width forms) is written
 * with a leading apostrophe-equivalent: as plain text that Excel shows but never evaluates (OWASP CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function isFormulaLike(value: string): boolean {
  return FORMULA_START.test(value);
}

function safeCell(value: string | number | boolean | Date | null | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && isFormulaLike(value)) {
    // Rich text is always stored as a shared string, never as a formula, and keeps the visible text intact.
    return { richText: [{ text: value }] };
  }
  return value;
}

/** Builds a one-sheet workbook with a bold, frozen header row. */
export async function buildXlsx<T>(sheetName: string, columns: XlsxColumn<T>[], rows: Iterable<T>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Qibu 起步';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 4) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => safeCell(c.value(row))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a workbook as a download with a UTF-8 file name (RFC 5987) and nosniff. */
export function sendXlsx(reply: FastifyReply, filename: string, body: Buffer): FastifyReply {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_');
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/** Today's date in Asia/Shanghai as YYYYMMDD, for export file names. */
export function todayStamp(now: Date = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).replaceAll('-', '');
}
