import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, Modal, Tag, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meetingsApi, meetingsKey, type Decision } from '../../api/meetings.ts';
import { formatDateTime } from '../../components/format.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { LightDot, StateTag } from '../problems/problems.tsx';
import { useMeetingCtx } from './context.tsx';
import { decisionNo } from './meetings.tsx';

/** 办结: a task decision done, with its result (the lead unit's staff or whoever runs the meeting). */
function TaskDoneModal({ d, onClose }: { d: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { fail } = useMeetingCtx();
  const [form] = Form.useForm<{ result: string }>();
  const [busy, setBusy] = useState(false);
  const mobile = useIsMobile();
  const submit = async (v: { result: string }) => {
    setBusy(true);
    try {
      await meetingsApi.taskDone(d.meetingId, d.id, d.version, v.result.trim());
      await qc.invalidateQueries({ queryKey: meetingsKey });
      message.success(t('meetings.decision.taskDone'));
      onClose();
    } catch (e) {
      onClose();
      await fail(e, null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('meetings.decision.doneTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('meetings.decision.done')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'task-done-ok' }}
      style={mobile ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
    >
      <Typography.Paragraph type="secondary">{d.text}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}>
        <Form.Item name="result" label={t('meetings.decision.result')} rules={[{ required: true, whitespace: true, message: t('meetings.decision.resultRequired') }, { max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="task-done-result" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One 议定事项: its text, lead and cooperating units, deadline, and the live state of its problem or task. */
export function DecisionCard({ d, from }: { d: Decision; from?: { id: string; title: string } }) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const { m } = useMeetingCtx();
  const mobile = useIsMobile();
  const [doing, setDoing] = useState(false);
  const canFinish = d.kind === 'task' && d.taskStatus === 'open' && (m.can.update || me.unit?.id === d.leadUnit.id);
  const overdue = d.open && d.deadline < new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  return (
    <Card
      size="small"
      style={{ marginBottom: 8, borderInlineStart: `3px solid ${d.open ? (overdue ? '#f5222d' : '#1f4e9a') : '#52c41a'}` }}
      styles={{ body: { padding: mobile ? 10 : 12 } }}
      data-testid="decision-card"
      data-kind={d.kind}
      data-open={d.open ? 'true' : 'false'}
    >
      {from && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginBottom: 4 }}>
          <Link to={`/meetings/${from.id}?tab=decisions`}>{from.title}</Link>
        </Typography.Text>
      )}
      <div style={{ lineHeight: 1.55 }}>
        <Typography.Text strong>{decisionNo(d.seq, lang)}</Typography.Text>
        <span style={{ whiteSpace: 'pre-wrap' }}>{d.text}</span>
      </div>
      <Flex gap={6} wrap="wrap" align="center" style={{ marginTop: 8 }}>
        <Tag color={d.kind === 'problem' ? 'volcano' : 'geekblue'} bordered={false} style={{ marginInlineEnd: 0 }}>
          {t(`meetings.decision.kinds.${d.kind}`)}
        </Tag>
        <Typography.Text style={{ fontSize: 13 }}>{t('meetings.decision.leadIs', { name: d.leadUnit.name })}</Typography.Text>
        {d.cooperatingUnits.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('meetings.decision.cooperatingIs', { names: d.cooperatingUnits.map((u) => u.name).join('、') })}
          </Typography.Text>
        )}
        <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 13 }} className="qibu-num" data-testid="decision-deadline">
          {t('meetings.decision.deadlineIs', { date: d.deadline })}
          {d.deadlineWorkdays ? t('meetings.decision.workdaysNote', { count: d.deadlineWorkdays }) : ''}
        </Typography.Text>
      </Flex>
      <Flex gap={8} wrap="wrap" align="center" justify="space-between" style={{ marginTop: 8 }}>
        {d.problem ? (
          <Link to={`/problems/${d.problem.id}`} data-testid="decision-problem" data-code={d.problem.code} style={{ display: 'inline-flex', alignItems: 'center', gap: 6, minHeight: 32 }}>
            <LightDot light={d.problem.light} size={10} />
            <span className="qibu-mono">{d.problem.code}</span>
            <StateTag state={d.problem.state} />
          </Link>
        ) : (
          <span data-testid="decision-task" data-status={d.taskStatus ?? ''}>
            <Tag color={d.taskStatus === 'done' ? 'success' : 'processing'} style={{ marginInlineEnd: 0 }}>
              {d.taskStatus === 'done' ? t('meetings.decision.taskStatus.done') : t('meetings.decision.taskStatus.open')}
            </Tag>
            {d.taskDoneAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                {formatDateTime(d.taskDoneAt)}
              </Typography.Text>
            )}
          </span>
        )}
        {canFinish && (
          <Button type="primary" ghost icon={<CheckCircleOutlined />} onClick={() => setDoing(true)} size={mobile ? 'large' : 'middle'} data-testid="task-done">
            {t('meetings.decision.done')}
          </Button>
        )}
      </Flex>
      {d.taskResult && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: 6, marginBottom: 0, whiteSpace: 'pre-wrap' }}>
          {t('meetings.decision.resultIs', { text: d.taskResult })}
        </Typography.Paragraph>
      )}
      {doing && <TaskDoneModal d={d} onClose={() => setDoing(false)} />}
    </Card>
  );
}
