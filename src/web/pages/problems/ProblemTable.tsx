import type { ReactNode } from 'react';
import { Card, Empty, Flex, Pagination, Spin, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ESCALATION_LABELS, type EscalationLevel } from '../../../shared/problem-flow.ts';
import type { ProblemListItem, ProblemListQuery, ProblemSort } from '../../api/problems.ts';
import { dash } from '../../components/format.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { pick, useLang } from '../../i18n/index.ts';
import { Deadline, LightCell, LightDot, PAGE_SIZES, PriorityTag, StateTag, actionLabel, nextActionFor, sourceLabel } from './problems.tsx';

/** Column keys are the list item's field names; the export takes the same keys (`columns=`). */
export const COLUMN_KEYS = [
  'code',
  'title',
  'light',
  'state',
  'priority',
  'category',
  'command',
  'leadUnit',
  'deadline',
  'workdaysLeft',
  'project',
  'source',
  'raisedOn',
  'raisedByName',
  'closedOn',
  'supervisionLevel',
  'pendingRequest',
  'returnCount',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

export const DEFAULT_COLUMNS: readonly ColumnKey[] = ['code', 'title', 'light', 'state', 'priority', 'category', 'command', 'leadUnit', 'deadline', 'raisedOn'];

interface ColDef {
  width: number;
  sort?: ProblemSort;
  render: (p: ProblemListItem) => ReactNode;
}

export function useColumnTitle() {
  const { t } = useTranslation();
  return (k: ColumnKey) => t(`problems.fields.${k}`);
}

/** A small tag for what else is going on: a pending request, supervision (督办), returns. */
export function FlagTags({ p }: { p: ProblemListItem }) {
  const { t } = useTranslation();
  return (
    <>
      {p.pendingRequest && (
        <Tag color="gold" bordered={false} style={{ marginInlineEnd: 0 }}>
          {t(`problems.pending.${p.pendingRequest}`)}
        </Tag>
      )}
      {p.supervisionLevel > 0 && (
        <Tag color="magenta" bordered={false} style={{ marginInlineEnd: 0 }}>
          {t('problems.supervised')}
        </Tag>
      )}
      {p.returnCount > 0 && (
        <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
          {t('problems.returnedTimes', { count: p.returnCount })}
        </Tag>
      )}
    </>
  );
}

function useColumnDefs(): Record<ColumnKey, ColDef> {
  const { t } = useTranslation();
  const lang = useLang();
  return {
    code: { width: 130, sort: 'code', render: (p) => <span className="qibu-mono">{p.code}</span> },
    title: {
      width: 280,
      render: (p) => (
        <Link to={`/problems/${p.id}`} style={{ fontWeight: 500 }} data-testid="problem-link">
          {p.title}
        </Link>
      ),
    },
    light: { width: 150, render: (p) => <LightCell p={p} /> },
    state: { width: 100, render: (p) => <StateTag state={p.state} /> },
    priority: { width: 72, sort: 'priority', render: (p) => <PriorityTag priority={p.priority} /> },
    category: { width: 110, render: (p) => dash(p.categoryLabel ?? p.category) },
    command: { width: 180, render: (p) => dash(p.command?.name) },
    leadUnit: { width: 130, render: (p) => dash(p.leadUnit?.name) },
    deadline: { width: 130, sort: 'deadline', render: (p) => <Deadline deadline={p.deadline} provisional={p.deadlineProvisional} /> },
    workdaysLeft: { width: 100, render: (p) => <span className="qibu-num">{dash(p.workdaysLeft)}</span> },
    project: { width: 200, render: (p) => (p.project ? <Link to={`/projects/${p.project.id}`}>{p.project.name}</Link> : '—') },
    source: { width: 100, render: (p) => sourceLabel(p.source, lang) },
    raisedOn: { width: 110, sort: 'raisedAt', render: (p) => <span className="qibu-num">{p.raisedOn}</span> },
    raisedByName: { width: 110, render: (p) => dash(p.raisedByName) },
    closedOn: { width: 110, sort: 'closedAt', render: (p) => <span className="qibu-num">{dash(p.closedOn)}</span> },
    supervisionLevel: { width: 100, render: (p) => (p.supervisionLevel > 0 ? t(p.supervisionLevel >= 2 ? 'problems.supervisionLevels.leader' : 'problems.supervisionLevels.commander') : '—') },
    pendingRequest: { width: 110, render: (p) => (p.pendingRequest ? t(`problems.pending.${p.pendingRequest}`) : '—') },
    returnCount: { width: 90, render: (p) => <span className="qibu-num">{p.returnCount}</span> },
  };
}

export function escalationLabel(e: string, lang: 'zh-CN' | 'en'): string {
  const l = ESCALATION_LABELS[e as EscalationLevel];
  return l ? pick(l, lang) : e;
}

/** One problem as a card (phones, the to-do list): light, title, state, who, deadline and the next step. */
export function ProblemCard({ p, showNext }: { p: ProblemListItem; showNext?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const next = showNext ? nextActionFor(p, me) : null;
  return (
    <Link to={`/problems/${p.id}`} style={{ display: 'block', color: 'inherit' }} data-testid="problem-card" data-code={p.code}>
      <Card size="small" hoverable styles={{ body: { padding: 12 } }} style={{ borderInlineStart: `3px solid ${p.light === 'red' ? '#f5222d' : p.light === 'yellow' ? '#faad14' : p.light === 'green' ? '#52c41a' : '#f0f0f0'}` }}>
        <Flex gap={8} align="flex-start">
          <div style={{ paddingTop: 6 }}>
            <LightDot light={p.light} size={12} />
          </div>
          <div style={{ minWidth: 0, flex: 1 }}>
            <Typography.Text strong style={{ display: 'block', lineHeight: 1.4 }}>
              {p.title}
            </Typography.Text>
            <Flex gap={4} wrap="wrap" style={{ marginTop: 6 }} align="center">
              <StateTag state={p.state} />
              <PriorityTag priority={p.priority} hideNormal />
              <FlagTags p={p} />
              <Typography.Text type="secondary" className="qibu-mono" style={{ fontSize: 12 }}>
                {p.code}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 6 }}>
              {[p.leadUnit?.name ?? t('problems.notAssigned'), p.categoryLabel ?? p.category, p.project?.name].filter(Boolean).join(' · ')}
            </Typography.Text>
            <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 6 }} wrap="wrap">
              <span style={{ fontSize: 12 }}>
                {p.deadline ? (
                  <>
                    {t('problems.fields.deadline')} <Deadline deadline={p.deadline} provisional={p.deadlineProvisional} /> · <LightCell p={p} dot={false} />
                  </>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('problems.light.noDeadline')}
                  </Typography.Text>
                )}
              </span>
              {next && (
                <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="next-action">
                  {t('problems.next', { action: actionLabel(next, lang, t) })}
                </Tag>
              )}
            </Flex>
          </div>
        </Flex>
      </Card>
    </Link>
  );
}

export interface ProblemTableProps {
  items: ProblemListItem[];
  total: number;
  loading: boolean;
  query: ProblemListQuery;
  columns: readonly ColumnKey[];
  /** Phones: cards instead of the table. */
  cards: boolean;
  onChange: (patch: Partial<ProblemListQuery>) => void;
  testId?: string;
}

/** The list as a sortable, paged table (desktop) or a list of cards (phones). */
export function ProblemTable({ items, total, loading, query, columns, cards, onChange, testId = 'problem-table' }: ProblemTableProps) {
  const { t } = useTranslation();
  const defs = useColumnDefs();
  const title = useColumnTitle();
  if (cards)
    return (
      <div data-testid={testId}>
        <Spin spinning={loading}>
          {items.length === 0 ? (
            <Empty description={t('problems.empty')} style={{ padding: '24px 0' }} />
          ) : (
            <Flex vertical gap={8}>
              {items.map((p) => (
                <ProblemCard key={p.id} p={p} showNext />
              ))}
            </Flex>
          )}
        </Spin>
        {total > (query.pageSize ?? 20) && (
          <Flex justify="center" style={{ marginTop: 8 }}>
            <Pagination
              size="small"
              simple
              current={query.page ?? 1}
              pageSize={query.pageSize ?? 20}
              total={total}
              onChange={(page) => onChange({ page })}
            />
          </Flex>
        )}
        <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', fontSize: 12, marginTop: 6 }}>
          {t('common.total', { total })}
        </Typography.Text>
      </div>
    );
  const tableColumns = columns.map((k) => {
    const def = defs[k];
    return {
      key: k,
      title: title(k),
      width: def.width,
      fixed: k === 'title' ? ('left' as const) : undefined,
      ellipsis: ['command', 'project'].includes(k) ? { showTitle: true } : undefined,
      sorter: def.sort ? true : undefined,
      sortOrder: def.sort && (query.sort ?? 'deadline') === def.sort ? (query.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null,
      render: (_: unknown, p: ProblemListItem) => def.render(p),
    };
  });
  const scrollX = tableColumns.reduce((s, c) => s + c.width, 0);
  return (
    <Table<ProblemListItem>
      rowKey="id"
      loading={loading}
      dataSource={items}
      columns={tableColumns}
      scroll={{ x: scrollX }}
      size="middle"
      data-testid={testId}
      locale={{ emptyText: <Empty description={t('problems.empty')} /> }}
      onChange={(pagination, _f, sorter) => {
        const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<ProblemListItem> | undefined;
        const key = s?.columnKey as ColumnKey | undefined;
        const sort = s?.order && key ? defs[key]?.sort : undefined;
        const order = sort ? (s?.order === 'descend' ? 'desc' : 'asc') : undefined;
        const sortChanged = sort !== query.sort || order !== query.order;
        onChange({ sort, order, page: sortChanged ? 1 : (pagination.current ?? 1), pageSize: pagination.pageSize ?? query.pageSize });
      }}
      pagination={{
        current: query.page ?? 1,
        pageSize: query.pageSize ?? 20,
        total,
        showSizeChanger: true,
        pageSizeOptions: [...PAGE_SIZES],
        showTotal: (n) => t('common.total', { total: n }),
      }}
    />
  );
}
