import { Alert, Card, Col, Collapse, Empty, Flex, List, Progress, Row, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useProjectMetrics, type Metrics, type ProjectFilters, type Rate, type RateKey } from '../../api/projects.ts';
import { errorText } from '../../components/forms.ts';
import { looksLikeMoney, percent, percentNumber, yi } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { toSearchParams } from './ledger.tsx';

const RATE_KEYS: readonly RateKey[] = ['start', 'investment', 'funds', 'onTimeCompletion'];
const RATE_COLORS: Record<RateKey, string> = { start: '#1f4e9a', investment: '#2f9e44', funds: '#d97706', onTimeCompletion: '#0e7490' };

function Figure({ value }: { value: string }) {
  const { t } = useTranslation();
  return <>{looksLikeMoney(value) ? `${yi(value, 2)} ${t('projects.unit.yi')}` : t('projects.metrics.count', { count: Number(value) })}</>;
}

function RateCard({ k, rate, timeElapsed }: { k: RateKey; rate: Rate; timeElapsed: string }) {
  const { t } = useTranslation();
  const compareToTime = k === 'investment' || k === 'funds';
  const behind = compareToTime && rate.rate !== null && percentNumber(rate.rate) < percentNumber(timeElapsed);
  return (
    <Card size="small" className="qibu-metric" data-testid={`metric-${k}`}>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t(`projects.metrics.rates.${k}`)}</Typography.Text>
        <Tooltip
          title={
            <div style={{ lineHeight: 1.7 }}>
              <div>
                {t('projects.metrics.numerator')}{t('projects.colon')}<Figure value={rate.numerator} />
              </div>
              <div>
                {t('projects.metrics.denominator')}{t('projects.colon')}<Figure value={rate.denominator} />
              </div>
              <div style={{ marginTop: 4, opacity: 0.85 }}>
                {t('projects.metrics.formula')}{t('projects.colon')}{rate.formula}
              </div>
            </div>
          }
        >
          <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} aria-label={t('projects.metrics.formula')} tabIndex={0} />
        </Tooltip>
      </Flex>
      <div className="qibu-metric-value" style={{ color: RATE_COLORS[k] }}>
        {percent(rate.rate)}
      </div>
      <Progress percent={percentNumber(rate.rate)} showInfo={false} size="small" strokeColor={RATE_COLORS[k]} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Figure value={rate.numerator} /> / <Figure value={rate.denominator} />
        {behind && (
          <Tag color="error" bordered={false} style={{ marginInlineStart: 6 }}>
            {t('projects.metrics.behindTime')}
          </Tag>
        )}
      </Typography.Text>
    </Card>
  );
}

function LaggingItems({ m }: { m: Metrics }) {
  const { t } = useTranslation();
  if (m.lagging.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.metrics.laggingNone')} style={{ margin: '16px 0' }} />;
  return (
    <List
      size="small"
      dataSource={m.lagging}
      renderItem={(l) => (
        <List.Item style={{ paddingInline: 12 }}>
          <div style={{ minWidth: 0, flex: 1 }}>
            <Link to={`/projects/${l.project.id}`} style={{ fontWeight: 500 }}>
              {l.project.name}
            </Link>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>
              {t('projects.fields.leader')}{t('projects.colon')}{l.leader?.displayName ?? '—'} · {t('projects.fields.leadUnit')}{t('projects.colon')}{l.leadUnit?.name ?? '—'}
            </div>
          </div>
          <Tooltip title={`${t('projects.metrics.expected')} ${yi(l.expectedByNow, 2)} / ${t('projects.metrics.completed')} ${yi(l.yearCompletedInvestment, 2)} ${t('projects.unit.yi')}`}>
            <Typography.Text type="danger" style={{ whiteSpace: 'nowrap', fontSize: 12, marginInlineStart: 8 }}>
              {t('projects.metrics.gap')} {yi(l.gap, 2)} {t('projects.unit.yi')}
            </Typography.Text>
          </Tooltip>
        </List.Item>
      )}
    />
  );
}

function LaggingList({ m, filters }: { m: Metrics; filters: ProjectFilters }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={
        <Flex align="center" gap={6}>
          <WarningOutlined style={{ color: '#cf1322' }} />
          {t('projects.metrics.lagging')}
          <Tag color={m.lagging.length ? 'error' : 'default'} style={{ marginInlineStart: 4 }}>
            {m.laggingCount ?? m.lagging.length}
          </Tag>
        </Flex>
      }
      extra={
        m.lagging.length > 0 && (
          <Link to={`/projects?${toSearchParams({ ...filters, lagging: 'true' }).toString()}`} style={{ fontSize: 13 }}>
            {t('projects.metrics.laggingAll')}
          </Link>
        )
      }
      styles={{ body: { padding: 0, maxHeight: 232, overflow: 'auto' } }}
      style={{ height: '100%' }}
      data-testid="lagging-list"
    >
      <LaggingItems m={m} />
    </Card>
  );
}

function TimeCard({ m, behind }: { m: Metrics; behind: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="qibu-metric" data-testid="metric-time">
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t('projects.metrics.timeElapsed')}</Typography.Text>
        <Tooltip title={t('projects.metrics.timeElapsedHint', { year: m.year, asOf: m.asOf })}>
          <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} tabIndex={0} />
        </Tooltip>
      </Flex>
      <div className="qibu-metric-value" style={{ color: '#5b21b6' }}>
        {percent(m.timeElapsed)}
      </div>
      <Progress percent={percentNumber(m.timeElapsed)} showInfo={false} size="small" strokeColor="#7c3aed" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('projects.metrics.asOf', { date: m.asOf })}
        <Tag color={behind ? 'error' : 'success'} bordered={false} style={{ marginInlineStart: 6 }}>
          {behind ? t('projects.metrics.behindTime') : t('projects.metrics.aheadOfTime')}
        </Tag>
      </Typography.Text>
    </Card>
  );
}

function CountCard({ m }: { m: Metrics }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="qibu-metric" data-testid="metric-count">
      <Typography.Text type="secondary">{t('projects.metrics.projectCount')}</Typography.Text>
      <div className="qibu-metric-value">{m.projectCount}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('projects.metrics.totalInvestment')} {yi(m.totalInvestment, 2)} {t('projects.unit.yi')}
      </Typography.Text>
    </Card>
  );
}

function YearCard({ m }: { m: Metrics }) {
  const { t } = useTranslation();
  const figures = [
    ['yearPlanned', m.yearPlannedInvestment],
    ['yearCompleted', m.yearCompletedInvestment],
    ['yearFunds', m.yearFundsInPlace],
  ] as const;
  return (
    <Card size="small" className="qibu-metric">
      <Typography.Text type="secondary">{t('projects.metrics.yearFigures', { year: m.year })}</Typography.Text>
      <Row gutter={8} style={{ marginTop: 6 }}>
        {figures.map(([k, v]) => (
          <Col span={8} key={k}>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.5)' }}>{t(`projects.metrics.${k}`)}</div>
            <div style={{ fontSize: 18, fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{yi(v, 2)}</div>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** The ledger's figures for the current filters: four rates, 序时进度, totals and the lagging projects. */
export function MetricsStrip({ filters }: { filters: ProjectFilters }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  // the metrics take the same filters as the list (the search text too)
  const { data: m, error, isLoading } = useProjectMetrics(filters);
  if (error) return <Alert type="warning" showIcon title={t('projects.metrics.unavailable', { message: errorText(error) })} style={{ marginBottom: 16 }} />;
  if (isLoading || !m)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Skeleton active paragraph={{ rows: 3 }} />
      </Card>
    );
  const investBehind = percentNumber(m.rates.investment.rate) < percentNumber(m.timeElapsed);
  const tiles = [
    ...RATE_KEYS.map((k) => <RateCard key={k} k={k} rate={m.rates[k]} timeElapsed={m.timeElapsed} />),
    <TimeCard key="time" m={m} behind={investBehind} />,
    <CountCard key="count" m={m} />,
    <YearCard key="year" m={m} />,
  ];
  if (mobile)
    return (
      <div style={{ marginBottom: 12 }} data-testid="metrics-strip">
        <div className="qibu-hscroll qibu-metric-strip">
          <Flex gap={8} style={{ width: 'max-content', paddingBottom: 4 }}>
            {tiles.map((tile, i) => (
              <div key={i} style={{ width: i === tiles.length - 1 ? 280 : 156 }}>
                {tile}
              </div>
            ))}
          </Flex>
        </div>
        <Collapse
          size="small"
          style={{ marginTop: 8, background: '#fff' }}
          items={[
            {
              key: 'lagging',
              label: (
                <Flex align="center" gap={6}>
                  <WarningOutlined style={{ color: '#cf1322' }} />
                  {t('projects.metrics.lagging')}
                  <Tag color={m.lagging.length ? 'error' : 'default'}>{m.laggingCount ?? m.lagging.length}</Tag>
                </Flex>
              ),
              children: <LaggingItems m={m} />,
              styles: { body: { padding: 0 } },
            },
          ]}
        />
      </div>
    );
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="metrics-strip">
      <Col xs={24} xl={16} xxl={17}>
        <Row gutter={[12, 12]}>
          {tiles.map((tile, i) => (
            <Col key={i} xs={12} md={i === tiles.length - 1 ? 12 : 6}>
              {tile}
            </Col>
          ))}
        </Row>
      </Col>
      <Col xs={24} xl={8} xxl={7}>
        <LaggingList m={m} filters={filters} />
      </Col>
    </Row>
  );
}
