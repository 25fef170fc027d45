import { Empty, Flex, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LEVEL_LABELS, PHASE_LABELS, type ProjectLevel, type ProjectPhase } from '../../../shared/project-phase.ts';
import { useTimeline, type TimelineEntry } from '../../api/projects.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { looksLikeMoney, wan, yi } from '../../components/money.ts';
import { pick, useLang, type Lang } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { fileSize } from '../../components/OwnerFiles.tsx';

type FieldKey = keyof typeof zhCN.projects.fields;
type Actions = typeof zhCN.projects.timeline.actions;
type EntityKey = keyof typeof zhCN.projects.timeline.entities;
type VerbKey = keyof typeof zhCN.projects.timeline.verbs;

const HIDDEN = new Set(['id', 'zoneId', 'projectId', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt', 'searchText', 'storagePath', 'sha256', 'unitId', 'cleanId', 'ownerId', 'ownerType', 'storageKey', 'mime']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const YI_FIELDS = new Set(['totalInvestment', 'yearPlannedInvestment']);
const PHASE_FIELDS = new Set(['phase', 'fromPhase', 'toPhase', 'suspendedFrom']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(key: string, v: unknown, lang: Lang, units: { yi: string; wan: string }): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') {
    if (UUID.test(v)) return `#${v.slice(0, 8)}`;
    if (PHASE_FIELDS.has(key) && v in PHASE_LABELS) return pick(PHASE_LABELS[v as ProjectPhase], lang);
    if (key === 'level' && v in LEVEL_LABELS) return pick(LEVEL_LABELS[v as ProjectLevel], lang);
    if (looksLikeMoney(v) && /investment|funds|amount/i.test(key)) return YI_FIELDS.has(key) ? `${yi(v)} ${units.yi}` : `${wan(v)} ${units.wan}`;
    return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  if (typeof v === 'number' && key === 'size') return fileSize(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => show(key, x, lang, units)).join('、');
  if (isRecord(v)) {
    if (typeof v.year === 'number' && 'plannedInvestment' in v) return `${v.year}: ${typeof v.plannedInvestment === 'string' ? `${yi(v.plannedInvestment)} ${units.yi}` : '—'}`;
    const name = v.name ?? v.displayName ?? v.label;
    if (typeof name === 'string') return name;
  }
  return JSON.stringify(v);
}

/** The fields that differ between before and after (a create shows what was set, a delete what was there). */
export function diffRows(before: unknown, after: unknown): { key: string; before: unknown; after: unknown }[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN.has(k));
  const ref = (v: unknown) => v == null || (typeof v === 'string' && UUID.test(v));
  return keys
    .filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    // ids say nothing to a reader (the summary line names the field): leave them out
    .filter((k) => !(ref(b[k]) && ref(a[k])))
    .filter((k) => !(k === 'kind' && (a.originalName || b.originalName)))
    .map((k) => ({ key: k, before: b[k], after: a[k] }));
}

function Diff({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const lang = useLang();
  const rows = diffRows(entry.before, entry.after);
  if (!rows.length) return null;
  const units = { yi: t('projects.unit.yi'), wan: t('projects.unit.wan') };
  const label = (k: string) => (k in zhCN.projects.fields ? t(`projects.fields.${k as FieldKey}`) : k);
  const created = entry.before == null;
  return (
    <table className="qibu-diff">
      <tbody>
        {rows.slice(0, 16).map((r) => (
          <tr key={r.key}>
            <th>{label(r.key)}</th>
            {created ? (
              <td colSpan={2}>{show(r.key, r.after, lang, units)}</td>
            ) : (
              <>
                <td className="qibu-diff-before">{show(r.key, r.before, lang, units)}</td>
                <td className="qibu-diff-after">{show(r.key, r.after, lang, units)}</td>
              </>
            )}
          </tr>
        ))}
        {rows.length > 16 && (
          <tr>
            <td colSpan={3} style={{ color: 'rgba(0,0,0,0.45)' }}>
              {t('projects.timeline.moreFields', { count: rows.length - 16 })}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function useActionWords() {
  const { t } = useTranslation();
  return (e: TimelineEntry): string => {
    const dot = e.action.lastIndexOf('.');
    const entity = dot > 0 ? e.action.slice(0, dot) : e.entityType;
    const verb = dot > 0 ? e.action.slice(dot + 1) : e.action;
    const known = (zhCN.projects.timeline.actions as Record<string, Record<string, string>>)[entity]?.[verb];
    if (known) return t(`projects.timeline.actions.${entity}.${verb}` as `projects.timeline.actions.${keyof Actions}.create`);
    const ent = entity in zhCN.projects.timeline.entities ? t(`projects.timeline.entities.${entity as EntityKey}`) : entity;
    const vb = verb in zhCN.projects.timeline.verbs ? t(`projects.timeline.verbs.${verb as VerbKey}`) : verb;
    return `${vb}${t('projects.timeline.joiner')}${ent}`;
  };
}

const COLORS: Record<string, string> = { create: 'green', delete: 'red', phase: 'blue', update: 'gray' };

/** 时间线: every change of the project and its reports, milestones, files and phases, from the audit trail. */
export function TimelineTab({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const words = useActionWords();
  const { data, isLoading, error, refetch } = useTimeline(projectId);
  const items = data ?? [];
  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('projects.timeline.note')}
      </Typography.Paragraph>
      {items.length === 0 ? (
        <Empty description={t('projects.timeline.empty')} />
      ) : (
        <Timeline
          data-testid="project-timeline"
          items={items.map((e, i) => {
            const verb = e.action.slice(e.action.lastIndexOf('.') + 1);
            return {
              key: `${e.at}-${i}`,
              color: COLORS[verb] ?? 'blue',
              content: (
                <div>
                  <Flex gap={8} wrap="wrap" align="baseline">
                    <Typography.Text strong>{e.actorName ?? t('projects.timeline.system')}</Typography.Text>
                    <Tag bordered={false} color="processing" style={{ marginInlineEnd: 0 }}>
                      {words(e)}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} className="qibu-num">
                      {formatDateTime(e.at)}
                    </Typography.Text>
                  </Flex>
                  {e.summary && <div style={{ marginTop: 4 }}>{e.summary}</div>}
                  <Diff entry={e} />
                </div>
              ),
            };
          })}
        />
      )}
    </QueryState>
  );
}
