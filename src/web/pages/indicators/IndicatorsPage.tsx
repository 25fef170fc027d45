import { lazy, Suspense } from 'react';
import { Flex, Select, Spin, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { indicatorsApi, useIndicators } from '../../api/indicators.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { monthsText, periodText } from './format.ts';
import { OverviewTab } from './OverviewTab.tsx';

const EntryTab = lazy(() => import('./EntryTab.tsx'));
const ImportTab = lazy(() => import('./ImportTab.tsx'));
const SettingsTab = lazy(() => import('./SettingsTab.tsx'));

type TabKey = 'overview' | 'entry' | 'import' | 'settings';
const TABS: readonly TabKey[] = ['overview', 'entry', 'import', 'settings'];

/** The period picker: a year and the cumulative period 1—N月 of it. */
export function PeriodPicker({ year, month, onChange }: { year: number; month: number; onChange: (year: number, month: number) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: Math.max(6, thisYear - 2018) }, (_, i) => thisYear - i);
  return (
    <Flex gap={8} wrap="wrap" data-testid="indicator-period">
      <Select
        aria-label={t('indicators.year')}
        value={year}
        style={{ width: 110 }}
        options={years.map((y) => ({ value: y, label: t('indicators.yearValue', { year: y }) }))}
        onChange={(y: number) => onChange(y, month)}
      />
      <Select
        aria-label={t('indicators.month')}
        value={month}
        style={{ width: 120 }}
        options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: monthsText(lang, i + 1) }))}
        onChange={(m: number) => onChange(year, m)}
      />
    </Flex>
  );
}

/**
 * 经济指标 (/indicators): the table of a period (1—N月) with growth and the zone's rank in the city, a chart per
 * indicator and a district comparison; for leaders and unit staff also entry, import and the lists.
 * The period and tab live in the URL (?year=2023&month=5&tab=entry).
 */
export default function IndicatorsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const asked = { year: Number(sp.get('year')) || undefined, month: Number(sp.get('month')) || undefined };
  const q = useIndicators(asked);
  const data = q.data;
  const tabParam = sp.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'overview';
  const canEdit = data?.can.edit ?? false;
  const setParams = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) merged.delete(k);
      else merged.set(k, v);
    }
    setSp(merged, { replace: true });
  };
  const year = data?.year ?? asked.year ?? new Date().getFullYear();
  const month = data?.month ?? asked.month ?? 1;
  const setPeriod = (y: number, m: number) => setParams({ year: String(y), month: String(m) });

  const items = [
    { key: 'overview', label: t('indicators.tabs.overview') },
    ...(canEdit
      ? [
          { key: 'entry', label: t('indicators.tabs.entry') },
          { key: 'import', label: t('indicators.tabs.import') },
          { key: 'settings', label: t('indicators.tabs.settings') },
        ]
      : []),
  ];
  const body =
    tab === 'entry' && canEdit ? (
      <EntryTab year={year} month={month} />
    ) : tab === 'import' && canEdit ? (
      <ImportTab />
    ) : tab === 'settings' && canEdit ? (
      <SettingsTab />
    ) : data ? (
      <OverviewTab data={data} />
    ) : null;

  return (
    <>
      <PageHeader
        title={t('indicators.title')}
        subtitle={
          <>
            {t('indicators.subtitle')}
            {data?.latest && (
              <Typography.Text type="secondary" style={{ marginLeft: mobile ? 0 : 8, display: mobile ? 'block' : 'inline' }}>
                {t('indicators.latestHint', { period: periodText(lang, data.latest.year, data.latest.month) })}
              </Typography.Text>
            )}
          </>
        }
        extra={
          <>
            {tab !== 'import' && tab !== 'settings' && <PeriodPicker year={year} month={month} onChange={setPeriod} />}
            {tab === 'overview' && <ExportButton path={indicatorsApi.exportPath} query={{ year, month }} />}
          </>
        }
      />
      <QueryState loading={q.isLoading} error={q.error} retry={() => void q.refetch()}>
        {items.length > 1 && <Tabs activeKey={tab} items={items} onChange={(k) => setParams({ tab: k === 'overview' ? undefined : k })} style={{ marginBottom: 8 }} />}
        <Suspense fallback={<Spin />}>{body}</Suspense>
      </QueryState>
    </>
  );
}
