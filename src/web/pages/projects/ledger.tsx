import type { ReactNode } from 'react';
import { Segmented, Tag } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LEVEL_LABELS, PHASE_LABELS, type ProjectLevel, type ProjectPhase } from '../../../shared/project-phase.ts';
import type { Role } from '../../../shared/roles.ts';
import { FILTER_KEYS, cleanFilters, type MilestoneStatus, type ProjectFilters, type ProjectListQuery, type ProjectSort, type Schedule } from '../../api/projects.ts';
import type { Me } from '../../api/types.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { ORG_READ } from '../../modules.tsx';

// ---------------------------------------------------------------- tags

const PHASE_COLORS: Record<ProjectPhase, string> = {
  pipeline: 'default',
  signed: 'geekblue',
  started: 'blue',
  operating: 'green',
  completed: 'cyan',
  suspended: 'red',
};

export function PhaseTag({ phase }: { phase: ProjectPhase }) {
  const lang = useLang();
  const label = PHASE_LABELS[phase];
  return (
    <Tag color={PHASE_COLORS[phase] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {label ? pick(label, lang) : phase}
    </Tag>
  );
}

const LEVEL_COLORS: Record<ProjectLevel, string> = { province: 'red', city: 'orange', district: 'blue' };

export function LevelTag({ level }: { level: ProjectLevel }) {
  const lang = useLang();
  const label = LEVEL_LABELS[level];
  return (
    <Tag color={LEVEL_COLORS[level] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
      {label ? pick(label, lang) : level}
    </Tag>
  );
}

const SCHEDULE_COLORS: Record<Schedule, string> = { ahead: 'success', on_track: 'processing', lagging: 'error', no_plan: 'default' };

export function ScheduleTag({ schedule }: { schedule: Schedule }) {
  const { t } = useTranslation();
  return (
    <Tag color={SCHEDULE_COLORS[schedule] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid={`schedule-${schedule}`}>
      {t(`projects.schedule.${schedule}`)}
    </Tag>
  );
}

const MILESTONE_COLORS: Record<MilestoneStatus, string> = { done: 'success', done_late: 'warning', pending: 'default', overdue: 'error' };

export function MilestoneTag({ status }: { status: MilestoneStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={MILESTONE_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`projects.milestoneStatus.${status}`)}
    </Tag>
  );
}

export function phaseLabel(phase: ProjectPhase, lang: 'zh-CN' | 'en'): string {
  const label = PHASE_LABELS[phase];
  return label ? pick(label, lang) : phase;
}

// ---------------------------------------------------------------- who may do what

/** Who may create projects (docs/api-projects.md): HQ people into their HQs, unit staff with their unit leading. */
export function canCreateProjects(me: Me): boolean {
  const hq = (me.roles.includes('hq_commander') || me.roles.includes('hq_staff')) && me.commands.length > 0;
  const unit = me.roles.includes('unit_staff') && !!me.unit;
  return hq || unit;
}

/** Whether the user may read the org model (units, HQs, users) for filters and pickers: not enterprise contacts. */
export function seesOrg(me: Me): boolean {
  return me.roles.some((r: Role) => ORG_READ.includes(r));
}

// ---------------------------------------------------------------- the list's URL

const SORTS: readonly ProjectSort[] = ['code', 'name', 'totalInvestment', 'phase', 'updatedAt', 'startedOn'];

/** The filters in a URL query (the same names as the API's). */
export function filtersFrom(sp: URLSearchParams): ProjectFilters {
  const out: ProjectFilters = {};
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v) out[k] = v;
  }
  return out;
}

export function listQueryFrom(sp: URLSearchParams): ProjectListQuery {
  const sort = sp.get('sort') as ProjectSort | null;
  const order = sp.get('order');
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? '20');
  return {
    ...filtersFrom(sp),
    ...(sort && SORTS.includes(sort) ? { sort } : {}),
    ...(order === 'asc' || order === 'desc' ? { order } : {}),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: [10, 20, 50, 100].includes(pageSize) ? pageSize : 20,
  };
}

export function toSearchParams(q: Partial<ProjectListQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(cleanFilters(q))) {
    if (k === 'page' && v === 1) continue;
    if (k === 'pageSize' && v === 20) continue;
    sp.set(k, String(v));
  }
  return sp;
}

/** How many filters are set (not counting the search text and the year). */
export function activeFilterCount(f: ProjectFilters): number {
  return Object.entries(f).filter(([k, v]) => v && k !== 'q' && k !== 'year').length;
}


// ---------------------------------------------------------------- the ledger's own navigation

type NavKey = 'list' | 'gantt' | 'batches' | 'missing' | 'import';

/** 台账 | 甘特图 | 集中开工/签约 | 月报缺报 | 导入台账 — the list filters travel along to the Gantt and back. */
export function LedgerNav({ current, canImport }: { current: NavKey; canImport: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const mobile = useIsMobile();
  const keep = current === 'list' || current === 'gantt' ? location.search : '';
  const paths: Record<NavKey, string> = {
    list: `/projects${keep}`,
    gantt: `/projects/gantt${keep}`,
    batches: '/projects/batches',
    missing: '/projects/missing',
    import: '/projects/import',
  };
  const options: { value: NavKey; label: ReactNode }[] = [
    { value: 'list', label: t('projects.nav.list') },
    { value: 'gantt', label: t('projects.nav.gantt') },
    { value: 'batches', label: t('projects.nav.batches') },
    { value: 'missing', label: t('projects.nav.missing') },
    ...(canImport ? [{ value: 'import' as const, label: t('projects.nav.import') }] : []),
  ];
  return (
    <div className="qibu-hscroll qibu-no-print" style={{ marginBottom: mobile ? 12 : 16 }}>
      <Segmented<NavKey> size={mobile ? 'small' : 'middle'} value={current} options={options} onChange={(v) => navigate(paths[v])} data-testid="ledger-nav" />
    </div>
  );
}
