import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Drawer, Flex, Input, Switch, Typography } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useGantt, type GanttRow, type ProjectFilters } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { GanttChart, type GanttRowDef } from './Gantt.tsx';
import { milestoneRows, useGanttWords } from './MilestonesTab.tsx';
import { FilterFields } from './ProjectFilters.tsx';
import { LedgerNav, activeFilterCount, canCreateProjects, filtersFrom, phaseLabel, toSearchParams } from './ledger.tsx';
import { todayInZone } from '../../components/format.ts';

const LIMIT = 300;

/** One line per project (planned span over actual span, milestones as diamonds), optionally each milestone below it. */
function projectRows(items: GanttRow[], detail: boolean, words: ReturnType<typeof useGanttWords>, lang: 'zh-CN' | 'en'): GanttRowDef[] {
  const today = todayInZone();
  const rows: GanttRowDef[] = [];
  for (const { project: p, milestones } of items) {
    const bars: GanttRowDef['bars'] = [];
    if (p.plannedStartOn && p.plannedCompletionOn) bars.push({ from: p.plannedStartOn, to: p.plannedCompletionOn, tone: 'plan', lane: 'upper', title: `${p.name} · ${words.planned} ${p.plannedStartOn} – ${p.plannedCompletionOn}` });
    if (p.startedOn) {
      const end = p.completedOn ?? today;
      const late = !!p.plannedCompletionOn && end > p.plannedCompletionOn;
      bars.push({ from: p.startedOn, to: end, tone: late ? 'late' : 'phase', lane: 'lower', title: `${p.name} · ${words.actual} ${p.startedOn} – ${p.completedOn ?? '…'}` });
    }
    const lateMilestones = milestones.filter((m) => m.status === 'overdue' || m.status === 'done_late').length;
    rows.push({
      key: p.id,
      late: lateMilestones > 0,
      label: (
        <span title={p.name}>
          <Link to={`/projects/${p.id}`} style={{ fontWeight: 500 }}>
            {p.name}
          </Link>
          <div style={{ fontSize: 11, color: 'rgba(0,0,0,0.45)' }}>
            {p.code} · {phaseLabel(p.phase, lang)}
            {lateMilestones > 0 && <span style={{ color: '#cf1322' }}> · ⚠ {lateMilestones}</span>}
          </div>
        </span>
      ),
      bars,
      markers: milestones.map((m) => ({
        on: m.actualOn ?? m.plannedOn,
        tone: m.status === 'done' ? 'done' : m.status === 'pending' ? 'pending' : 'late',
        title: `${m.name} · ${words.planned} ${m.plannedOn}${m.actualOn ? ` · ${words.actual} ${m.actualOn}` : ''}`,
      })),
    });
    if (detail) for (const r of milestoneRows(p, milestones, words)) rows.push({ ...r, key: `${p.id}:${r.key}`, sub: true });
  }
  return rows;
}

/** 甘特图: the filtered projects over time (the same filters as the list; at most 300 projects). */
export default function GanttPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const words = useGanttWords();
  const [sp, setSp] = useSearchParams();
  const filters = useMemo(() => filtersFrom(sp), [sp]);
  const [detail, setDetail] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [qDraft, setQDraft] = useState<string | null>(null);
  const { data, isLoading, isFetching, error, refetch } = useGantt(filters);
  const setFilters = (patch: Partial<ProjectFilters>) => setSp(toSearchParams({ ...filters, ...patch }));
  const items = data ?? [];
  const rows = useMemo(() => projectRows(items, detail, words, lang), [items, detail, words, lang]);

  return (
    <>
      <LedgerNav current="gantt" canImport={canCreateProjects(me)} />
      <PageHeader title={t('projects.gantt.title')} subtitle={t('projects.gantt.subtitle')} />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Flex gap={8} align="center" wrap="wrap" style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('projects.searchPlaceholder')}
            value={qDraft ?? filters.q ?? ''}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={(q) => {
              setQDraft(null);
              setFilters({ q: q.trim() || undefined });
            }}
            style={{ maxWidth: mobile ? undefined : 420, flex: 1 }}
          />
          {mobile && (
            <Badge count={activeFilterCount(filters)} size="small">
              <Button icon={<FilterOutlined />} onClick={() => setDrawer(true)}>
                {t('projects.filters')}
              </Button>
            </Badge>
          )}
          <Flex align="center" gap={6} style={{ marginInlineStart: mobile ? 0 : 'auto' }}>
            <Switch size="small" checked={detail} onChange={setDetail} data-testid="gantt-detail" />
            <Typography.Text>{t('projects.gantt.showMilestones')}</Typography.Text>
          </Flex>
        </Flex>
        {!mobile && (
          <div style={{ marginBottom: 16 }}>
            <FilterFields value={filters} onChange={setFilters} />
          </div>
        )}
        {items.length >= LIMIT && <Alert type="info" showIcon title={t('projects.gantt.limited', { limit: LIMIT })} style={{ marginBottom: 12 }} />}
        <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
          <div style={{ opacity: isFetching ? 0.6 : 1, transition: 'opacity .2s' }}>
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 12 }}>
              {t('projects.gantt.count', { count: items.length })}
            </Typography.Text>
            <GanttChart rows={rows} testId="projects-gantt" />
          </div>
        </QueryState>
      </Card>
      {mobile && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="bottom" size="85%" title={t('projects.filterTitle')}>
          <FilterFields value={filters} onChange={setFilters} vertical />
        </Drawer>
      )}
    </>
  );
}
