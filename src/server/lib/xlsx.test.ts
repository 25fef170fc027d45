import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildXlsx } from './xlsx.ts';

describe('xlsx export', () => {
  it('writes formula-like cells as text, never as formulas', async () => {
    const values = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR', '＝1+1', '＋1', '－1', '＠x', 'plain', '12'];
    const buf = await buildXlsx('t', [{ header: 'v', value: (r: string) => r }], values);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('t')!;
    for (let i = 0; i < values.length; i++) {
      const cell = sheet.getCell(i + 2, 1);
      expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      // XML turns a lone CR into LF; the text is otherwise kept exactly.
      expect(cell.text).toBe(values[i]!.replace('\r', '\n'));
    }
  });
});
