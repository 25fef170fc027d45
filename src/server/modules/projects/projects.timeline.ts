import { and, desc, eq, or, sql } from 'drizzle-orm';
import { PHASE_LABELS, type ProjectPhase } from '../../../shared/project-phase.ts';
import { auditLog } from '../../audit/audit.schema.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Lang } from '../../i18n.ts';
import { loadProjectInScope } from './projects.policy.ts';

/**
 * A project's timeline, read from the audit trail. THE RULE (every module writing about a project follows it):
 *
 *   an audit row belongs to project P when
 *     entityType = 'project' and entityId = P          (the project itself: create, update, phase moves), or
 *     before.projectId = P or after.projectId = P       (anything of the project: milestones, monthly reports,
 *                                                        files, problems raised from it, …)
 *
 * So a module auditing a record that belongs to a project puts `projectId` in the snapshot it writes as
 * before/after (milestones do: projects.milestones.ts). Only successful changes are shown (no denials, no exports).
 */

const LIMIT = 500;

const ENTITY_LABELS: Record<string, { zh: string; en: string }> = {
  project: { zh: '项目', en: 'project' },
  milestone: { zh: '节点', en: 'milestone' },
  monthly_report: { zh: '月度进展', en: 'monthly report' },
  report: { zh: '月度进展', en: 'monthly report' },
  file: { zh: '文件', en: 'file' },
  problem: { zh: '问题', en: 'problem' },
  batch: { zh: '批次', en: 'batch' },
};
const VERB_LABELS: Record<string, { zh: string; en: string }> = {
  create: { zh: '新增', en: 'added' },
  update: { zh: '修改', en: 'changed' },
  delete: { zh: '删除', en: 'deleted' },
  upload: { zh: '上传', en: 'uploaded' },
};
const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  code: { zh: '项目编号', en: 'code' },
  name: { zh: '名称', en: 'name' },
  enterpriseId: { zh: '建设单位', en: 'enterprise' },
  industry: { zh: '行业', en: 'industry' },
  kind: { zh: '项目类别', en: 'kind' },
  level: { zh: '项目级别', en: 'level' },
  clusterUnitId: { zh: '组团', en: 'cluster' },
  areaUnitId: { zh: '片区', en: 'area' },
  address: { zh: '建设地点', en: 'address' },
  longitude: { zh: '经度', en: 'longitude' },
  latitude: { zh: '纬度', en: 'latitude' },
  commandId: { zh: '指挥部', en: 'HQ' },
  leadUnitId: { zh: '责任单位', en: 'lead unit' },
  leaderUserId: { zh: '包挂领导', en: 'responsible leader' },
  taskForceId: { zh: '专班', en: 'task force' },
  totalInvestment: { zh: '总投资', en: 'total investment' },
  phase: { zh: '阶段', en: 'phase' },
  suspendedFrom: { zh: '停缓建前阶段', en: 'suspended from' },
  signedOn: { zh: '签约日期', en: 'signing date' },
  startedOn: { zh: '开工日期', en: 'start date' },
  operatingOn: { zh: '投产日期', en: 'operation date' },
  completedOn: { zh: '竣工日期', en: 'completion date' },
  suspendedOn: { zh: '停缓建日期', en: 'suspension date' },
  plannedStartOn: { zh: '计划开工日期', en: 'planned start' },
  plannedCompletionOn: { zh: '计划竣工日期', en: 'planned completion' },
  notes: { zh: '备注', en: 'notes' },
  plan: { zh: '年度计划投资', en: 'annual plan' },
  plannedOn: { zh: '计划日期', en: 'planned date' },
  actualOn: { zh: '实际日期', en: 'actual date' },
  sortOrder: { zh: '排序', en: 'order' },
};

type Snapshot = Record<string, unknown> | null;

const pick = (lang: Lang, l: { zh: string; en: string }) => (lang === 'en' ? l.en : l.zh);
const phaseLabel = (lang: Lang, p: unknown) => (typeof p === 'string' && p in PHASE_LABELS ? pick(lang, PHASE_LABELS[p as ProjectPhase]) : String(p));

/** Something to call the record by: its name, file name, month or title. */
function titleOf(before: Snapshot, after: Snapshot): string | null {
  for (const snap of [after, before]) {
    if (!snap) continue;
    for (const key of ['name', 'originalName', 'title', 'month']) {
      const v = snap[key];
      if (typeof v === 'string' && v) return v;
    }
  }
  return null;
}

/** One line saying what happened, in the caller's language. */
export function summarise(lang: Lang, action: string, entityType: string, before: Snapshot, after: Snapshot): string {
  const sep = lang === 'en' ? ': ' : '：';
  const list = lang === 'en' ? ', ' : '、';
  if (action === 'project.create') return lang === 'en' ? 'Project created' : '创建项目';
  if (action === 'project.phase' && after) {
    const on = typeof after.on === 'string' ? ` (${after.on})` : '';
    const reason = typeof after.reason === 'string' && after.reason ? `${sep}${after.reason}` : '';
    return `${lang === 'en' ? 'Phase' : '阶段'}${sep}${phaseLabel(lang, before?.phase)} → ${phaseLabel(lang, after.phase)}${on}${reason}`;
  }
  if (action === 'project.update') {
    const keys = Object.keys(after ?? {}).filter((k) => k !== 'version' && k !== 'projectId');
    const names = keys.map((k) => (FIELD_LABELS[k] ? pick(lang, FIELD_LABELS[k]) : k));
    return `${lang === 'en' ? 'Changed' : '修改'}${sep}${names.join(list)}`;
  }
  const [entity = entityType, verb = ''] = action.split('.');
  const verbLabel = VERB_LABELS[verb] ? pick(lang, VERB_LABELS[verb]) : verb;
  const entityLabel = ENTITY_LABELS[entity] ? pick(lang, ENTITY_LABELS[entity]) : entity;
  const title = titleOf(before, after);
  const head = lang === 'en' ? `${entityLabel.charAt(0).toUpperCase()}${entityLabel.slice(1)} ${verbLabel}` : `${verbLabel}${entityLabel}`;
  return title ? `${head}${sep}${title}` : head;
}

export async function projectTimeline(s: AppServices, caller: Caller, projectId: string, lang: Lang) {
  await loadProjectInScope(s, caller, projectId);
  const rows = await s.db
    .select({
      at: auditLog.at,
      actorName: auditLog.actorName,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.zoneId, caller.zoneId),
        eq(auditLog.result, 'ok'),
        or(
          and(eq(auditLog.entityType, 'project'), eq(auditLog.entityId, projectId)),
          sql`${auditLog.after} ->> 'projectId' = ${projectId}`,
          sql`${auditLog.before} ->> 'projectId' = ${projectId}`,
        ),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.seq))
    .limit(LIMIT);
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    actorName: r.actorName,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    summary: summarise(lang, r.action, r.entityType, r.before as Snapshot, r.after as Snapshot),
    before: r.before ?? null,
    after: r.after ?? null,
  }));
}
