import { useMemo, type ReactNode } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Flex, Popover, Row, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DesktopOutlined, FileTextOutlined, QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCockpit, type Amount, type CockpitOverview, type Count, type LaggingItem, type RedItem } from '../../api/cockpit.ts';
import { EChart } from '../../components/EChart.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { percent, yi } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { daysBetween } from '../../../shared/days.ts';
import { todayInZone } from '../../components/format.ts';
import { LIGHT, LIGHT_COLORS, levelChart, lightsChart, meetingsChart, phaseChart, rankingChart, ratesChart, weeklyChart, type Built } from './charts.ts';
import { PERIODS, periodFromParams, type PeriodKey } from './period.ts';

/**
 * 领导驾驶舱 (/cockpit): the ledger, the closed loop and the meetings on one page for a period and an HQ, every number
 * and every chart element a link to the list behind it (the overview's `link`s). Nothing is typed here: it is all
 * what units already entered (最多报一次).
 */

/** A figure as a link to its list. */
function Fig({ to, children, testId, color }: { to: string; children: ReactNode; testId?: string; color?: string }) {
  return (
    <Link to={to} data-testid={testId} style={{ color, fontVariantNumeric: 'tabular-nums' }}>
      {children}
    </Link>
  );
}

function Stat({ title, children, foot, testId, hint }: { title: string; children: ReactNode; foot?: ReactNode; testId?: string; hint?: string }) {
  return (
    <Card size="small" data-testid={testId} style={{ height: '100%' }} styles={{ body: { padding: '12px 16px' } }}>
      <Flex justify="space-between" gap={4}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {title}
        </Typography.Text>
        {hint && (
          <Tooltip title={hint}>
            <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} tabIndex={0} aria-label={hint} />
          </Tooltip>
        )}
      </Flex>
      <div style={{ fontSize: 28, fontWeight: 600, lineHeight: 1.35 }}>{children}</div>
      {foot && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {foot}
        </Typography.Text>
      )}
    </Card>
  );
}

/** 同比 +11.57% · 全市第 2/10 */
export function Growth({ yoy, rank, of }: { yoy: string | null; rank: number | null; of: number }) {
  const { t } = useTranslation();
  if (yoy === null) return rank !== null ? <>{t('cockpit.rank', { rank, of })}</> : <>{t('cockpit.noGrowth')}</>;
  const up = !yoy.startsWith('-');
  return (
    <>
      {t('cockpit.yoy')} <span style={{ color: up ? '#cf1322' : '#389e0d', fontWeight: 600 }}>{`${up && yoy !== '0' && yoy !== '0.00' ? '+' : ''}${yoy}%`}</span>
      {rank !== null && ` · ${t('cockpit.rank', { rank, of })}`}
    </>
  );
}

function ChartCard({ title, built, height, testId, extra }: { title: string; built: Built; height: number; testId: string; extra?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Card size="small" title={title} extra={extra} style={{ height: '100%' }}>
      <EChart
        option={built.option}
        height={height}
        testId={testId}
        ariaLabel={built.label}
        onClick={(e) => {
          const to = built.linkOf(e);
          if (to) navigate(to);
        }}
      />
    </Card>
  );
}

function StatCards({ o }: { o: CockpitOverview }) {
  const { t } = useTranslation();
  const p = o.projects;
  const q = o.problems;
  const m = o.meetings;
  const money = (a: Amount, testId: string) => (
    <Fig to={a.link} testId={testId}>
      {yi(a.value, 2)}
    </Fig>
  );
  const count = (c: Count, testId: string, color?: string) => (
    <Fig to={c.link} testId={testId} color={color}>
      {c.n}
    </Fig>
  );
  const behind = p.rates.investment.rate !== null && Number(p.rates.investment.rate) < Number(p.timeElapsed);
  const cards: [string, ReactNode][] = [
    [
      'projects',
      <Stat key="projects" testId="card-projects" title={t('cockpit.cards.projects')} foot={`${t('cockpit.cards.totalInvestment')} ${yi(p.totalInvestment.value, 2)}`}>
        {count(p.count, 'fig-projects')}
      </Stat>,
    ],
    [
      'invest',
      <Stat key="invest" testId="card-investment" title={t('cockpit.cards.yearCompleted')} foot={`${t('cockpit.cards.yearPlanned')} ${yi(p.yearPlannedInvestment.value, 2)}`}>
        {money(p.yearCompletedInvestment, 'fig-year-completed')}
      </Stat>,
    ],
    [
      'rate',
      <Stat key="rate" testId="card-investment-rate" title={t('cockpit.cards.investmentRate')} hint={p.rates.investment.formula} foot={t('cockpit.cards.timeElapsed', { value: percent(p.timeElapsed) })}>
        <Fig to={p.rates.investment.link} testId="fig-investment-rate" color={behind ? '#fa8c16' : undefined}>
          {percent(p.rates.investment.rate)}
        </Fig>
      </Stat>,
    ],
    ['lagging', <Stat key="lagging" testId="card-lagging" title={t('cockpit.cards.lagging')}>{count(p.laggingCount, 'fig-lagging', p.laggingCount.n ? '#fa8c16' : undefined)}</Stat>],
    ['open', <Stat key="open" testId="card-open" title={t('cockpit.cards.open')} foot={t('cockpit.noLight', { count: q.lights.none })}>{count(q.open, 'fig-open')}</Stat>],
    ['raised', <Stat key="raised" testId="card-raised" title={t('cockpit.cards.raised')} foot={t('cockpit.periodRange', { from: o.from, to: o.to })}>{count(q.raised, 'fig-raised')}</Stat>],
    ['closed', <Stat key="closed" testId="card-closed" title={t('cockpit.cards.closed')} foot={t('cockpit.periodRange', { from: o.from, to: o.to })}>{count(q.closed, 'fig-closed', '#2f9e44')}</Stat>],
    ['overdue', <Stat key="overdue" testId="card-overdue" title={t('cockpit.cards.overdue')}>{count(q.overdue, 'fig-overdue', LIGHT_COLORS.red)}</Stat>],
    ['week', <Stat key="week" testId="card-closed-week" title={t('cockpit.cards.closedThisWeek')} foot={`${q.closedThisWeek.from} – ${q.closedThisWeek.to}`}>{count(q.closedThisWeek, 'fig-closed-week', '#2f9e44')}</Stat>],
    [
      'ontime',
      <Stat key="ontime" testId="card-on-time" title={t('cockpit.cards.onTimeRate')} hint={q.onTime.formula} foot={`${q.onTime.closedOnTime.n} / ${q.onTime.closedWithDeadline.n}`}>
        <Fig to={q.onTime.closedWithDeadline.link} testId="fig-on-time">
          {percent(q.onTime.rate)}
        </Fig>
      </Stat>,
    ],
    ['held', <Stat key="held" testId="card-held" title={t('cockpit.cards.held')} foot={`${t('cockpit.cards.decisionsMade')} ${m.decisionsMade.n}`}>{count(m.held, 'fig-held')}</Stat>],
    ['decisions', <Stat key="decisions" testId="card-decisions" title={t('cockpit.cards.decisionsOpen')} foot={`${t('cockpit.cards.planned')} ${m.planned.n}`}>{count(m.decisionsOpen, 'fig-decisions-open', m.decisionsOpen.n ? '#fa8c16' : undefined)}</Stat>],
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="cockpit-cards">
      {cards.map(([key, card]) => (
        <Col key={key} xs={12} sm={8} lg={6} xl={6} xxl={4}>
          {card}
        </Col>
      ))}
    </Row>
  );
}

function LaggingTable({ o }: { o: CockpitOverview }) {
  const { t } = useTranslation();
  const columns: ColumnsType<LaggingItem> = [
    { key: 'name', title: t('cockpit.lagging.project'), render: (_, r) => <Link to={r.link}>{r.project.name}</Link>, ellipsis: true },
    { key: 'leader', title: t('cockpit.lagging.leader'), render: (_, r) => r.leader?.displayName ?? '—', width: 120 },
    { key: 'unit', title: t('cockpit.lagging.unit'), render: (_, r) => r.leadUnit?.name ?? '—', width: 140, ellipsis: true },
    { key: 'expected', title: t('cockpit.lagging.expected'), align: 'right', render: (_, r) => yi(r.expectedByNow, 2), width: 110 },
    { key: 'done', title: t('cockpit.lagging.completed'), align: 'right', render: (_, r) => yi(r.yearCompletedInvestment, 2), width: 100 },
    { key: 'gap', title: t('cockpit.lagging.gap'), align: 'right', render: (_, r) => <Typography.Text type="danger">{yi(r.gap, 2)}</Typography.Text>, width: 100 },
  ];
  return (
    <Card
      size="small"
      title={t('cockpit.lagging.title')}
      extra={
        <Link to={o.projects.laggingCount.link} data-testid="lagging-all">
          {o.projects.laggingCount.n}
        </Link>
      }
      style={{ height: '100%' }}
    >
      <Table<LaggingItem> size="small" rowKey={(r) => r.project.id} columns={columns} dataSource={o.projects.lagging} pagination={false} scroll={{ x: 640 }} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cockpit.lagging.none')} /> }} />
    </Card>
  );
}

function RedTable({ o }: { o: CockpitOverview }) {
  const { t } = useTranslation();
  const columns: ColumnsType<RedItem> = [
    { key: 'code', title: t('cockpit.red.code'), dataIndex: 'code', width: 130 },
    {
      key: 'title',
      title: t('cockpit.red.problem'),
      render: (_, r) => (
        <Space size={4}>
          <Link to={r.link}>{r.title}</Link>
          {r.supervisionLevel > 0 && <Tag color="red">{t('cockpit.red.supervised')}</Tag>}
        </Space>
      ),
      ellipsis: true,
    },
    { key: 'unit', title: t('cockpit.red.unit'), render: (_, r) => r.leadUnit?.name ?? '—', width: 130, ellipsis: true },
    { key: 'deadline', title: t('cockpit.red.deadline'), dataIndex: 'deadline', width: 110 },
    {
      key: 'over',
      title: t('cockpit.red.overdue'),
      render: (_, r) => (r.deadline ? <Typography.Text type="danger">{t('cockpit.red.overdueDays', { count: daysBetween(r.deadline, o.today) })}</Typography.Text> : '—'),
      width: 110,
    },
  ];
  return (
    <Card
      size="small"
      title={t('cockpit.red.title')}
      extra={
        <Link to={o.problems.overdue.link} data-testid="red-all">
          {o.problems.overdue.n}
        </Link>
      }
      style={{ height: '100%' }}
    >
      <Table<RedItem> size="small" rowKey="id" columns={columns} dataSource={o.problems.redList} pagination={false} scroll={{ x: 620 }} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cockpit.red.none')} /> }} />
    </Card>
  );
}

function Charts({ o }: { o: CockpitOverview }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const h = mobile ? 240 : 280;
  const built = useMemo(
    () => ({
      phase: phaseChart(o, LIGHT, lang, t),
      level: levelChart(o, LIGHT, lang, t),
      rates: ratesChart(o, LIGHT, t),
      lights: lightsChart(o, LIGHT, t),
      ranking: rankingChart(o, LIGHT, t),
      weekly: weeklyChart(o, LIGHT, t),
      meetings: meetingsChart(o, LIGHT, t),
    }),
    [o, lang, t],
  );
  const formula = (
    <Popover content={<div style={{ maxWidth: 360 }}>{pick(o.problems.ranking.formula, lang)}</div>} title={t('cockpit.rankingFormula')} trigger="click">
      <Button size="small" type="link" icon={<QuestionCircleOutlined />} data-testid="ranking-formula">
        {t('cockpit.rankingFormula')}
      </Button>
    </Popover>
  );
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.phase')} built={built.phase} height={h} testId="chart-phase" />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.rates')} built={built.rates} height={h} testId="chart-rates" />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.lights')} built={built.lights} height={h} testId="chart-lights" />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.ranking')} built={built.ranking} height={h} testId="chart-ranking" extra={formula} />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.weekly')} built={built.weekly} height={h} testId="chart-weekly" />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.meetings')} built={built.meetings} height={h} testId="chart-meetings" />
      </Col>
      <Col xs={24} lg={12} xl={8}>
        <ChartCard title={t('cockpit.charts.level')} built={built.level} height={h} testId="chart-level" />
      </Col>
      <Col xs={24} lg={12} xl={16}>
        <Card
          size="small"
          title={t('cockpit.sections.indicators')}
          extra={o.indicators.available && <Link to={o.indicators.link}>{o.indicators.note}</Link>}
          style={{ height: '100%' }}
          data-testid="cockpit-indicators"
        >
          {o.indicators.available ? (
            <Row gutter={[12, 12]}>
              {o.indicators.items.map((i) => (
                <Col key={i.key} xs={12} md={8}>
                  {/* Some indicators are published as growth only (固定资产投资): then the growth is the figure. */}
                  <Stat title={i.name} foot={<Growth yoy={i.value === null ? null : i.yoy} rank={i.rank} of={i.of} />}>
                    <Fig to={i.link}>
                      {i.value ?? (i.yoy !== null ? `${i.yoy.startsWith('-') ? '' : '+'}${i.yoy}%` : '—')}
                      {i.value !== null && i.unit && <span style={{ fontSize: 13, fontWeight: 400, marginInlineStart: 4 }}>{i.unit}</span>}
                    </Fig>
                  </Stat>
                </Col>
              ))}
            </Row>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cockpit.indicatorsPending')} />
          )}
        </Card>
      </Col>
    </Row>
  );
}

export default function CockpitPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const today = todayInZone();
  const period = periodFromParams(sp, today);
  const commandId = sp.get('commandId') ?? undefined;
  const { data, isLoading, isFetching, error, refetch, dataUpdatedAt } = useCockpit({ from: period.from, to: period.to, commandId });
  const leader = me.roles.includes('zone_leader');

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next, { replace: true });
  };
  const screenLink = `/cockpit/screen${commandId ? `?commandId=${commandId}` : ''}`;
  // 工作简报 of what is on screen: the same period and HQ, generated on the briefings page.
  const briefingLink = `/briefings?${new URLSearchParams({ from: period.from, to: period.to, ...(data?.commandId ? { commandId: data.commandId } : {}) })}`;

  const commandOptions = [
    ...(leader ? [{ value: '', label: t('cockpit.allCommands') }] : []),
    ...(data?.commands ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];

  const toolbar = (
    <Flex gap={8} wrap="wrap" align="center" data-testid="cockpit-toolbar">
      <Segmented<PeriodKey>
        value={period.key}
        onChange={(v) => set({ period: v === 'year' ? undefined : v, from: v === 'custom' ? period.from : undefined, to: v === 'custom' ? period.to : undefined })}
        options={PERIODS.map((k) => ({ value: k, label: t(`cockpit.period.${k}`) }))}
        data-testid="cockpit-period"
      />
      {period.key === 'custom' && (
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(period.from), dayjs(period.to)]}
          onChange={(v) => {
            if (v?.[0] && v[1]) set({ period: 'custom', from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
          }}
          data-testid="cockpit-range"
        />
      )}
      <Select
        value={data ? (data.commandId ?? '') : (commandId ?? '')}
        onChange={(v: string) => set({ commandId: v || undefined })}
        options={commandOptions}
        style={{ minWidth: mobile ? 160 : 240 }}
        popupMatchSelectWidth={false}
        aria-label={t('cockpit.command')}
        data-testid="cockpit-command"
      />
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('cockpit.title')}
        subtitle={!mobile && t('cockpit.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} loading={isFetching && !isLoading} onClick={() => void refetch()}>
              {t('cockpit.refresh')}
            </Button>
            <Button icon={<FileTextOutlined />} onClick={() => navigate(briefingLink)} data-testid="cockpit-briefing">
              {t('briefings.fromCockpit')}
            </Button>
            <Button type="primary" icon={<DesktopOutlined />} onClick={() => navigate(screenLink)} data-testid="cockpit-screen">
              {t('cockpit.bigScreen')}
            </Button>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: mobile ? 10 : 12 } }}>
        {toolbar}
        {data && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }} data-testid="cockpit-asof">
            {t('cockpit.periodLabel')}：{t('cockpit.periodRange', { from: data.from, to: data.to })}。{t('cockpit.asOf', { today: data.today, year: data.projects.year, asOf: data.projects.asOf })}
            {dataUpdatedAt ? ` · ${dayjs(dataUpdatedAt).format('HH:mm:ss')}` : ''}
          </Typography.Text>
        )}
      </Card>
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        {data ? (
          <div data-testid="cockpit">
            <StatCards o={data} />
            <Charts o={data} />
            <Row gutter={[12, 12]}>
              <Col xs={24} xl={12}>
                <RedTable o={data} />
              </Col>
              <Col xs={24} xl={12}>
                <LaggingTable o={data} />
              </Col>
            </Row>
          </div>
        ) : (
          <Alert type="info" showIcon title={t('cockpit.noCommand')} />
        )}
      </QueryState>
    </>
  );
}
