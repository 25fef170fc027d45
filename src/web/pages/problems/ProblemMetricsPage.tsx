import { useMemo, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Collapse, DatePicker, Empty, Flex, Row, Select, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { QuestionCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/commands.ts';
import {
  METRICS_FILTER_KEYS,
  problemsLink,
  useProblemMetrics,
  type Figure,
  type Figures,
  type GroupRow,
  type ListQuery,
  type MetricsFilters,
  type ProblemMetrics,
  type RankItem,
} from '../../api/problemMetrics.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { percent } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';

/**
 * 问题统计分析 (/problems/metrics): open and red/yellow/green now, on-time closure rate, median working days to close,
 * returns, the unit ranking (比业绩) with its formula, the weekly trend and breakdowns by lead unit, HQ and category.
 * Every number is a link to the problem list that holds exactly the problems it counts (the API's `query`).
 */

const COLORS = { red: '#f5222d', yellow: '#faad14', green: '#52c41a', none: '#d9d9d9', raised: '#1f4e9a', closed: '#2f9e44' };

/** A figure as a link to its list. */
function N({ f, testId, children }: { f: Figure | { n: number; query: ListQuery }; testId?: string; children?: ReactNode }) {
  return (
    <Link to={problemsLink(f.query)} data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {children ?? f.n}
    </Link>
  );
}

function StatCard({ title, hint, color, children, foot, testId }: { title: string; hint?: string; color?: string; children: ReactNode; foot?: ReactNode; testId?: string }) {
  return (
    <Card size="small" className="qibu-metric" data-testid={testId} style={{ height: '100%' }}>
      <Flex justify="space-between" align="center" gap={4}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {title}
        </Typography.Text>
        {hint && (
          <Tooltip title={hint}>
            <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} tabIndex={0} aria-label={hint} />
          </Tooltip>
        )}
      </Flex>
      <div className="qibu-metric-value" style={{ color, fontSize: 26, fontWeight: 600, lineHeight: 1.3 }}>
        {children}
      </div>
      {foot && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {foot}
        </Typography.Text>
      )}
    </Card>
  );
}

function Cards({ m }: { m: ProblemMetrics }) {
  const { t } = useTranslation();
  const x = m.totals;
  const cards: ReactNode[] = [
    <StatCard key="open" testId="card-open" title={t('problemMetrics.cards.open')} hint={t('problemMetrics.hints.open', { today: m.today })} foot={t('problemMetrics.noLight', { count: m.lights.none })}>
      <N f={x.open} testId="fig-open" />
    </StatCard>,
    <StatCard key="red" testId="card-red" title={t('problemMetrics.cards.red')} color={COLORS.red} hint={t('problemMetrics.hints.red')}>
      <N f={x.red} testId="fig-red" />
    </StatCard>,
    <StatCard key="raised" testId="card-raised" title={t('problemMetrics.cards.raised')} hint={t('problemMetrics.hints.period', { from: m.from, to: m.to })}>
      <N f={x.raised} testId="fig-raised" />
    </StatCard>,
    <StatCard key="closed" testId="card-closed" title={t('problemMetrics.cards.closed')} hint={t('problemMetrics.hints.period', { from: m.from, to: m.to })}>
      <N f={x.closed} testId="fig-closed" />
    </StatCard>,
    <StatCard
      key="onTime"
      testId="card-ontime"
      title={t('problemMetrics.cards.onTime')}
      color="#0e7490"
      hint={t('problemMetrics.hints.onTime')}
      foot={
        <>
          {t('problemMetrics.onTimeLabel')} <N f={x.onTime.closedOnTime} testId="fig-ontime-n" /> / {t('problemMetrics.withDeadlineLabel')}{' '}
          <N f={{ n: x.onTime.closedWithDeadline, query: x.onTime.query }} testId="fig-ontime-d" /> · {t('problemMetrics.lateLabel')} <N f={x.onTime.closedLate} testId="fig-late" />
        </>
      }
    >
      <N f={{ n: 0, query: x.onTime.query }} testId="fig-ontime-rate">
        {percent(x.onTime.rate)}
      </N>
    </StatCard>,
    <StatCard
      key="median"
      testId="card-median"
      title={t('problemMetrics.cards.median')}
      hint={t('problemMetrics.hints.median')}
      foot={t('problemMetrics.medianOf', { count: x.medianWorkdaysToClose.count })}
    >
      <N f={{ n: 0, query: x.medianWorkdaysToClose.query }} testId="fig-median">
        {x.medianWorkdaysToClose.value ?? '—'}
      </N>
      <span style={{ fontSize: 13, fontWeight: 400, marginInlineStart: 4 }}>{t('problemMetrics.workdaysUnit')}</span>
    </StatCard>,
    <StatCard key="returns" testId="card-returns" title={t('problemMetrics.cards.returns')} color="#b45309" hint={t('problemMetrics.hints.returns')}>
      <N f={x.returns} testId="fig-returns" />
    </StatCard>,
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
      {cards.map((c, i) => (
        <Col key={i} xs={12} sm={8} lg={6} xl={i < 3 ? 4 : 3}>
          {c}
        </Col>
      ))}
    </Row>
  );
}

function LightsCard({ m, mobile }: { m: ProblemMetrics; mobile: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lights = (['red', 'yellow', 'green'] as const).map((l) => ({ l, f: m.lights[l] }));
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      series: [
        {
          type: 'pie',
          radius: ['48%', '75%'],
          avoidLabelOverlap: true,
          // On a phone the legend below says it; outside labels would be cut off.
          label: mobile ? { show: false } : { formatter: '{b}\n{c}' },
          data: [
            ...lights.map(({ l, f }) => ({ name: t(`problemMetrics.light.${l}`), value: f.n, itemStyle: { color: COLORS[l] } })),
            { name: t('problemMetrics.light.none'), value: m.lights.none, itemStyle: { color: COLORS.none } },
          ].filter((d) => d.value > 0),
        },
      ],
    }),
    [m, t, mobile],
  );
  return (
    <Card size="small" title={t('problemMetrics.lights')} style={{ height: '100%' }} data-testid="lights-card">
      {m.totals.open.n === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problemMetrics.noneOpen')} />
      ) : (
        <EChart
          option={option}
          height={mobile ? 200 : 240}
          ariaLabel={lights.map(({ l, f }) => `${t(`problemMetrics.light.${l}`)} ${f.n}`).join('，')}
          onClick={(e) => {
            const hit = lights.find(({ l }) => t(`problemMetrics.light.${l}`) === e.name);
            if (hit) navigate(problemsLink(hit.f.query));
          }}
        />
      )}
      <Flex gap={16} justify="center" wrap="wrap">
        {lights.map(({ l, f }) => (
          <span key={l}>
            <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: '50%', background: COLORS[l], marginInlineEnd: 6 }} />
            {t(`problemMetrics.light.${l}`)} <N f={f} testId={`fig-light-${l}`} />
          </span>
        ))}
      </Flex>
    </Card>
  );
}

function TrendCard({ m, mobile }: { m: ProblemMetrics; mobile: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const series = ['raised', 'closed', 'overdueOpen'] as const;
  const names = { raised: t('problemMetrics.trendRaised'), closed: t('problemMetrics.trendClosed'), overdueOpen: t('problemMetrics.trendOverdue') };
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: m.weekly.map((w) => w.week.replace(/^\d{4}-/, '')), axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: names.raised, type: 'bar', data: m.weekly.map((w) => w.raised.n), itemStyle: { color: COLORS.raised } },
        { name: names.closed, type: 'bar', data: m.weekly.map((w) => w.closed.n), itemStyle: { color: COLORS.closed } },
        { name: names.overdueOpen, type: 'line', data: m.weekly.map((w) => w.overdueOpen.n), itemStyle: { color: COLORS.red }, symbolSize: 6 },
      ],
    }),
    [m, t],
  );
  const weekColumns: ColumnsType<ProblemMetrics['weekly'][number]> = [
    { title: t('problemMetrics.week'), key: 'week', render: (_, w) => <Tooltip title={`${w.from} ~ ${w.to}`}>{w.week}</Tooltip>, fixed: 'left' },
    ...series.map((k) => ({ title: names[k], key: k, align: 'right' as const, render: (_: unknown, w: ProblemMetrics['weekly'][number]) => <N f={w[k]} /> })),
  ];
  return (
    <Card size="small" title={t('problemMetrics.trend')} extra={!mobile && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('problemMetrics.chartHint')}</Typography.Text>} style={{ height: '100%' }} data-testid="trend-card">
      <EChart
        option={option}
        height={mobile ? 220 : 260}
        ariaLabel={t('problemMetrics.trend')}
        onClick={(e) => {
          const w = m.weekly[e.dataIndex];
          const k = series[e.seriesIndex ?? 0];
          if (w && k) navigate(problemsLink(w[k].query));
        }}
      />
      <Collapse
        size="small"
        ghost
        items={[
          {
            key: 'table',
            label: t('problemMetrics.trendTable'),
            children: <Table size="small" rowKey="week" columns={weekColumns} dataSource={[...m.weekly].reverse()} pagination={{ pageSize: 8, size: 'small' }} scroll={{ x: 'max-content' }} />,
          },
        ]}
      />
    </Card>
  );
}

function Ranking({ m }: { m: ProblemMetrics }) {
  const { t } = useTranslation();
  const lang = useLang();
  const columns: ColumnsType<RankItem> = [
    { title: t('problemMetrics.rank'), dataIndex: 'rank', width: 56, fixed: 'left', render: (r: number) => <Tag color={r === 1 ? 'gold' : r <= 3 ? 'blue' : undefined}>{r}</Tag> },
    { title: t('problemMetrics.unit'), key: 'unit', fixed: 'left', render: (_, r) => r.unit.name },
    { title: t('problemMetrics.score'), dataIndex: 'score', align: 'right', render: (s: string) => <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{s}</strong> },
    {
      title: t('problemMetrics.rate'),
      key: 'rate',
      align: 'right',
      render: (_, r) => (
        <Tooltip title={t('problemMetrics.rateOf', { onTime: r.onTime.closedOnTime.n, total: r.onTime.closedWithDeadline })}>
          <span>
            <N f={{ n: 0, query: r.onTime.query }}>{percent(r.onTime.rate)}</N>{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              (<N f={r.onTime.closedOnTime} />/{r.onTime.closedWithDeadline})
            </Typography.Text>
          </span>
        </Tooltip>
      ),
    },
    { title: t('problemMetrics.overdue'), key: 'overdue', align: 'right', render: (_, r) => <N f={r.overdueOpen} /> },
    { title: t('problemMetrics.returns'), key: 'returns', align: 'right', render: (_, r) => <N f={r.returns} /> },
  ];
  return (
    <Card size="small" title={t('problemMetrics.ranking')} style={{ marginBottom: 16 }} data-testid="ranking-card">
      <Alert type="info" showIcon={false} style={{ marginBottom: 12 }} title={<span data-testid="ranking-formula">{lang === 'en' ? m.ranking.formula.en : m.ranking.formula.zh}</span>} />
      {m.ranking.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problemMetrics.empty')} />
      ) : (
        <Table size="small" rowKey={(r) => r.unit.id} columns={columns} dataSource={m.ranking.items} pagination={false} scroll={{ x: 'max-content' }} />
      )}
    </Card>
  );
}

const byN = (k: 'open' | 'red' | 'yellow' | 'green' | 'raised' | 'closed' | 'returns') => (a: GroupRow, b: GroupRow) => a[k].n - b[k].n;
const rateNum = (r: GroupRow) => (r.onTime.rate === null ? -1 : Number(r.onTime.rate));

function GroupTable({ rows, testId }: { rows: GroupRow[]; testId: string }) {
  const { t } = useTranslation();
  const num = (k: 'open' | 'red' | 'yellow' | 'green' | 'raised' | 'closed' | 'returns', color?: string) => ({
    title: t(`problemMetrics.columns.${k}`),
    key: k,
    align: 'right' as const,
    sorter: byN(k),
    render: (_: unknown, r: Figures) => (r[k].n === 0 ? <Typography.Text type="secondary">0</Typography.Text> : <N f={r[k]}>{color ? <span style={{ color }}>{r[k].n}</span> : r[k].n}</N>),
  });
  const columns: ColumnsType<GroupRow> = [
    { title: t('problemMetrics.columns.name'), key: 'name', fixed: 'left', render: (_, r) => r.key.name, width: 140 },
    num('open'),
    num('red', COLORS.red),
    num('yellow', '#d48806'),
    num('green', '#389e0d'),
    num('raised'),
    num('closed'),
    {
      title: t('problemMetrics.columns.onTime'),
      key: 'onTime',
      align: 'right',
      sorter: (a, b) => rateNum(a) - rateNum(b),
      render: (_, r) => (
        <Tooltip title={t('problemMetrics.rateOf', { onTime: r.onTime.closedOnTime.n, total: r.onTime.closedWithDeadline })}>
          <span>
            <N f={{ n: 0, query: r.onTime.query }}>{percent(r.onTime.rate)}</N>
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('problemMetrics.columns.median'),
      key: 'median',
      align: 'right',
      render: (_, r) => (r.medianWorkdaysToClose.value === null ? '—' : <N f={{ n: 0, query: r.medianWorkdaysToClose.query }}>{r.medianWorkdaysToClose.value}</N>),
    },
    num('returns'),
  ];
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problemMetrics.empty')} />;
  return <Table size="small" data-testid={testId} rowKey={(r) => r.key.id} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} />;
}

/** The period (shown as the API answered it when not chosen), HQ and lead unit; kept in the page URL. */
function Filters({ value, shown, onChange, mobile }: { value: MetricsFilters; shown: { from?: string | undefined; to?: string | undefined }; onChange: (next: MetricsFilters) => void; mobile: boolean }) {
  const { t } = useTranslation();
  const { data: commands } = useCommands();
  const year = String(new Date().getFullYear());
  const today = dayjs().format('YYYY-MM-DD');
  const presets: { key: 'year' | 'quarter' | 'month'; from: string }[] = [
    { key: 'year', from: `${year}-01-01` },
    { key: 'quarter', from: dayjs().month(Math.floor(dayjs().month() / 3) * 3).date(1).format('YYYY-MM-DD') },
    { key: 'month', from: dayjs().date(1).format('YYYY-MM-DD') },
  ];
  const w = mobile ? '100%' : undefined;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Flex gap={8} wrap="wrap" align="center" vertical={mobile}>
        <Flex gap={8} align="center" style={{ width: w }}>
          <DatePicker
            value={(value.from ?? shown.from) ? dayjs(value.from ?? shown.from) : null}
            placeholder={t('problemMetrics.from')}
            onChange={(d) => onChange({ ...value, from: d ? d.format('YYYY-MM-DD') : undefined })}
            inputReadOnly
            style={{ flex: 1, minWidth: 0, width: mobile ? undefined : 140 }}
            data-testid="metrics-from"
          />
          <span>~</span>
          <DatePicker
            value={(value.to ?? shown.to) ? dayjs(value.to ?? shown.to) : null}
            placeholder={t('problemMetrics.to')}
            onChange={(d) => onChange({ ...value, to: d ? d.format('YYYY-MM-DD') : undefined })}
            inputReadOnly
            style={{ flex: 1, minWidth: 0, width: mobile ? undefined : 140 }}
            data-testid="metrics-to"
          />
        </Flex>
        <Flex gap={4} style={{ width: w }}>
          {presets.map((p) => (
            <Button key={p.key} size="small" type={(value.from ?? shown.from) === p.from && (value.to ?? shown.to ?? today) === today ? 'primary' : 'default'} onClick={() => onChange({ ...value, from: p.from, to: undefined })}>
              {t(`problemMetrics.presets.${p.key}`)}
            </Button>
          ))}
        </Flex>
        <Select
          allowClear
          placeholder={t('problemMetrics.allCommands')}
          value={value.commandId}
          onChange={(v?: string) => onChange({ ...value, commandId: v })}
          options={(commands ?? []).map((c) => ({ value: c.id, label: c.name }))}
          style={{ width: mobile ? '100%' : 220 }}
          data-testid="metrics-command"
        />
        <UnitTreeSelect
          value={value.leadUnitId ?? null}
          onChange={(v) => onChange({ ...value, leadUnitId: v ?? undefined })}
          placeholder={t('problemMetrics.allUnits')}
          style={{ width: mobile ? '100%' : 220 }}
          data-testid="metrics-unit"
        />
      </Flex>
    </Card>
  );
}

export default function ProblemMetricsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const filters: MetricsFilters = {};
  for (const k of METRICS_FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const { data: m, error, isLoading, refetch } = useProblemMetrics(filters);
  const setFilters = (next: MetricsFilters) => {
    const sp = new URLSearchParams();
    for (const k of METRICS_FILTER_KEYS) if (next[k]) sp.set(k, next[k]!);
    setParams(sp, { replace: true });
  };

  return (
    <div data-testid="problem-metrics">
      <PageHeader
        title={t('problemMetrics.title')}
        subtitle={t('problemMetrics.subtitle')}
        extra={
          <Link to="/problems" state={{ list: true }}>
            <Button>{t('problemMetrics.toList')}</Button>
          </Link>
        }
      />
      <Filters value={filters} shown={{ from: m?.from, to: m?.to }} onChange={setFilters} mobile={mobile} />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        {m && (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="metrics-asof">
              {t('problemMetrics.asOf', { today: m.today, from: m.from, to: m.to })}
            </Typography.Paragraph>
            <Cards m={m} />
            <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
              <Col xs={24} lg={8}>
                <LightsCard m={m} mobile={mobile} />
              </Col>
              <Col xs={24} lg={16}>
                <TrendCard m={m} mobile={mobile} />
              </Col>
            </Row>
            <Ranking m={m} />
            <Card size="small" style={{ marginBottom: 16 }}>
              <Tabs
                items={[
                  { key: 'unit', label: t('problemMetrics.tabs.unit'), children: <GroupTable rows={m.byUnit} testId="table-unit" /> },
                  { key: 'command', label: t('problemMetrics.tabs.command'), children: <GroupTable rows={m.byCommand} testId="table-command" /> },
                  { key: 'category', label: t('problemMetrics.tabs.category'), children: <GroupTable rows={m.byCategory} testId="table-category" /> },
                ]}
              />
            </Card>
            <Collapse
              size="small"
              items={[{ key: 'defs', label: t('problemMetrics.definitions'), children: <Typography.Paragraph style={{ margin: 0 }}>{lang === 'en' ? m.definitions.en : m.definitions.zh}</Typography.Paragraph> }]}
            />
          </>
        )}
      </QueryState>
    </div>
  );
}
