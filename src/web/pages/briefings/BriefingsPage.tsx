import { useState } from 'react';
import { App, Button, Card, Checkbox, DatePicker, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FilePdfOutlined, FileWordOutlined, FileTextOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { addDays, isValidDay } from '../../../shared/days.ts';
import { briefingKeys, briefingsApi, useBriefings, useSubscriptions, type Briefing } from '../../api/briefings.ts';
import { download } from '../../api/client.ts';
import { errorText } from '../../components/forms.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { todayInZone } from '../../components/format.ts';
import { mondayOf } from '../cockpit/period.ts';

const PAGE_SIZE = 20;

/** Downloads an issue's PDF or Word file under the server's name (工作简报_2026年第3期_起步区.pdf). */
export function DownloadButtons({ b, size = 'small' }: { b: Briefing; size?: 'small' | 'middle' }) {
  const { message } = App.useApp();
  const get = async (path: string, fallback: string) => {
    try {
      await download(path, undefined, fallback);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space size={4} wrap>
      <Button size={size} icon={<FilePdfOutlined />} onClick={() => void get(b.pdf, 'briefing.pdf')} data-testid={`briefing-pdf-${b.issueNo}`}>
        PDF
      </Button>
      <Button size={size} icon={<FileWordOutlined />} onClick={() => void get(b.docx, 'briefing.docx')} data-testid={`briefing-docx-${b.issueNo}`}>
        Word
      </Button>
    </Space>
  );
}

/** The period and scope to generate: from the URL when the cockpit sent us (from, to, commandId), else this week. */
function GenerateCard({ series }: { series: { series: string; commandId: string | null; name: string }[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const [sp] = useSearchParams();
  const today = todayInZone();
  const initialFrom = sp.get('from');
  const initialTo = sp.get('to');
  const [range, setRange] = useState<[string, string]>([
    initialFrom && isValidDay(initialFrom) ? initialFrom : mondayOf(today),
    initialTo && isValidDay(initialTo) ? initialTo : today,
  ]);
  const [commandId, setCommandId] = useState<string>(sp.get('commandId') ?? '');
  const [busy, setBusy] = useState(false);
  const lastMonday = addDays(mondayOf(today), -7);
  const presets: { key: 'thisWeek' | 'lastWeek' | 'month' | 'year'; range: [string, string] }[] = [
    { key: 'thisWeek', range: [mondayOf(today), today] },
    { key: 'lastWeek', range: [lastMonday, addDays(lastMonday, 6)] },
    { key: 'month', range: [`${today.slice(0, 7)}-01`, today] },
    { key: 'year', range: [`${today.slice(0, 4)}-01-01`, today] },
  ];
  const options = series.map((x) => ({ value: x.commandId ?? '', label: x.name }));
  const chosen = options.some((o) => o.value === commandId) ? commandId : (options[0]?.value ?? '');

  const generate = async () => {
    setBusy(true);
    try {
      const b = await briefingsApi.generate({ from: range[0], to: range[1], ...(chosen ? { commandId: chosen } : {}) });
      message.success(t('briefings.generated', { year: b.year, no: b.issueNo }));
      await qc.invalidateQueries({ queryKey: briefingKeys.all });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('briefings.generateTitle')} style={{ marginBottom: 12 }}>
      <Flex gap={8} wrap="wrap" align="center">
        <Space.Compact>
          {presets.map((p) => (
            <Button key={p.key} type={range[0] === p.range[0] && range[1] === p.range[1] ? 'primary' : 'default'} ghost={range[0] === p.range[0] && range[1] === p.range[1]} onClick={() => setRange(p.range)} data-testid={`briefing-preset-${p.key}`}>
              {t(`briefings.presets.${p.key}`)}
            </Button>
          ))}
        </Space.Compact>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]);
          }}
          aria-label={t('briefings.period')}
          data-testid="briefing-range"
        />
        <Select value={chosen} onChange={setCommandId} options={options} style={{ minWidth: mobile ? 160 : 220 }} popupMatchSelectWidth={false} aria-label={t('briefings.scope')} data-testid="briefing-scope" />
        <Button type="primary" icon={<FileTextOutlined />} loading={busy} onClick={() => void generate()} disabled={!options.length} data-testid="briefing-generate">
          {t('briefings.generate')}
        </Button>
      </Flex>
    </Card>
  );
}

function SubscribeCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data } = useSubscriptions();
  if (!data?.items.length) return null;
  const value = data.items.filter((x) => x.subscribed).map((x) => x.series);
  return (
    <Card size="small" title={t('briefings.subscribe')} style={{ marginBottom: 12 }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('briefings.subscribeHint')}
      </Typography.Paragraph>
      <Checkbox.Group
        value={value}
        options={data.items.map((x) => ({ value: x.series, label: x.name }))}
        onChange={async (next) => {
          try {
            await briefingsApi.subscribe(next as string[]);
            message.success(t('briefings.subscribed'));
          } catch (e) {
            message.error(errorText(e));
          } finally {
            await qc.invalidateQueries({ queryKey: briefingKeys.subscriptions });
          }
        }}
        data-testid="briefing-subscriptions"
      />
    </Card>
  );
}

/** 工作简报: generate an issue for a period and scope, list the issues, download them, subscribe to the weekly one. */
export default function BriefingsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const { data, isLoading, error, refetch } = useBriefings({ page, pageSize: PAGE_SIZE });

  const columns: ColumnsType<Briefing> = [
    {
      key: 'issue',
      title: t('briefings.columns.issue'),
      width: 130,
      render: (_, b) => <Link to={`/briefings/${b.id}`}>{t('briefings.issue', { year: b.year, no: b.issueNo })}</Link>,
    },
    { key: 'title', title: t('briefings.columns.title'), render: (_, b) => <Link to={`/briefings/${b.id}`}>{b.title}</Link> },
    { key: 'period', title: t('briefings.columns.period'), dataIndex: 'period', width: 200 },
    ...(mobile
      ? []
      : ([
          {
            key: 'figures',
            title: t('briefings.columns.figures'),
            render: (_, b) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('briefings.figures', { open: b.figures.problemsOpen, overdue: b.figures.problemsOverdue, raised: b.figures.problemsRaised, closed: b.figures.problemsClosed, held: b.figures.meetingsHeld })}
              </Typography.Text>
            ),
          },
          { key: 'kind', title: t('briefings.columns.kind'), width: 96, render: (_, b) => <Tag color={b.kind === 'weekly' ? 'blue' : undefined}>{t(`briefings.kind.${b.kind}`)}</Tag> },
          { key: 'at', title: t('briefings.columns.at'), width: 170, render: (_, b) => `${formatDateTime(b.createdAt)} ${b.generatedByName}` },
        ] as ColumnsType<Briefing>)),
    { key: 'files', title: t('briefings.columns.files'), width: 170, render: (_, b) => <DownloadButtons b={b} /> },
  ];

  return (
    <>
      <PageHeader title={t('briefings.title')} subtitle={!mobile && t('briefings.subtitle')} />
      <GenerateCard series={data?.series ?? []} />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Card size="small" title={t('briefings.list')} style={{ marginBottom: 12 }}>
          <Table<Briefing>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: mobile ? 560 : undefined }}
            locale={{ emptyText: t('briefings.empty') }}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
            data-testid="briefing-list"
          />
        </Card>
      </QueryState>
      <SubscribeCard />
    </>
  );
}
