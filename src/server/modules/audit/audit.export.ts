import type { Lang } from '../../i18n.ts';
import type { XlsxColumn } from '../../lib/xlsx.ts';
import type { AuditRowDto } from './audit.dto.ts';

/** Excel refuses cells longer than 32,767 characters; a long before/after is cut with a visible mark. */
const CELL_MAX = 32_000;

function json(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > CELL_MAX ? `${text.slice(0, CELL_MAX)}…` : text;
}

/** Local time in Asia/Shanghai as YYYY-MM-DD HH:mm:ss, what the offices read. */
function shanghaiTime(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}

const HEADERS: Record<Lang, string[]> = {
  'zh-CN': ['时间', '操作人', '操作人ID', '角色', 'IP地址', '请求ID', '操作', '对象类型', '对象ID', '结果', '变更前', '变更后', '链号', '序号'],
  en: ['Time (Asia/Shanghai)', 'Actor', 'Actor id', 'Role', 'IP', 'Request id', 'Action', 'Entity type', 'Entity id', 'Result', 'Before', 'After', 'Chain', 'Seq'],
};

const RESULT_LABELS: Record<Lang, Record<string, string>> = {
  'zh-CN': { ok: '成功', denied: '拒绝', failed: '失败' },
  en: { ok: 'ok', denied: 'denied', failed: 'failed' },
};

export function auditExportColumns(lang: Lang): XlsxColumn<AuditRowDto>[] {
  const h = HEADERS[lang];
  const values: ((r: AuditRowDto) => string | number | null)[] = [
    (r) => shanghaiTime(r.at),
    (r) => r.actorName,
    (r) => r.actorId,
    (r) => r.actorRole,
    (r) => r.ip,
    (r) => r.requestId,
    (r) => r.action,
    (r) => r.entityType,
    (r) => r.entityId,
    (r) => RESULT_LABELS[lang][r.result] ?? r.result,
    (r) => json(r.before),
    (r) => json(r.after),
    (r) => r.chainNo,
    (r) => r.seq,
  ];
  const widths = [20, 16, 38, 14, 16, 38, 24, 14, 38, 8, 50, 50, 6, 8];
  return values.map((value, i) => ({ header: h[i] ?? '', width: widths[i] ?? 12, value }));
}
