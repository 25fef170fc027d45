import { useMemo, useState } from 'react';
import { Badge, Button, Card, Drawer, Flex, Input, Popover, Select, Space, Tooltip } from 'antd';
import { FilterOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { problemsApi, useProblems, type ProblemFilters, type ProblemListQuery, type ProblemSort } from '../../api/problems.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useDrafts } from '../../offline/useDrafts.ts';
import { ColumnChooser, useColumnChoice } from '../../components/ColumnChooser.tsx';
import { FilterFields } from './ProblemFilters.tsx';
import { COLUMN_KEYS, DEFAULT_COLUMNS, ProblemTable, useColumnTitle, type ColumnKey } from './ProblemTable.tsx';
import { ProblemsNav, activeFilterCount, listQueryFrom, toSearchParams } from './problems.tsx';

const SORT_OPTIONS: ProblemSort[] = ['deadline', 'raisedAt', 'priority', 'code', 'closedAt'];

/** 问题清单: every filter in the URL (links from the metrics and the cockpit open a filtered list), search, sort, columns, export. */
export default function ProblemListPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const query = useMemo(() => listQueryFrom(sp), [sp]);
  const { page: _p, pageSize: _s, sort: _so, order: _o, ...filters } = query;
  const [qDraft, setQDraft] = useState<string | null>(null);
  const [drawer, setDrawer] = useState(false);
  const [columns, setColumns] = useColumnChoice<ColumnKey>('qibu.problems.columns', COLUMN_KEYS, DEFAULT_COLUMNS);
  const colTitle = useColumnTitle();
  const { drafts } = useDrafts(me.user.id);
  const { data, isLoading, isFetching, error, refetch } = useProblems(query);

  const update = (patch: Partial<ProblemListQuery>, resetPage = true) => {
    const next = { ...query, ...patch, ...(resetPage ? { page: 1 } : {}) };
    setSp(toSearchParams(next), { replace: false, state: { list: true } });
  };
  const setFilters = (patch: Partial<ProblemFilters>) => update(patch);
  const search = (v: string) => {
    setQDraft(null);
    update({ q: v.trim() || undefined });
  };
  const reset = () => {
    setQDraft(null);
    setSp(new URLSearchParams(), { state: { list: true } });
  };
  const nFilters = activeFilterCount(filters);

  const sortSelect = (
    <Select<string>
      size={mobile ? 'middle' : undefined}
      value={`${query.sort ?? 'deadline'}:${query.order ?? 'asc'}`}
      onChange={(v) => {
        const [sort, order] = v.split(':') as [ProblemSort, 'asc' | 'desc'];
        update({ sort, order });
      }}
      style={{ minWidth: 150 }}
      popupMatchSelectWidth={false}
      options={SORT_OPTIONS.flatMap((s) => [
        { value: `${s}:asc`, label: t(`problems.sort.${s}.asc`) },
        { value: `${s}:desc`, label: t(`problems.sort.${s}.desc`) },
      ])}
      data-testid="problem-sort"
    />
  );

  return (
    <>
      <ProblemsNav current="list" drafts={drafts.length} />
      <PageHeader
        title={t('problems.listTitle')}
        subtitle={!mobile && t('problems.listSubtitle')}
        extra={
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/problems/new')} data-testid="problem-raise">
              {t('problems.raise')}
            </Button>
            {!mobile && <ExportButton path={problemsApi.exportPath(query, columns)} />}
          </>
        }
      />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Flex gap={8} wrap={!mobile} style={{ marginBottom: mobile ? 12 : 16 }} align="center">
          <Input.Search
            allowClear
            placeholder={t('problems.searchPlaceholder')}
            value={qDraft ?? filters.q ?? ''}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={search}
            enterButton={!mobile}
            style={{ maxWidth: mobile ? undefined : 420, flex: 1 }}
            data-testid="problem-search"
          />
          {mobile ? (
            <Badge count={nFilters} size="small">
              <Button icon={<FilterOutlined />} onClick={() => setDrawer(true)} data-testid="filter-open">
                {t('projects.filters')}
              </Button>
            </Badge>
          ) : (
            <Space style={{ marginInlineStart: 'auto' }} wrap>
              {sortSelect}
              <Button onClick={reset}>{t('common.reset')}</Button>
              <Popover
                trigger="click"
                placement="bottomRight"
                title={t('projects.columnsTitle')}
                content={<ColumnChooser keys={COLUMN_KEYS} defaults={DEFAULT_COLUMNS} fixed="title" value={columns} onChange={setColumns} title={colTitle} />}
              >
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
          <ProblemTable
            items={data?.items ?? []}
            total={data?.total ?? 0}
            loading={isLoading || isFetching}
            query={query}
            columns={columns}
            cards={mobile}
            onChange={(patch) => update(patch, false)}
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
            <Popover
              trigger="click"
              placement="bottomRight"
              content={<ColumnChooser keys={COLUMN_KEYS} defaults={DEFAULT_COLUMNS} fixed="title" value={columns} onChange={setColumns} title={colTitle} />}
            >
              <Tooltip title={t('problems.exportColumns')}>
                <Button size="small" icon={<SettingOutlined />} aria-label={t('projects.columnsTitle')} />
              </Tooltip>
            </Popover>
          }
          footer={
            <Flex gap={8} justify="space-between" wrap="wrap">
              <ExportButton path={problemsApi.exportPath(query, columns)} />
              <Space>
                <Button onClick={reset}>{t('common.reset')}</Button>
                <Button type="primary" onClick={() => setDrawer(false)}>
                  {t('projects.showResults', { total: data?.total ?? 0 })}
                </Button>
              </Space>
            </Flex>
          }
          data-testid="filter-drawer"
        >
          <div style={{ marginBottom: 14 }}>{sortSelect}</div>
          <FilterFields value={filters} onChange={setFilters} vertical />
        </Drawer>
      )}
    </>
  );
}
