import type { ReactNode } from 'react';
import { Badge, Segmented, Tag, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  ACTIONS,
  LIGHT_LABELS,
  PRIORITY_LABELS,
  SOURCE_LABELS,
  STATE_LABELS,
  isOpen,
  type Light,
  type ProblemAction,
  type ProblemPriority,
  type ProblemSource,
  type ProblemState,
} from '../../../shared/problem-flow.ts';
import { PROBLEM_SORTS, filtersFromParams, type ProblemFilters, type ProblemListItem, type ProblemListQuery, type ProblemSort } from '../../api/problems.ts';
import type { Me } from '../../api/types.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { todayInZone } from '../../components/format.ts';
import { pick, useLang, type Lang } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

// ---------------------------------------------------------------- lights, states, tags

export const LIGHT_COLORS: Record<Light | 'none', string> = { red: '#f5222d', yellow: '#faad14', green: '#52c41a', none: '#d9d9d9' };
export const LIGHT_ORDER: Record<Light | 'none', number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** The light (红黄绿灯) as a coloured dot; grey when there is none (closed, merged, no deadline yet). */
export function LightDot({ light, size = 10, testId }: { light: Light | null; size?: number; testId?: string }) {
  const lang = useLang();
  const { t } = useTranslation();
  const title = light ? pick(LIGHT_LABELS[light], lang) : t('problems.light.none');
  return (
    <Tooltip title={title}>
      <span
        role="img"
        aria-label={title}
        data-testid={testId}
        data-light={light ?? 'none'}
        style={{
          display: 'inline-block',
          width: size,
          height: size,
          borderRadius: '50%',
          background: LIGHT_COLORS[light ?? 'none'],
          boxShadow: light ? `0 0 0 2px ${LIGHT_COLORS[light]}33` : undefined,
          flexShrink: 0,
          verticalAlign: 'middle',
        }}
      />
    </Tooltip>
  );
}

/** "剩 3 个工作日" / "今日到期" / "超期 2 个工作日" / "未定期限", for an open problem. */
export function daysLeftText(p: Pick<ProblemListItem, 'state' | 'deadline' | 'workdaysLeft'>, t: TFunction): string {
  if (!isOpen(p.state)) return '';
  if (!p.deadline || p.workdaysLeft === null) return t('problems.light.noDeadline');
  if (p.workdaysLeft > 0) return t('problems.light.left', { count: p.workdaysLeft });
  // No working day left: due today, or — on a weekend or holiday — on the last working day, which has passed.
  if (p.workdaysLeft === 0) return p.deadline === todayInZone() ? t('problems.light.dueToday') : t('problems.light.dueOn', { date: p.deadline });
  return t('problems.light.overdue', { count: -p.workdaysLeft });
}

/** Dot plus working days left (the list's and the page's light cell). */
export function LightCell({ p, size, dot = true }: { p: Pick<ProblemListItem, 'state' | 'deadline' | 'workdaysLeft' | 'light'>; size?: number; dot?: boolean }) {
  const { t } = useTranslation();
  const text = daysLeftText(p, t);
  const color = p.light === 'red' ? '#cf1322' : p.light === 'yellow' ? '#ad6800' : undefined;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}>
      {dot && <LightDot light={p.light} size={size} />}
      {text && <span style={{ color, fontSize: 13 }}>{text}</span>}
    </span>
  );
}

const STATE_COLORS: Record<ProblemState, string> = {
  raised: 'default',
  assigned: 'blue',
  handed_back: 'orange',
  in_progress: 'processing',
  suspended: 'purple',
  submitted: 'cyan',
  closed: 'success',
  merged: 'default',
};

export function StateTag({ state }: { state: ProblemState }) {
  const lang = useLang();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="state-tag" data-state={state}>
      {STATE_LABELS[state] ? pick(STATE_LABELS[state], lang) : state}
    </Tag>
  );
}

const PRIORITY_COLORS: Record<ProblemPriority, string> = { normal: 'default', high: 'orange', urgent: 'red' };

export function PriorityTag({ priority, hideNormal }: { priority: ProblemPriority; hideNormal?: boolean }) {
  const lang = useLang();
  if (hideNormal && priority === 'normal') return null;
  return (
    <Tag color={PRIORITY_COLORS[priority] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
      {PRIORITY_LABELS[priority] ? pick(PRIORITY_LABELS[priority], lang) : priority}
    </Tag>
  );
}

/** The deadline with its provisional mark (the count crossed a year the calendar does not know yet). */
export function Deadline({ deadline, provisional }: { deadline: string | null; provisional: boolean }) {
  const { t } = useTranslation();
  if (!deadline) return <>—</>;
  return (
    <span className="qibu-num" style={{ whiteSpace: 'nowrap' }}>
      {deadline}
      {provisional && (
        <Tooltip title={t('problems.provisionalHint')}>
          <Tag color="warning" bordered={false} style={{ marginInlineStart: 4, marginInlineEnd: 0 }} data-testid="deadline-provisional">
            {t('problems.provisional')}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}

export function sourceLabel(source: string, lang: Lang): string {
  const l = SOURCE_LABELS[source as ProblemSource];
  return l ? pick(l, lang) : source;
}

export function stateLabel(state: string, lang: Lang): string {
  const l = STATE_LABELS[state as ProblemState];
  return l ? pick(l, lang) : state;
}

/** An action's words for buttons and the timeline (also the timeline-only ones: raise, merged_in, system steps). */
export function actionLabel(action: string, lang: Lang, t: TFunction): string {
  const def = (ACTIONS as Record<string, { label: { zh: string; en: string } }>)[action];
  if (def) return pick(def.label, lang);
  const events: Record<string, string> = zhCN.problems.events;
  return action in events ? t(`problems.events.${action as keyof typeof zhCN.problems.events}`) : action;
}

// ---------------------------------------------------------------- who is who

const HQ_ROLES = ['hq_commander', 'hq_staff'] as const;

export function isLeader(me: Me): boolean {
  return me.roles.includes('zone_leader');
}

/** An HQ person of this HQ (or a leader): may assign at raise time (the `hq` relation). */
export function isHqOf(me: Me, commandId: string | null | undefined): boolean {
  if (isLeader(me)) return true;
  if (!commandId) return false;
  return me.roles.some((r) => (HQ_ROLES as readonly string[]).includes(r)) && me.commands.some((c) => c.id === commandId);
}

export function isHqUser(me: Me): boolean {
  return isLeader(me) || (me.roles.some((r) => (HQ_ROLES as readonly string[]).includes(r)) && me.commands.length > 0);
}

/** Unit staff without an HQ seat: their landing page is 我的待办. */
export function isUnitStaffOnly(me: Me): boolean {
  return me.roles.includes('unit_staff') && !isHqUser(me);
}

/**
 * The step this problem waits for from the signed-in user (the to-do list's "next action"): a guess from the state
 * and the user's side; the problem's page lists exactly what the server allows.
 */
export function nextActionFor(p: ProblemListItem, me: Me): ProblemAction | null {
  const hq = isHqOf(me, p.command.id);
  // the lead unit's own staff (a unit below the lead unit is not told apart here)
  const lead = !!me.unit && !!p.leadUnit && me.unit.id === p.leadUnit.id;
  switch (p.state) {
    case 'raised':
      return hq ? 'assign' : null;
    case 'assigned':
      return lead ? 'accept' : null;
    case 'handed_back':
      return hq ? 'reassign' : null;
    case 'in_progress':
      if (p.pendingRequest && hq) return 'approve_request';
      if (lead) return 'submit';
      return hq ? null : 'report_progress';
    case 'submitted':
      return lead && !hq ? null : 'close';
    case 'suspended':
      return hq || lead ? 'resume' : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------- the list's URL

export const PAGE_SIZES = [10, 20, 50, 100] as const;

export function listQueryFrom(sp: URLSearchParams): ProblemListQuery {
  const sort = sp.get('sort') as ProblemSort | null;
  const order = sp.get('order');
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? '20');
  return {
    ...filtersFromParams(sp),
    ...(sort && (PROBLEM_SORTS as readonly string[]).includes(sort) ? { sort } : {}),
    ...(order === 'asc' || order === 'desc' ? { order } : {}),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : 20,
  };
}

export function toSearchParams(q: Partial<ProblemListQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'page' && v === 1) continue;
    if (k === 'pageSize' && v === 20) continue;
    if (Array.isArray(v)) for (const one of v as string[]) sp.append(k, one);
    else sp.set(k, String(v));
  }
  return sp;
}

/** How many filters are set (not counting the search text). */
export function activeFilterCount(f: ProblemFilters): number {
  return Object.entries(f).filter(([k, v]) => k !== 'q' && (Array.isArray(v) ? v.length > 0 : !!v)).length;
}

// ---------------------------------------------------------------- the module's own navigation

type NavKey = 'todo' | 'list' | 'new' | 'metrics';

/** 我的待办 | 问题清单 | 提报问题 | 统计分析 */
export function ProblemsNav({ current, drafts = 0, extra }: { current: NavKey; drafts?: number; extra?: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const paths: Record<NavKey, string> = { todo: '/problems/todo', list: '/problems', new: '/problems/new', metrics: '/problems/metrics' };
  const options: { value: NavKey; label: ReactNode }[] = [
    { value: 'todo', label: t('problems.nav.todo') },
    { value: 'list', label: t('problems.nav.list') },
    {
      value: 'new',
      label: (
        <Badge count={drafts} size="small" offset={[8, -2]}>
          <span>{t('problems.nav.new')}</span>
        </Badge>
      ),
    },
    { value: 'metrics', label: t('problems.nav.metrics') },
  ];
  return (
    <div className="qibu-hscroll qibu-no-print" style={{ marginBottom: mobile ? 12 : 16, display: 'flex', gap: 8, alignItems: 'center' }}>
      <Segmented<NavKey>
        size={mobile ? 'small' : 'middle'}
        value={current}
        options={options}
        // the list is opened on purpose: unit staff are not sent on to their to-do (ProblemsModule)
        onChange={(v) => navigate(paths[v], v === 'list' ? { state: { list: true } } : undefined)}
        data-testid="problems-nav"
      />
      {extra}
    </div>
  );
}
