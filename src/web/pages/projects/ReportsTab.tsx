import { useState } from 'react';
import { Alert, App, Button, Col, DatePicker, Flex, Form, Input, Modal, Row, Table, Typography } from 'antd';
import { EditOutlined, FormOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { projectKey, projectsApi, projectsKey, useReports, type Project, type Report } from '../../api/projects.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { applyServerErrors, rules } from '../../components/forms.ts';
import { exactIn, formatIn, toYuan, wan } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { thisMonthInZone } from '../../components/format.ts';

interface Values {
  month: Dayjs;
  completedInvestment: string;
  fundsInPlace: string;
  progress: string;
}

/** "= 1,234,567.89 元" under a 万元 box: the exact amount that will be stored. */
function YuanEcho({ text }: { text: string | undefined }) {
  const { t } = useTranslation();
  const yuan = toYuan(text, 'wan');
  if (!yuan) return null;
  const cents = parseYuan(yuan)!;
  return (
    <span className="qibu-num" data-testid="yuan-echo">
      = {formatIn(cents, 'yuan', 2)} {t('projects.unit.yuan')}
    </span>
  );
}

function ReportModal({ project, editing, reported, onClose, onSaved }: { project: Project; editing: Report | 'new' | null; reported: Set<string>; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const completed = Form.useWatch('completedInvestment', form);
  const funds = Form.useWatch('fundsInPlace', form);
  if (!editing) return null;
  const r = editing === 'new' ? null : editing;
  const thisMonth = thisMonthInZone();
  const wanRule = {
    validator: (_: unknown, v: string | undefined) => {
      if (!v || !v.trim()) return Promise.reject(new Error(t('projects.form.amountRequired')));
      const y = toYuan(v, 'wan');
      if (y === null) return Promise.reject(new Error(t('projects.form.amountInvalidWan')));
      if (y.startsWith('-')) return Promise.reject(new Error(t('projects.form.amountNegative')));
      return Promise.resolve();
    },
  };
  return (
    <Modal
      open
      title={r ? t('projects.reports.editTitle', { month: r.month }) : t('projects.reports.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('projects.reports.submit')}
      confirmLoading={busy}
      destroyOnHidden
      width={620}
      okButtonProps={{ 'data-testid': 'report-submit' }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          month: dayjs(`${r?.month ?? thisMonth}-01`),
          completedInvestment: exactIn(r?.completedInvestment, 'wan'),
          fundsInPlace: exactIn(r?.fundsInPlace, 'wan'),
          progress: r?.progress ?? '',
        }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const completedInvestment = toYuan(v.completedInvestment, 'wan')!;
            const fundsInPlace = toYuan(v.fundsInPlace, 'wan')!;
            if (r) await projectsApi.updateReport(project.id, r.id, { version: r.version, completedInvestment, fundsInPlace, progress: v.progress.trim() });
            else await projectsApi.addReport(project.id, { month: v.month.format('YYYY-MM'), completedInvestment, fundsInPlace, progress: v.progress.trim() });
            message.success(t('projects.reports.saved'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
        data-testid="report-form"
      >
        <Form.Item name="month" label={t('projects.reports.month')} rules={[rules.requiredSelect()]}>
          <DatePicker
            picker="month"
            style={{ width: 200 }}
            inputReadOnly
            allowClear={false}
            disabled={!!r}
            disabledDate={(d) => {
              const m = d.format('YYYY-MM');
              return m > thisMonth || (!r && reported.has(m));
            }}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="completedInvestment" label={t('projects.reports.completedWan')} rules={[wanRule]} extra={<YuanEcho text={completed} />}>
              <Input inputMode="decimal" suffix={t('projects.unit.wan')} data-testid="report-completed" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="fundsInPlace" label={t('projects.reports.fundsWan')} rules={[wanRule]} extra={<YuanEcho text={funds} />}>
              <Input inputMode="decimal" suffix={t('projects.unit.wan')} data-testid="report-funds" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="progress" label={t('projects.reports.progress')} rules={[rules.required(), rules.max(4000)]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} placeholder={t('projects.reports.progressPlaceholder')} />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('projects.reports.cumulativeNote')}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

/** 月度填报: each month's figures (万元) with the computed cumulative columns, and 填报本月 for the lead unit. */
export function ReportsTab({ project }: { project: Project }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { data, isLoading, error, refetch } = useReports(project.id);
  const [editing, setEditing] = useState<Report | 'new' | null>(null);
  const list = data ?? [];
  const reported = new Set(list.map((r) => r.month));
  const thisMonth = thisMonthInZone();
  const money = (v: string) => <span className="qibu-num">{wan(v)}</span>;
  const yearTotal = list.filter((r) => r.month.startsWith(thisMonth.slice(0, 4))).reduce((s, r) => s + (parseYuan(r.completedInvestment) ?? 0n), 0n);

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          {t('projects.reports.summary', { count: list.length, last: project.lastReportMonth ?? '—', year: thisMonth.slice(0, 4), total: wan(formatYuan(yearTotal)) })}
        </Typography.Text>
        {project.can.report && (
          <Button type="primary" icon={<FormOutlined />} onClick={() => setEditing('new')} data-testid="report-add">
            {reported.has(thisMonth) ? t('projects.reports.add') : t('projects.reports.addThisMonth')}
          </Button>
        )}
      </Flex>
      {project.can.report && !reported.has(thisMonth) && ['signed', 'started', 'operating'].includes(project.phase) && (
        <Alert type="info" showIcon title={t('projects.reports.dueHint', { month: thisMonth })} style={{ marginBottom: 12 }} />
      )}
      <Table<Report>
        rowKey="id"
        size={mobile ? 'small' : 'middle'}
        dataSource={list}
        pagination={list.length > 24 ? { pageSize: 24, size: 'small' } : false}
        scroll={{ x: 1260 }}
        columns={[
          { title: t('projects.reports.month'), dataIndex: 'month', width: 90, fixed: mobile ? undefined : 'left' },
          {
            title: t('projects.reports.thisMonth'),
            children: [
              { title: t('projects.reports.completedWan'), key: 'c', width: 130, align: 'right', render: (_, r) => money(r.completedInvestment) },
              { title: t('projects.reports.fundsWan'), key: 'f', width: 130, align: 'right', render: (_, r) => money(r.fundsInPlace) },
            ],
          },
          {
            title: t('projects.reports.cumulative'),
            children: [
              { title: t('projects.reports.completedWan'), key: 'cc', width: 130, align: 'right', render: (_, r) => money(r.cumulativeInvestment) },
              { title: t('projects.reports.fundsWan'), key: 'cf', width: 130, align: 'right', render: (_, r) => money(r.cumulativeFundsInPlace) },
            ],
          },
          { title: t('projects.reports.progress'), dataIndex: 'progress', ellipsis: { showTitle: true } },
          { title: t('projects.reports.reportedBy'), key: 'by', width: 200, ellipsis: true, render: (_, r) => `${r.reportedBy?.displayName ?? '—'}${r.unit ? ` · ${r.unit.name}` : ''}` },
          { title: t('projects.reports.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
          {
            title: t('common.actions'),
            key: 'a',
            width: 80,
            render: (_, r) => r.can?.update && <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('common.edit')} />,
          },
        ]}
      />
      {editing && (
        <ReportModal
          key={editing === 'new' ? 'new' : editing.id}
          project={project}
          editing={editing}
          reported={reported}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void qc.invalidateQueries({ queryKey: projectKey(project.id) });
            void qc.invalidateQueries({ queryKey: [...projectsKey, 'metrics'] });
          }}
        />
      )}
    </QueryState>
  );
}
