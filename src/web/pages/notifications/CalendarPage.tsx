import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Space, Table, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, useCalendarYear, type CalendarYear } from '../../api/notifications.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { applyServerErrors, errorText, rules } from '../../components/forms.ts';

type Day = CalendarYear['days'][number];
const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface OverrideValues {
  day: Dayjs;
  kind: 'workday' | 'holiday';
  note?: string;
}

function OverrideModal({ open, year, onClose, onSaved }: { open: boolean; year: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OverrideValues>();
  const [busy, setBusy] = useState(false);
  if (!open) return null;
  return (
    <Modal open title={t('notify.addOverride')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={busy} destroyOnHidden>
      <Form<OverrideValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'holiday' }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            await notificationsApi.putOverride(v.day.format('YYYY-MM-DD'), { kind: v.kind, note: v.note?.trim() || null });
            message.success(t('common.saved'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="day" label={t('notify.day')} rules={[rules.requiredSelect()]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.year() !== year} />
        </Form.Item>
        <Form.Item name="kind" label={t('notify.overrideKind')} rules={[rules.requiredSelect()]}>
          <Segmented options={[{ value: 'holiday', label: t('notify.holiday') }, { value: 'workday', label: t('notify.workday') }]} />
        </Form.Item>
        <Form.Item name="note" label={t('notify.note')} rules={[rules.max(100)]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 工作日历 (system administrator): a year's holidays and make-up workdays, and the zone's own entries. */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [adding, setAdding] = useState(false);
  const { data, isLoading, error, refetch } = useCalendarYear(year);
  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.calendar(year) });
  const weekdays = i18n.language === 'en' ? WEEKDAYS_EN : WEEKDAYS_ZH;
  const notes = new Map((data?.overrides ?? []).map((o) => [o.day, o.note]));

  return (
    <>
      <PageHeader
        title={t('notify.calendar')}
        subtitle={t('notify.calendarHint')}
        extra={
          <Space>
            <InputNumber min={2004} max={2100} value={year} onChange={(v) => v && setYear(v)} addonBefore={t('notify.year')} style={{ width: 150 }} data-testid="calendar-year" />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('notify.addOverride')}
            </Button>
          </Space>
        }
      />
      {data && !data.known && <Alert type="warning" showIcon title={t('notify.yearUnknown', { year })} style={{ marginBottom: 16 }} />}
      <Card>
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<Day>
            rowKey="day"
            size="small"
            loading={isLoading}
            dataSource={data?.days ?? []}
            pagination={false}
            scroll={{ x: 640 }}
            columns={[
              { title: t('notify.day'), dataIndex: 'day', width: 150, render: (d: string) => `${d}（${weekdays[new Date(`${d}T00:00:00Z`).getUTCDay()]}）` },
              { title: t('notify.overrideKind'), dataIndex: 'workday', width: 110, render: (w: boolean) => <Tag color={w ? 'blue' : 'red'}>{w ? t('notify.workday') : t('notify.holiday')}</Tag> },
              { title: t('notify.dayName'), key: 'name', render: (_, d) => (d.source === 'zone' ? (notes.get(d.day) ?? '—') : (d.name ?? '—')) },
              { title: t('notify.source'), dataIndex: 'source', width: 130, render: (s: string) => (s === 'zone' ? <Tag color="purple">{t('notify.sourceZone')}</Tag> : t('notify.sourcePackage')) },
              {
                title: t('common.actions'),
                key: 'a',
                width: 90,
                render: (_, d) =>
                  d.source === 'zone' ? (
                    <Popconfirm
                      title={t('notify.removeOverride')}
                      okType="danger"
                      onConfirm={async () => {
                        try {
                          await notificationsApi.deleteOverride(d.day);
                          message.success(t('common.deleted'));
                        } catch (e) {
                          message.error(errorText(e));
                        } finally {
                          refresh();
                        }
                      }}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('notify.removeOverride')} />
                    </Popconfirm>
                  ) : null,
              },
            ]}
          />
        </QueryState>
      </Card>
      <OverrideModal
        open={adding}
        year={year}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          refresh();
        }}
      />
    </>
  );
}
