import { useMemo, useState } from 'react';
import { Card, Col, Empty, Flex, Row, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Overview, OverviewItem } from '../../api/indicators.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { chartNumber, figure, growthColor, growthText, monthsText, periodText, rankText } from './format.ts';

const SELF_COLOR = '#c41d24';
const CITY_COLOR = '#8c8c8c';
const OTHER_COLOR = '#5b8ff9';

function nameOf(item: OverviewItem, lang: 'zh-CN' | 'en'): string {
  return lang === 'en' && item.indicator.nameEn ? item.indicator.nameEn : item.indicator.name;
}

/** Monthly cumulative growth of the zone against the city's. */
function TrendChart({ item, year }: { item: OverviewItem; year: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : `${String(v)}%`) },
      legend: { bottom: 0, itemWidth: 14, textStyle: { fontSize: 11 } },
      grid: { left: 40, right: 12, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: item.series.map((p) => monthsText(lang, p.month)), axisLabel: { fontSize: 10, interval: 0, rotate: item.series.length > 6 ? 45 : 0 } },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%', fontSize: 10 } },
      series: [
        { name: t('indicators.self'), type: 'line', data: item.series.map((p) => chartNumber(p.growth)), connectNulls: true, itemStyle: { color: SELF_COLOR }, symbolSize: 6 },
        { name: t('indicators.cityLine'), type: 'line', data: item.series.map((p) => chartNumber(p.cityGrowth)), connectNulls: true, itemStyle: { color: CITY_COLOR }, lineStyle: { type: 'dashed' }, symbolSize: 5 },
      ],
    }),
    [item, lang, t],
  );
  return <EChart option={option} height={190} ariaLabel={t('indicators.chartAria', { name: `${nameOf(item, lang)} ${year}` })} testId={`indicator-trend-${item.indicator.code}`} />;
}

/** Every district's growth at the period shown, highest on top; the zone in red, the city in grey. */
function CompareChart({ item }: { item: OverviewItem }) {
  const { t } = useTranslation();
  const lang = useLang();
  const rows = item.districts.filter((d) => d.growth !== null).sort((a, b) => Number(a.growth) - Number(b.growth));
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${String(v)}%` },
      grid: { left: 70, right: 48, top: 8, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%', fontSize: 10 } },
      yAxis: { type: 'category', data: rows.map((d) => d.name), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 18,
          data: rows.map((d) => ({ value: chartNumber(d.growth), itemStyle: { color: d.kind === 'self' ? SELF_COLOR : d.kind === 'city' ? CITY_COLOR : OTHER_COLOR } })),
          label: { show: true, position: 'right', formatter: '{c}%', fontSize: 10 },
        },
      ],
    }),
    [rows],
  );
  if (rows.length === 0) return <Empty description={t('indicators.noData')} />;
  return <EChart option={option} height={Math.max(200, rows.length * 24 + 40)} ariaLabel={t('indicators.compareAria', { name: nameOf(item, lang) })} testId="indicator-compare" />;
}

/** The table of a period, a growth chart per indicator and the district comparison of the indicator picked. */
export function OverviewTab({ data }: { data: Overview }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const [picked, setPicked] = useState<string | null>(null);
  const selected = data.items.find((i) => i.indicator.id === picked) ?? data.items.find((i) => i.growth !== null) ?? data.items[0];
  const hasAny = data.items.some((i) => i.month !== null);

  const columns: ColumnsType<OverviewItem> = [
    {
      title: t('indicators.col.indicator'),
      key: 'name',
      fixed: 'left',
      width: mobile ? 110 : 220,
      render: (_, i) => (
        <div>
          <Typography.Text strong={i.indicator.id === selected?.indicator.id}>{nameOf(i, lang)}</Typography.Text>
          {i.month !== null && i.month !== data.month && (
            <div>
              <Tag style={{ marginTop: 2, fontSize: 11 }}>{t('indicators.shownPeriod', { period: monthsText(lang, i.month) })}</Tag>
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('indicators.col.value'),
      key: 'value',
      align: 'right',
      width: mobile ? 100 : 120,
      render: (_, i) =>
        i.indicator.publishesValue ? (
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>
            {figure(i.value)}
            <Typography.Text type="secondary" style={{ fontSize: 11, marginLeft: 2 }}>
              {i.value !== null ? i.indicator.unit : ''}
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('indicators.growthOnly')}
          </Typography.Text>
        ),
    },
    {
      title: t('indicators.col.growth'),
      key: 'growth',
      align: 'right',
      width: mobile ? 84 : 100,
      render: (_, i) => (
        <Tooltip title={i.growthSource ? t(i.growthSource === 'computed' ? 'indicators.computed' : 'indicators.entered') : undefined}>
          <span style={{ color: growthColor(i.growth), fontWeight: 600, fontVariantNumeric: 'tabular-nums' }} data-testid={`indicator-growth-${i.indicator.code}`}>
            {growthText(i.growth)}
          </span>
          {mobile && i.growthRank.rank !== null && (
            <div style={{ fontSize: 11, color: i.growthRank.rank <= 3 ? SELF_COLOR : undefined }} data-testid={`indicator-rank-m-${i.indicator.code}`}>
              {rankText(i.growthRank, t)}
            </div>
          )}
        </Tooltip>
      ),
    },
    {
      title: t('indicators.col.growthRank'),
      key: 'growthRank',
      align: 'center',
      width: 100,
      responsive: ['md'],
      render: (_, i) => (
        <Tooltip title={i.growthRank.missing ? t('indicators.rankMissing', { missing: i.growthRank.missing }) : undefined}>
          <span data-testid={`indicator-rank-${i.indicator.code}`} style={{ fontWeight: i.growthRank.rank !== null && i.growthRank.rank <= 3 ? 600 : undefined, color: i.growthRank.rank !== null && i.growthRank.rank <= 3 ? SELF_COLOR : undefined }}>
            {rankText(i.growthRank, t)}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('indicators.col.city'),
      key: 'city',
      align: 'right',
      width: 100,
      responsive: ['md'],
      render: (_, i) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{growthText(i.city?.growth)}</span>,
    },
    {
      title: t('indicators.col.valueRank'),
      key: 'valueRank',
      align: 'center',
      width: 100,
      responsive: ['md'],
      render: (_, i) => rankText(i.valueRank, t),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Card size="small" title={periodText(lang, data.year, data.month)} styles={{ body: { padding: mobile ? 0 : undefined } }}>
        {hasAny ? (
          <Table<OverviewItem>
            rowKey={(i) => i.indicator.id}
            size="small"
            pagination={false}
            dataSource={data.items}
            columns={columns}
            scroll={mobile ? undefined : { x: 720 }}
            onRow={(i) => ({ onClick: () => setPicked(i.indicator.id), style: { cursor: 'pointer' } })}
            rowClassName={(i) => (i.indicator.id === selected?.indicator.id ? 'ant-table-row-selected' : '')}
            data-testid="indicator-table"
          />
        ) : (
          <Empty description={t('indicators.noData')} style={{ padding: 24 }}>
            {data.can.edit && <Typography.Text type="secondary">{t('indicators.noDataHint')}</Typography.Text>}
          </Empty>
        )}
      </Card>
      {hasAny && selected && (
        <Card
          size="small"
          title={t('indicators.compareTitle', { name: nameOf(selected, lang), period: selected.month ? monthsText(lang, selected.month) : '' })}
          extra={!mobile && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('indicators.compareHint')}</Typography.Text>}
        >
          <CompareChart item={selected} />
        </Card>
      )}
      {hasAny && (
        <Row gutter={[12, 12]}>
          {data.items.map((i) => (
            <Col key={i.indicator.id} xs={24} md={12} xl={8}>
              <Card size="small" title={t('indicators.trendTitle', { name: nameOf(i, lang) })} styles={{ header: { fontSize: 13 } }}>
                <TrendChart item={i} year={data.year} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Flex>
  );
}
