import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { auditLog } from '../../audit/audit.schema.ts';
import { getHarness, type Client } from '../../test/harness.ts';

/** Test helpers shared by the org module's tests (not a test file itself). */
export function put(client: Client, url: string, payload: unknown): Promise<LightMyRequestResponse> {
  return client.request({ method: 'PUT', url, payload: payload as string });
}

export async function auditRows(zoneId: string, action: string) {
  const { services } = await getHarness();
  return services.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.at));
}

/** The first sheet of a downloaded workbook as rows of cell texts (header row first). */
export async function readSheet(res: LightMyRequestResponse): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types want an ArrayBuffer; a Node Buffer is what it actually reads.
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('workbook has no sheet');
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).text);
    rows.push(cells);
  });
  return rows;
}

/** The field messages of a 400 by path. */
export function fieldsOf(res: LightMyRequestResponse): Record<string, string> {
  const body = res.json() as { error: { fields: { path: string; message: string }[] } };
  return Object.fromEntries(body.error.fields.map((f) => [f.path, f.message]));
}
