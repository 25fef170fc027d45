import { useMemo, useState, type ReactNode } from 'react';
import { Badge, Button, Card, Drawer, Flex, Input, Popover, Space, Table, Tooltip } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { FilterOutlined, PlusOutlined, SettingOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { projectsApi, projectsKey, useProjects, type Project, type ProjectFilters, type ProjectListQuery, type ProjectSort } from '../../api/projects.ts';
import { ColumnChooser, useColumnChoice } from '../../components/ColumnChooser.tsx';
import { ExportButton } from '../../components/ExportButton.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { dash, formatDateTime } from '../../components/format.ts';
import { yi } from '../../components/money.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { MetricsStrip } from './MetricsStrip.tsx';
import { FilterFields } from './ProjectFilters.tsx';
import { ProjectForm } from './ProjectForm.tsx';
import { LedgerNav, LevelTag, PhaseTag, ScheduleTag, activeFilterCount, canCreateProjects, filtersFrom, listQueryFrom, toSearchParams } from './ledger.tsx';

/** Column keys are the Project field names; the export takes the same keys (`columns=`). */
export const COLUMN_KEYS = [
  'code',
  'name',
  'enterprise',
  'industry',
  'kind',
  'level',
  'phase',
  'command',
  'leadUnit',
  'leader',
  'clusterUnit',
  'areaUnit',
  'taskForce',
  'totalInvestment',
  'yearPlannedInvestment',
  'yearCompletedInvestment',
  'yearFundsInPlace',
  'cumulativeInvestment',
  'cumulativeFundsInPlace',
  'schedule',
  'plannedStartOn',
  'signedOn',
  'startedOn',
  'operatingOn',
  'completedOn',
  'plannedCompletionOn',
  'lastReportMonth',
  'batches',
  'address',
  'notes',
  'updatedAt',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

export const DEFAULT_COLUMNS: readonly ColumnKey[] = [
  'code',
  'name',
  'enterprise',
  'industry',
  'level',
  'phase',
  'command',
  'leadUnit',
  'leader',
  'totalInvestment',
  'yearPlannedInvestment',
  'yearCompletedInvestment',
  'schedule',
];

const STORAGE_KEY = 'qibu.projects.columns';


interface ColDef {
  width: number;
  sort?: ProjectSort;
  align?: 'right';
  render: (p: Project) => ReactNode;
}

const money = (v: string | null) => <span className="qibu-num">{yi(v, 2)}</span>;

const COLUMN_DEFS: Record<ColumnKey, ColDef> = {
  code: { width: 118, sort: 'code', render: (p) => <span className="qibu-mono">{p.code}</span> },
  name: {
    width: 240,
    sort: 'name',
    render: (p) => (
      <Link to={`/projects/${p.id}`} style={{ fontWeight: 500 }}>
        {p.name}
      </Link>
    ),
  },
  enterprise: { width: 200, render: (p) => dash(p.enterprise?.name) },
  industry: { width: 96, render: (p) => dash(p.industry?.label) },
  kind: { width: 110, render: (p) => dash(p.kind?.label) },
  level: { width: 84, render: (p) => <LevelTag level={p.level} /> },
  phase: { width: 78, sort: 'phase', render: (p) => <PhaseTag phase={p.phase} /> },
  command: { width: 170, render: (p) => dash(p.command?.name) },
  leadUnit: { width: 112, render: (p) => dash(p.leadUnit?.name) },
  leader: { width: 110, render: (p) => dash(p.leader?.displayName) },
  clusterUnit: { width: 120, render: (p) => dash(p.clusterUnit?.name) },
  areaUnit: { width: 120, render: (p) => dash(p.areaUnit?.name) },
  taskForce: { width: 160, render: (p) => dash(p.taskForce?.name) },
  totalInvestment: { width: 100, sort: 'totalInvestment', align: 'right', render: (p) => money(p.totalInvestment) },
  yearPlannedInvestment: { width: 100, align: 'right', render: (p) => money(p.yearPlannedInvestment) },
  yearCompletedInvestment: { width: 100, align: 'right', render: (p) => money(p.yearCompletedInvestment) },
  yearFundsInPlace: { width: 120, align: 'right', render: (p) => money(p.yearFundsInPlace) },
  cumulativeInvestment: { width: 120, align: 'right', render: (p) => money(p.cumulativeInvestment) },
  cumulativeFundsInPlace: { width: 120, align: 'right', render: (p) => money(p.cumulativeFundsInPlace) },
  schedule: { width: 90, render: (p) => <ScheduleTag schedule={p.schedule} /> },
  signedOn: { width: 110, render: (p) => dash(p.signedOn) },
  operatingOn: { width: 110, render: (p) => dash(p.operatingOn) },
  completedOn: { width: 110, render: (p) => dash(p.completedOn) },
  batches: { width: 200, render: (p) => dash(p.batches.map((b) => b.name).join('；')) },
  notes: { width: 240, render: (p) => dash(p.notes) },
  plannedStartOn: { width: 110, render: (p) => dash(p.plannedStartOn) },
  startedOn: { width: 110, sort: 'startedOn', render: (p) => dash(p.startedOn) },
  plannedCompletionOn: { width: 110, render: (p) => dash(p.plannedCompletionOn) },
  lastReportMonth: { width: 110, render: (p) => dash(p.lastReportMonth) },
  address: { width: 240, render: (p) => dash(p.address) },
  updatedAt: { width: 170, sort: 'updatedAt', render: (p) => formatDateTime(p.updatedAt) },
};

/** 项目台账: metrics, filters in the URL, a sortable paged table with a column chooser, export, import, create. */
export default function ProjectListPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const query = useMemo(() => listQueryFrom(sp), [sp]);
  const filters = useMemo(() => filtersFrom(sp), [sp]);
  const [qDraft, setQDraft] = useState<string | null>(null);
  const [drawer, setDrawer] = useState(false);
  const [creating, setCreating] = useState(false);
  const [columns, setColumns] = useColumnChoice(STORAGE_KEY, COLUMN_KEYS, DEFAULT_COLUMNS);
  const { data, isLoading, isFetching, error, refetch } = useProjects(query);
  const canCreate = canCreateProjects(me);

  const update = (patch: Partial<ProjectListQuery>, resetPage = true) => {
    const next: Partial<ProjectListQuery> = { ...query, ...patch };
    if (resetPage && !('page' in patch)) next.page = 1;
    setSp(toSearchParams(next), { replace: false });
  };
  const setFilters = (patch: Partial<ProjectFilters>) => update(patch);
  const search = (q: string) => {
    setQDraft(null);
    update({ q: q.trim() || undefined });
  };
  const reset = () => {
    setQDraft(null);
    setSp(toSearchParams({ pageSize: query.pageSize }));
  };
  const colTitle = (k: ColumnKey): string => t(`projects.columns.${k}`);
  const exportQuery = { ...filters, sort: query.sort, order: query.order, columns: columns.join(',') };
  const nFilters = activeFilterCount(filters);

  const tableColumns = columns.map((k, i) => {
    const def = COLUMN_DEFS[k];
    return {
      key: k,
      title: colTitle(k),
      width: def.width,
      align: def.align,
      fixed: !mobile && k === 'name' && i < 3 ? ('left' as const) : undefined,
      ellipsis: ['enterprise', 'address', 'command', 'notes', 'batches'].includes(k) ? { showTitle: true } : undefined,
      sorter: def.sort ? true : undefined,
      sortOrder: def.sort && query.sort === def.sort ? (query.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null,
      render: (_: unknown, p: Project) => def.render(p),
    };
  });
  const scrollX = tableColumns.reduce((s, c) => s + c.width, 0);

  return (
    <>
      <LedgerNav current="list" canImport={canCreate} />
      <PageHeader
        title={t('projects.title')}
        subtitle={!mobile && t('projects.subtitle')}
        extra={
          <>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="project-create">
                {t('projects.create')}
              </Button>
            )}
            {canCreate && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/projects/import')} data-testid="project-import">
                {t('projects.import.title')}
              </Button>
            )}
            <ExportButton path={projectsApi.exportPath} query={exportQuery} />
          </>
        }
      />
      <MetricsStrip filters={filters} />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Flex gap={8} wrap={!mobile} style={{ marginBottom: mobile ? 12 : 16 }} align="center">
          <Input.Search
            allowClear
            placeholder={t('projects.searchPlaceholder')}
            value={qDraft ?? filters.q ?? ''}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={search}
            enterButton={!mobile}
            style={{ maxWidth: mobile ? undefined : 460, flex: 1 }}
            data-testid="project-search"
          />
          {mobile ? (
            <Badge count={nFilters} size="small">
              <Button icon={<FilterOutlined />} onClick={() => setDrawer(true)} data-testid="filter-open">
                {t('projects.filters')}
              </Button>
            </Badge>
          ) : (
            <Space style={{ marginInlineStart: 'auto' }}>
              <Button onClick={reset}>{t('common.reset')}</Button>
              <Popover trigger="click" placement="bottomRight" title={t('projects.columnsTitle')} content={<ColumnChooser keys={COLUMN_KEYS} defaults={DEFAULT_COLUMNS} fixed="name" value={columns} onChange={setColumns} title={colTitle} />}>
                <Button icon={<SettingOutlined />} data-testid="columns-button">
                  {t('projects.columnsTitle')}
                </Button>
              </Popover>
            </Space>
          )}
        </Flex>
        {!mobile && (
          <div style={{ marginBottom: 16 }} data-testid="filter-bar">
            <FilterFields value={filters} onChange={setFilters} />
          </div>
        )}
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<Project>
            rowKey="id"
            loading={isLoading || isFetching}
            dataSource={data?.items ?? []}
            columns={tableColumns}
            scroll={{ x: scrollX }}
            size={mobile ? 'small' : 'middle'}
            data-testid="project-table"
            onChange={(pagination, _f, sorter) => {
              const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Project> | undefined;
              const key = s?.columnKey as ColumnKey | undefined;
              const sort = s?.order && key ? COLUMN_DEFS[key]?.sort : undefined;
              const order = sort ? (s?.order === 'descend' ? 'desc' : 'asc') : undefined;
              const sortChanged = sort !== query.sort || order !== query.order;
              update({ sort, order, page: sortChanged ? 1 : (pagination.current ?? 1), pageSize: pagination.pageSize ?? query.pageSize }, false);
            }}
            pagination={{
              current: query.page,
              pageSize: query.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: !mobile,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (total) => t('common.total', { total }),
              size: mobile ? 'small' : undefined,
            }}
          />
        </QueryState>
      </Card>
      {mobile && (
        <Drawer
          open={drawer}
          onClose={() => setDrawer(false)}
          placement="bottom"
          size="85%"
          title={t('projects.filterTitle')}
          extra={
            <Popover trigger="click" placement="bottomRight" content={<ColumnChooser keys={COLUMN_KEYS} defaults={DEFAULT_COLUMNS} fixed="name" value={columns} onChange={setColumns} title={colTitle} />}>
              <Tooltip title={t('projects.columnsTitle')}>
                <Button size="small" icon={<SettingOutlined />} aria-label={t('projects.columnsTitle')} />
              </Tooltip>
            </Popover>
          }
          footer={
            <Flex gap={8} justify="flex-end">
              <Button onClick={reset}>{t('common.reset')}</Button>
              <Button type="primary" onClick={() => setDrawer(false)}>
                {t('projects.showResults', { total: data?.total ?? 0 })}
              </Button>
            </Flex>
          }
          data-testid="filter-drawer"
        >
          <FilterFields value={filters} onChange={setFilters} vertical />
        </Drawer>
      )}
      {creating && (
        <ProjectForm
          open={creating}
          project={null}
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            void qc.invalidateQueries({ queryKey: projectsKey });
            navigate(`/projects/${p.id}`);
          }}
        />
      )}
    </>
  );
}
