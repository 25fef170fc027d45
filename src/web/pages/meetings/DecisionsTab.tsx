import { useState } from 'react';
import { App, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, Radio, Row, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { PRIORITY_LABELS, PROBLEM_PRIORITIES, type ProblemPriority } from '../../../shared/problem-flow.ts';
import { meetingsApi, meetingsKey, type DecisionCreate } from '../../api/meetings.ts';
import { useAddWorkdays } from '../../api/problems.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { todayInZone } from '../../components/format.ts';
import { ProjectPicker, UnitsSelect, useCategoryOptions, useCommandOptions } from '../problems/pickers.tsx';
import { useMeetingCtx } from './context.tsx';
import { DecisionCard } from './DecisionCard.tsx';
import { weekdayOf } from './meetings.tsx';

interface Values {
  text: string;
  kind: 'problem' | 'task';
  title?: string;
  leadUnitId?: string;
  cooperatingUnitIds?: string[];
  deadlineMode: 'workdays' | 'date';
  deadlineWorkdays?: number | null;
  deadline?: Dayjs | null;
  category?: string;
  priority: ProblemPriority;
  projectId?: string | null;
  commandId?: string;
  agendaItemId?: string;
}

const INITIAL: Partial<Values> = { kind: 'problem', deadlineMode: 'workdays', deadlineWorkdays: 5, priority: 'normal', cooperatingUnitIds: [] };

/** "截止 2026-05-19（周二）": N working days from today on the zone's calendar (the server counts from the day it is recorded). */
function DeadlinePreview({ days }: { days: number | null | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { data, isFetching, error } = useAddWorkdays(todayInZone(), days);
  if (!days) return null;
  if (error) return <Typography.Text type="secondary">{t('meetings.decision.previewFailed')}</Typography.Text>;
  if (!data || isFetching) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  return (
    <span data-testid="decision-deadline-preview" data-date={data.date}>
      {t('meetings.decision.deadlinePreview', { date: data.date, weekday: weekdayOf(data.date, lang) })}
      {data.provisional && (
        <Tag color="warning" bordered={false} style={{ marginInlineStart: 6 }}>
          {t('meetings.decision.provisional')}
        </Tag>
      )}
    </span>
  );
}

/** The decision form: text, problem or task, lead and cooperating units, deadline; a problem's category and priority. */
function DecisionForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { m, revisionReason, fail } = useMeetingCtx();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const categories = useCategoryOptions();
  const commands = useCommandOptions();
  const kind = Form.useWatch('kind', form);
  const mode = Form.useWatch('deadlineMode', form);
  const days = Form.useWatch('deadlineWorkdays', form);
  const lead = Form.useWatch('leadUnitId', form);
  const today = todayInZone();
  const group = m.body.kind === 'group';

  const submit = async (v: Values) => {
    const reason = await revisionReason();
    if (reason === null) return;
    setBusy(true);
    const body: DecisionCreate = {
      text: v.text.trim(),
      kind: v.kind,
      leadUnitId: v.leadUnitId!,
      ...(v.cooperatingUnitIds?.length ? { cooperatingUnitIds: v.cooperatingUnitIds } : {}),
      ...(v.deadlineMode === 'date' && v.deadline ? { deadline: v.deadline.format('YYYY-MM-DD') } : { deadlineWorkdays: v.deadlineWorkdays ?? 5 }),
      ...(v.agendaItemId ? { agendaItemId: v.agendaItemId } : {}),
      ...(v.kind === 'problem'
        ? {
            priority: v.priority,
            ...(v.category ? { category: v.category } : {}),
            ...(v.title?.trim() ? { title: v.title.trim() } : {}),
            ...(v.projectId ? { projectId: v.projectId } : {}),
            ...(group && v.commandId ? { commandId: v.commandId } : {}),
          }
        : {}),
      ...(reason ? { revisionReason: reason } : {}),
    };
    try {
      const res = await meetingsApi.decide(m.id, body);
      await qc.invalidateQueries({ queryKey: meetingsKey });
      void qc.invalidateQueries({ queryKey: ['problems'] });
      message.success(res.problem ? t('meetings.decision.savedProblem', { code: res.problem.code }) : t('meetings.decision.savedTask'));
      form.resetFields();
      onDone();
    } catch (e) {
      await fail(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" requiredMark="optional" initialValues={INITIAL} onFinish={(v) => void submit(v)} data-testid="decision-form">
      <Form.Item name="text" label={t('meetings.decision.text')} rules={[{ required: true, whitespace: true, message: t('meetings.decision.textRequired') }, { max: 2000 }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} placeholder={t('meetings.decision.textPlaceholder')} data-testid="decision-text" />
      </Form.Item>
      <Form.Item name="kind" label={t('meetings.decision.kind')} required extra={kind === 'task' ? t('meetings.decision.taskHint') : t('meetings.decision.problemHint')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          size={mobile ? 'large' : 'middle'}
          options={[
            { value: 'problem', label: t('meetings.decision.kinds.problem') },
            { value: 'task', label: t('meetings.decision.kinds.task') },
          ]}
          data-testid="decision-kind"
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="leadUnitId" label={t('meetings.decision.leadUnit')} rules={[{ required: true, message: t('meetings.decision.leadRequired') }]}>
            <UnitTreeSelect placeholder={t('meetings.decision.leadPlaceholder')} data-testid="decision-lead-unit" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="cooperatingUnitIds" label={t('meetings.decision.cooperatingUnits')}>
            <UnitsSelect placeholder={t('meetings.decision.cooperatingPlaceholder')} exclude={lead} testId="decision-cooperating" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('meetings.decision.deadline')} required style={{ marginBottom: 8 }}>
            <Form.Item name="deadlineMode" noStyle>
              <Radio.Group
                optionType="button"
                size="small"
                options={[
                  { value: 'workdays', label: t('meetings.decision.byWorkdays') },
                  { value: 'date', label: t('meetings.decision.byDate') },
                ]}
                data-testid="decision-deadline-mode"
              />
            </Form.Item>
          </Form.Item>
          {mode === 'date' ? (
            <Form.Item name="deadline" rules={[{ required: true, message: t('meetings.decision.deadlineRequired') }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today} inputReadOnly={mobile} data-testid="decision-deadline" />
            </Form.Item>
          ) : (
            <Form.Item name="deadlineWorkdays" rules={[{ required: true, message: t('meetings.decision.workdaysRequired') }]} extra={<DeadlinePreview days={days} />}>
              <InputNumber min={1} max={250} precision={0} style={{ width: '100%' }} suffix={t('meetings.decision.workdaysUnit')} inputMode="numeric" size={mobile ? 'large' : 'middle'} data-testid="decision-workdays" />
            </Form.Item>
          )}
        </Col>
        {m.agenda.length > 0 && (
          <Col xs={24} md={12}>
            <Form.Item name="agendaItemId" label={t('meetings.decision.agendaItem')}>
              <Select allowClear placeholder={t('meetings.decision.agendaItemPlaceholder')} options={m.agenda.map((a, i) => ({ value: a.id, label: `${i + 1}. ${a.title}` }))} popupMatchSelectWidth={false} styles={{ popup: { root: { maxWidth: '92vw' } } }} />
            </Form.Item>
          </Col>
        )}
      </Row>
      {kind === 'problem' && (
        <Row gutter={16}>
          {group && (
            <Col xs={24} md={12}>
              <Form.Item name="commandId" label={t('meetings.decision.command')} rules={[{ required: true, message: t('meetings.decision.commandRequired') }]} extra={t('meetings.decision.commandHint')}>
                <Select options={commands.options} loading={commands.isLoading} placeholder={t('meetings.fields.command')} showSearch={{ optionFilterProp: 'label' }} data-testid="decision-command" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12}>
            <Form.Item name="title" label={t('meetings.decision.title')} extra={t('meetings.decision.titleHint')} rules={[{ max: 200 }]}>
              <Input data-testid="decision-title" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="category" label={t('meetings.decision.category')}>
              <Select allowClear options={categories.options} loading={categories.isLoading} placeholder={t('meetings.decision.categoryPlaceholder')} showSearch={{ optionFilterProp: 'label' }} data-testid="decision-category" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="priority" label={t('meetings.decision.priority')}>
              <Radio.Group optionType="button" options={PROBLEM_PRIORITIES.map((p) => ({ value: p, label: pick(PRIORITY_LABELS[p], lang) }))} data-testid="decision-priority" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="projectId" label={t('meetings.decision.project')}>
              <ProjectPicker />
            </Form.Item>
          </Col>
        </Row>
      )}
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={busy} block={mobile} size={mobile ? 'large' : 'middle'} data-testid="decision-submit">
          {kind === 'task' ? t('meetings.decision.submitTask') : t('meetings.decision.submitProblem')}
        </Button>
      </Form.Item>
    </Form>
  );
}

/** 议定事项: the form (each decision becomes an assigned problem or a task in one step) and the list with live states. */
export function DecisionsTab() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { m } = useMeetingCtx();
  const [open, setOpen] = useState(m.decisions.length === 0);
  const canDecide = m.can.decide;
  const stillOpen = m.decisions.filter((d) => d.open).length;
  return (
    <div data-testid="decisions-tab">
      {canDecide &&
        (open ? (
          <Card
            size="small"
            style={{ marginBottom: 16, borderColor: '#adc6ff' }}
            title={t('meetings.decision.new')}
            extra={
              m.decisions.length > 0 && (
                <Button type="text" size="small" onClick={() => setOpen(false)}>
                  {t('common.cancel')}
                </Button>
              )
            }
          >
            <DecisionForm onDone={() => setOpen(false)} />
          </Card>
        ) : (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} block={mobile} size={mobile ? 'large' : 'middle'} style={{ marginBottom: 16 }} data-testid="decision-new">
            {t('meetings.decision.new')}
          </Button>
        ))}
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" data-testid="decisions-count">
          {t('meetings.decision.count', { count: m.decisions.length, open: stillOpen })}
        </Typography.Text>
      </Flex>
      {m.decisions.length === 0 ? <Empty description={t('meetings.decision.empty')} /> : m.decisions.map((d) => <DecisionCard key={d.id} d={d} />)}
    </div>
  );
}
