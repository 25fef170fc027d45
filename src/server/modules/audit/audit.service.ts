import { verifyAudit } from '../../audit/audit.ts';
import type { AppServices, Caller } from '../../context.ts';
import { AppError, fieldError } from '../../errors.ts';
import type { Lang } from '../../i18n.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx } from '../../lib/xlsx.ts';
import type { AuditFilter, AuditListQuery, AuditRowDto, VerifyResponse } from './audit.dto.ts';
import { auditExportColumns } from './audit.export.ts';
import { countAudit, selectAudit, type AuditCriteria, type AuditRecord } from './audit.repository.ts';

/** An export is built in memory (exceljs): beyond this many rows the caller narrows the filters instead. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

/** China has kept UTC+8 all year since 1991, so a fixed offset is exact for Asia/Shanghai. */
const SHANGHAI_OFFSET = '+08:00';

/** The first instant of a YYYY-MM-DD day in Asia/Shanghai; a field error for a date that does not exist. */
export function shanghaiDayStart(day: string, path: string): Date {
  const instant = new Date(`${day}T00:00:00${SHANGHAI_OFFSET}`);
  const roundTrip = Number.isNaN(instant.getTime()) ? '' : instant.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  if (roundTrip !== day) throw fieldError(path, 'field.format', { format: 'YYYY-MM-DD' });
  return instant;
}

const DAY_MS = 86_400_000;

/** Turns the query into criteria for the caller's zone: empty strings mean "no filter"; `to` is inclusive. */
export function criteriaOf(caller: Caller, q: AuditFilter): AuditCriteria {
  const blank = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);
  const from = blank(q.from) ? shanghaiDayStart(q.from!, 'from') : undefined;
  const to = blank(q.to) ? shanghaiDayStart(q.to!, 'to') : undefined;
  if (from && to && to.getTime() < from.getTime()) throw fieldError('to', 'field.date_range');
  return {
    zoneId: caller.zoneId,
    actor: blank(q.actor),
    action: blank(q.action),
    entityType: blank(q.entityType),
    entityId: blank(q.entityId),
    result: blank(q.result),
    fromInstant: from,
    untilInstant: to ? new Date(to.getTime() + DAY_MS) : undefined,
  };
}

export function presentAuditRow(r: AuditRecord): AuditRowDto {
  return {
    at: new Date(r.at).toISOString(),
    actorId: r.actorId,
    actorName: r.actorName,
    actorRole: r.actorRole,
    ip: r.ip,
    requestId: r.requestId,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    result: r.result,
    before: r.before ?? null,
    after: r.after ?? null,
    chainNo: r.chainNo,
    seq: Number(r.seq),
  };
}

export async function listAudit(s: AppServices, caller: Caller, q: AuditListQuery) {
  const criteria = criteriaOf(caller, q);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const [total, rows] = await Promise.all([countAudit(s.db, criteria), selectAudit(s.db, criteria, pageSize, (page - 1) * pageSize)]);
  return { items: rows.map(presentAuditRow), total, page, pageSize };
}

/** The filters as given, without blanks and paging: what the export's own audit row records. */
function filtersOf(q: AuditFilter): Record<string, string> {
  const { page: _page, pageSize: _pageSize, ...filters } = q;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Record<string, string>;
}

/** The filtered trail as a workbook; the export itself is audited (after the rows are read, so it is not in them). */
export async function exportAudit(s: AppServices, caller: Caller, q: AuditFilter, lang: Lang): Promise<Buffer> {
  const criteria = criteriaOf(caller, q);
  const total = await countAudit(s.db, criteria);
  if (total > AUDIT_EXPORT_MAX_ROWS) {
    throw new AppError('validation_failed', { fields: [{ path: 'from', key: 'field.export_too_large', params: { max: AUDIT_EXPORT_MAX_ROWS } }] });
  }
  const rows = await selectAudit(s.db, criteria, AUDIT_EXPORT_MAX_ROWS, 0);
  const body = await buildXlsx(lang === 'en' ? 'Audit trail' : '审计日志', auditExportColumns(lang), rows.map(presentAuditRow));
  await auditEvent(s, caller, { action: 'audit.export', entityType: 'audit_log', entityId: null, after: { filters: filtersOf(q), rows: rows.length } });
  return body;
}

/** Checks every hash chain of the caller's zone. Verifying is an audit admin's act, so it is audited too. */
export async function verifyZoneAudit(s: AppServices, caller: Caller): Promise<VerifyResponse> {
  const report = await verifyAudit(s.db, s.keys.auditKey, caller.zoneId);
  const problems = report.problems.map((p) => ({ chainNo: p.chainNo, seq: p.seq, kind: p.kind, detail: p.detail }));
  await auditEvent(s, caller, {
    action: 'audit.verify',
    entityType: 'audit_log',
    entityId: null,
    result: problems.length ? 'failed' : 'ok',
    after: { rowsChecked: report.rowsChecked, chainsChecked: report.chainsChecked, problems: problems.length },
  });
  return { rowsChecked: report.rowsChecked, chainsChecked: report.chainsChecked, problems };
}
