import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import { AppError, fieldError, notFound } from '../../errors.ts';
import { t, type Lang } from '../../i18n.ts';
import { audit } from '../../lib/audited.ts';
import type { CheckedXlsx } from '../../lib/upload.ts';
import { buildXlsx } from '../../lib/xlsx.ts';
import { zones } from '../org/org.schema.ts';
import { headerOf, IMPORT_COLUMNS, MAX_IMPORT_ROWS, MAX_STORED_ERRORS } from './import.columns.ts';
import { ImportFileError, numberText, openImportSheet, type RawRow } from './import.parse.ts';
import { buildImportTemplate } from './import.template.ts';
import { applyImportRows, plansOf } from './import.apply.ts';
import { cellError, columnOrder, effectiveChanges, loadRefData, validateRow, type CellError, type ValidRow, type ValidateContext } from './import.validate.ts';
import { projectScope } from './projects.policy.ts';
import { findProjectsByCodes } from './projects.repository.ts';
import { shanghaiDate, shanghaiYear } from './projects.schedule.ts';
import { projectImports } from './projects.schema.ts';

/**
 * The ledger import (docs/api-projects.md "Excel import"): upload → a project_imports row 'validating' → the file
 * is read and checked in this process, in chunks of CHUNK rows (progress written after each), without a
 * transaction → 'ready' with the valid rows (normalised) and every bad cell → the uploader confirms → all valid
 * rows are applied in ONE transaction, set-based (import.apply.ts: what insertProject / patchProject would
 * write, in chunks) → 'applied'. Nothing touches the ledger before the confirmation.
 */

export type ImportStatus = 'validating' | 'ready' | 'failed' | 'applied';

export interface ImportSummary {
  valid: number;
  invalid: number;
  creates: number;
  updates: number;
  /** Rows whose project already holds exactly what the row says: valid, nothing to apply. */
  unchanged: number;
  /** All bad cells (the report keeps at most MAX_STORED_ERRORS of them). */
  errorCount: number;
}

const EMPTY_SUMMARY: ImportSummary = { valid: 0, invalid: 0, creates: 0, updates: 0, unchanged: 0, errorCount: 0 };

/** Rows per chunk: one existing-project lookup and one progress write each. */
const CHUNK = 500;
/** Errors shown by GET (the spreadsheet has them all). */
const ERRORS_SHOWN = 200;
/** A 'validating' import whose progress has not moved for this long was cut off (the process ended). */
const STALE_MS = 10 * 60_000;
/** Validations running at once in this process; more wait their turn (status 'validating', 0 rows). */
const MAX_RUNNING = 2;

// Running validations ----------------------------------------------------------------------------------------------

const jobs = new Map<string, Promise<void>>();
let active = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (active >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  return () => {
    active--;
    waiting.shift()?.();
  };
}

/** Resolves when the validation of `id` (if running in this process) has finished. For tests and shutdown. */
export async function importSettled(id: string): Promise<void> {
  await jobs.get(id);
}

// Upload -----------------------------------------------------------------------------------------------------------

/** Imports one person may have being checked at once (each holds its file in memory until checked). */
const MAX_VALIDATING_PER_USER = 2;

/** Refuses a new upload (429) while the caller already has MAX_VALIDATING_PER_USER imports being checked. */
export async function assertImportCapacity(s: AppServices, caller: Caller): Promise<void> {
  const [row] = await s.db
    .select({ n: sql<number>`count(*)::int` })
    .from(projectImports)
    .where(
      and(
        eq(projectImports.zoneId, caller.zoneId),
        eq(projectImports.createdBy, caller.userId),
        eq(projectImports.status, 'validating'),
        gt(projectImports.updatedAt, new Date(s.now().getTime() - STALE_MS)),
      ),
    );
  if (Number(row?.n ?? 0) >= MAX_VALIDATING_PER_USER) throw new AppError('rate_limited', { fields: [{ path: 'file', key: 'import.busy' }] });
}

export async function startImport(s: AppServices, caller: Caller, file: CheckedXlsx): Promise<{ id: string; status: ImportStatus }> {
  const [row] = await s.db
    .insert(projectImports)
    .values({ zoneId: caller.zoneId, createdBy: caller.userId, fileName: file.fileName, status: 'validating', summary: EMPTY_SUMMARY, createdAt: s.now(), updatedAt: s.now() })
    .returning({ id: projectImports.id });
  if (!row) throw new Error('import insert returned nothing');
  const id = row.id;
  const job = (async () => {
    const release = await slot();
    try {
      await validateImport(s, caller, id, file);
    } catch (err) {
      await markFailed(s, caller.zoneId, id, [cellError(0, '', '', err instanceof ImportFileError ? err.key : 'import.file.unreadable', err instanceof ImportFileError ? err.params : undefined)]).catch(
        () => undefined,
      );
    } finally {
      release();
    }
  })();
  jobs.set(id, job);
  void job.finally(() => jobs.delete(id));
  return { id, status: 'validating' };
}

async function markFailed(s: AppServices, zoneId: string, id: string, errors: CellError[]): Promise<void> {
  await s.db
    .update(projectImports)
    .set({ status: 'failed', errors, rows: null, summary: { ...EMPTY_SUMMARY, errorCount: errors.length }, updatedAt: s.now() })
    .where(and(eq(projectImports.zoneId, zoneId), eq(projectImports.id, id), eq(projectImports.status, 'validating')));
}

const REQUIRED_COLUMNS = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.key);

/** The code a row would be matched on (as validateRow reads it). */
function codeOf(raw: RawRow): string | null {
  const cell = raw.cells.code;
  if (!cell) return null;
  const text = cell.t === 's' ? cell.v : cell.t === 'n' ? numberText(cell.v) : null;
  const code = text?.replace(/[\u200b-\u200d\ufeff]/g, '').trim();
  return code ? code : null;
}

/** Reads and checks the whole file; leaves the import 'ready' (or 'failed' for a file that cannot be used). */
async function validateImport(s: AppServices, caller: Caller, id: string, file: CheckedXlsx): Promise<void> {
  const { zoneId } = caller;
  const sheet = await openImportSheet(file.buffer, file.worksheetRows);
  const present = new Set(sheet.columns.values());
  const missing = REQUIRED_COLUMNS.filter((k) => !present.has(k));
  if (missing.length) {
    await markFailed(
      s,
      zoneId,
      id,
      missing.map((k) => cellError(sheet.headerRow, headerOf(k), '', 'import.file.missing_column', { column: headerOf(k) })),
    );
    return;
  }

  const ctx: ValidateContext = {
    refs: await loadRefData(s.db, zoneId),
    scope: await projectScope(s.db, caller),
    today: shanghaiDate(s.now()),
    year: shanghaiYear(s.now()),
  };
  let estimate = sheet.estimatedRows;
  await s.db
    .update(projectImports)
    .set({ totalRows: estimate, updatedAt: s.now() })
    .where(and(eq(projectImports.zoneId, zoneId), eq(projectImports.id, id)));

  const valid = new Map<string, ValidRow>();
  /** First row of each code seen, and whether its duplication was already reported on it. */
  const firstRowOf = new Map<string, { row: number; reported: boolean }>();
  const errors: CellError[] = [];
  const invalidRows = new Set<number>();
  let errorCount = 0;
  let processed = 0;
  let unchanged = 0;
  const unchangedRows = new Set<number>();

  const addErrors = (list: CellError[]) => {
    for (const e of list) {
      invalidRows.add(e.row);
      errorCount++;
      if (errors.length < MAX_STORED_ERRORS) errors.push(e);
    }
  };

  const flush = async (chunk: RawRow[]) => {
    const codes = chunk.map(codeOf).filter((c): c is string => c !== null);
    const existing = new Map((await findProjectsByCodes(s.db, zoneId, codes)).map((p) => [p.code, p]));
    const planOf = await plansOf(s.db, zoneId, [...existing.values()].map((p) => p.id));
    for (const raw of chunk) {
      const code = codeOf(raw);
      const result = validateRow(raw, ctx, code ? existing.get(code) : undefined);
      const rowErrors = result.ok ? [] : [...result.errors];
      if (code) {
        const first = firstRowOf.get(code);
        if (first) {
          rowErrors.unshift(cellError(raw.row, headerOf('code'), code, 'import.row.duplicate_code', { first: first.row }));
          if (!first.reported) {
            first.reported = true;
            const earlier = valid.get(code);
            if (earlier) {
              valid.delete(code);
              if (unchangedRows.delete(earlier.row)) unchanged--;
            }
            addErrors([cellError(first.row, headerOf('code'), code, 'import.row.duplicated_later', { row: raw.row })]);
          }
        } else firstRowOf.set(code, { row: raw.row, reported: false });
      }
      if (rowErrors.length) {
        // The duplicate message replaces any other on the code cell.
        const seen = new Set<string>();
        addErrors(rowErrors.filter((e) => (seen.has(e.column) ? false : (seen.add(e.column), true))));
        continue;
      }
      if (!result.ok) continue;
      const v = result.value;
      if (v.action === 'update') {
        const current = existing.get(v.code)!;
        if (Object.keys(effectiveChanges(current, v.input, planOf)).length === 0) {
          unchanged++;
          unchangedRows.add(v.row);
        }
      }
      valid.set(v.code, v);
    }
  };

  const progress = async () => {
    estimate = Math.max(estimate, processed);
    await s.db
      .update(projectImports)
      .set({ processedRows: processed, totalRows: estimate, summary: summaryOf(), updatedAt: s.now() })
      .where(and(eq(projectImports.zoneId, zoneId), eq(projectImports.id, id)));
  };

  const summaryOf = (): ImportSummary => {
    let creates = 0;
    let updates = 0;
    for (const v of valid.values()) {
      if (v.action === 'create') creates++;
      else if (!unchangedRows.has(v.row)) updates++;
    }
    return { valid: valid.size, invalid: invalidRows.size, creates, updates, unchanged, errorCount };
  };

  let chunk: RawRow[] = [];
  for await (const raw of sheet.rows) {
    processed++;
    if (processed > MAX_IMPORT_ROWS) {
      await markFailed(s, zoneId, id, [cellError(raw.row, '', '', 'import.file.too_many_rows', { max: MAX_IMPORT_ROWS })]);
      return;
    }
    chunk.push(raw);
    if (chunk.length >= CHUNK) {
      await flush(chunk);
      chunk = [];
      await progress();
    }
  }
  if (chunk.length) await flush(chunk);

  if (processed === 0) {
    await markFailed(s, zoneId, id, [cellError(sheet.headerRow + 1, '', '', 'import.file.no_rows')]);
    return;
  }
  const order = (e: CellError) => columnOrder(e.column);
  errors.sort((a, b) => a.row - b.row || order(a) - order(b));
  const rows = [...valid.values()].sort((a, b) => a.row - b.row);
  await s.db
    .update(projectImports)
    .set({ status: 'ready', totalRows: processed, processedRows: processed, rows, errors, summary: summaryOf(), updatedAt: s.now() })
    .where(and(eq(projectImports.zoneId, zoneId), eq(projectImports.id, id), eq(projectImports.status, 'validating')));
}

// Reading an import ------------------------------------------------------------------------------------------------

export interface ImportView {
  id: string;
  fileName: string;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  summary: ImportSummary;
  errors: { row: number; column: string; value: string; message: string }[];
  createdAt: string;
  updatedAt: string;
}

function localise(lang: Lang, e: CellError) {
  return { row: e.row, column: e.column, value: e.value, message: lang === 'zh-CN' ? e.message : t(lang, e.key, e.params) };
}

/** Only the uploader sees an import (and confirms it): another user of the zone gets 404, as for any id. */
function ownWhere(caller: Caller, id: string) {
  return and(eq(projectImports.zoneId, caller.zoneId), eq(projectImports.id, id), eq(projectImports.createdBy, caller.userId));
}

export async function getImport(s: AppServices, caller: Caller, id: string, lang: Lang): Promise<ImportView> {
  await expireStale(s, caller, id);
  const [row] = await queryRows<{
    id: string;
    file_name: string;
    status: ImportStatus;
    total_rows: number;
    processed_rows: number;
    summary: ImportSummary | string | null;
    first_errors: CellError[] | string | null;
    created_at: string | Date;
    updated_at: string | Date;
  }>(
    s.db,
    sql`select id, file_name, status, total_rows, processed_rows, summary, created_at, updated_at,
          (select coalesce(jsonb_agg(e order by i), '[]'::jsonb)
             from jsonb_array_elements(coalesce(${projectImports.errors}, '[]'::jsonb)) with ordinality as x(e, i)
            where i <= ${ERRORS_SHOWN}) as first_errors
        from ${projectImports}
       where ${ownWhere(caller, id)}`,
  );
  if (!row) throw notFound();
  const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  const summary = { ...EMPTY_SUMMARY, ...(json(row.summary) ?? {}) };
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    totalRows: Number(row.total_rows),
    processedRows: Number(row.processed_rows),
    summary,
    errors: (json(row.first_errors) ?? []).map((e) => localise(lang, e)),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A validation cut off by a restart leaves 'validating' behind: after STALE_MS without progress it has failed. */
async function expireStale(s: AppServices, caller: Caller, id: string): Promise<void> {
  if (jobs.has(id)) return;
  await s.db
    .update(projectImports)
    .set({ status: 'failed', errors: [cellError(0, '', '', 'import.interrupted')], rows: null, updatedAt: s.now() })
    .where(and(ownWhere(caller, id), eq(projectImports.status, 'validating'), lt(projectImports.updatedAt, new Date(s.now().getTime() - STALE_MS))));
}

/** Every bad cell as a spreadsheet: 行号, 列, 填写内容, 问题 (cells that look like formulas written as text). */
export async function importErrorsXlsx(s: AppServices, caller: Caller, id: string, lang: Lang): Promise<{ fileName: string; body: Buffer }> {
  const [row] = await s.db.select({ fileName: projectImports.fileName, errors: projectImports.errors }).from(projectImports).where(ownWhere(caller, id));
  if (!row) throw notFound();
  const errors = ((row.errors as CellError[] | null) ?? []).map((e) => localise(lang, e));
  const body = await buildXlsx(
    '导入问题',
    [
      { header: '行号', width: 8, value: (e: (typeof errors)[number]) => e.row },
      { header: '列', width: 18, value: (e) => e.column },
      { header: '填写内容', width: 30, value: (e) => e.value },
      { header: '问题', width: 60, value: (e) => e.message },
    ],
    errors,
  );
  const base = row.fileName.replace(/\.xlsx$/i, '');
  return { fileName: `${base}_导入问题.xlsx`, body };
}

// Template ---------------------------------------------------------------------------------------------------------

export async function importTemplate(s: AppServices, caller: Caller): Promise<Buffer> {
  const refs = await loadRefData(s.db, caller.zoneId);
  const [zone] = await s.db.select({ name: zones.name }).from(zones).where(eq(zones.id, caller.zoneId));
  return buildImportTemplate(refs, zone?.name ?? '');
}

// Confirm ----------------------------------------------------------------------------------------------------------

/**
 * Applies every valid row in one transaction (creates, and updates by 项目编号 of what changed: set-based, in
 * chunks, import.apply.ts), marks the import 'applied' and audits it with the counts. A row the ledger no longer
 * accepts (the code was taken or the project changed hands since the check, a reference was deleted) rolls
 * everything back: 409 naming the row.
 */
export async function confirmImport(s: AppServices, caller: Caller, id: string): Promise<{ created: number; updated: number; unchanged: number }> {
  const { zoneId } = caller;
  const [imp] = await s.db
    .select({ status: projectImports.status, fileName: projectImports.fileName, summary: projectImports.summary })
    .from(projectImports)
    .where(ownWhere(caller, id));
  if (!imp) throw notFound();
  if (imp.status === 'applied') throw new AppError('conflict', { fields: [{ path: 'id', key: 'import.already_applied' }] });
  if (imp.status !== 'ready') throw new AppError('conflict', { fields: [{ path: 'id', key: 'import.not_ready' }] });
  const summary = { ...EMPTY_SUMMARY, ...((imp.summary as Partial<ImportSummary> | null) ?? {}) };
  if (summary.valid === 0) throw fieldError('id', 'import.nothing_to_apply');
  // Read outside the transaction (PGlite: inside it only `tx` may be used).
  const scope = await projectScope(s.db, caller);

  return s.db.transaction(async (tx) => {
    // Claim it first: a second confirm, even a concurrent one, finds it no longer 'ready'.
    const claimed = await tx
      .update(projectImports)
      .set({ status: 'applied', updatedAt: s.now() })
      .where(and(ownWhere(caller, id), eq(projectImports.status, 'ready')))
      .returning({ rows: projectImports.rows });
    if (!claimed[0]) throw new AppError('conflict', { fields: [{ path: 'id', key: 'import.already_applied' }] });
    const rows = (claimed[0].rows as ValidRow[] | null) ?? [];
    const { created, updated, unchanged } = await applyImportRows(tx, s, caller, scope, rows);
    const counts = { created, updated, unchanged };
    await tx
      .update(projectImports)
      // The rows have served their purpose; the report (errors, summary) stays.
      .set({ rows: null, summary: { ...summary, ...counts } })
      .where(and(eq(projectImports.zoneId, zoneId), eq(projectImports.id, id)));
    await audit(tx, s, caller, {
      action: 'project.import',
      entityType: 'project_import',
      entityId: id,
      after: { fileName: imp.fileName, ...counts, invalid: summary.invalid },
    });
    return counts;
  });
}
