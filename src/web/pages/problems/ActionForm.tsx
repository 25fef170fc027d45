import { useMemo, useRef, useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Typography, type UploadFile } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { ACTIONS, type ActionDef, type ProblemAction } from '../../../shared/problem-flow.ts';
import { ApiError } from '../../api/client.ts';
import { newIdempotencyKey, problemKey, problemsApi, problemsKey, type ActionBody, type ProblemDetail } from '../../api/problems.ts';
import { applyServerErrors } from '../../components/forms.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { todayInZone } from '../../components/format.ts';
import { AssignmentFields, DEFAULT_ASSIGNMENT, PhotoPicker, toAssignment, type AssignmentValues } from './formParts.tsx';
import { ProblemPicker } from './pickers.tsx';
import { actionLabel } from './problems.tsx';

interface Values extends AssignmentValues {
  reason?: string;
  text?: string;
  newDeadline?: Dayjs | null;
  targetId?: string;
  photos?: UploadFile[];
  assignment?: AssignmentValues;
}

type LabelKey = keyof typeof zhCN.problems.actionForm.text;
const hasKey = (group: Record<string, string>, k: string): k is LabelKey => k in group;

/**
 * One action's form, built from `ACTIONS[action].needs` / `offers` (problem-flow.ts): reason, text, assignment,
 * a new lead unit (with deadline), a new deadline, the merge target, photos. Sends the problem's `version`; a 409
 * (someone acted first, or the step is no longer allowed) shows the server's message and reloads the problem.
 */
export function ActionForm({ problem, action, onClose }: { problem: ProblemDetail; action: ProblemAction; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const def: ActionDef = ACTIONS[action];
  const needs = new Set<string>(def.needs);
  const offers = new Set<string>(def.offers ?? []);
  const label = actionLabel(action, lang, t);
  // one key per opened form: a double tap or a retry after a lost answer does the step once
  const key = useMemo(() => newIdempotencyKey(), []);
  // photos already uploaded by an earlier try of this form (uid → file id)
  const uploaded = useRef(new Map<string, string>());
  const today = todayInZone();

  const textLabel = hasKey(zhCN.problems.actionForm.text, action) ? t(`problems.actionForm.text.${action}`) : t('problems.actionForm.textDefault');
  const reasonLabel = hasKey(zhCN.problems.actionForm.reason, action) ? t(`problems.actionForm.reason.${action as keyof typeof zhCN.problems.actionForm.reason}`) : t('problems.actionForm.reasonDefault');

  const reload = async () => {
    await qc.invalidateQueries({ queryKey: problemKey(problem.id) });
    void qc.invalidateQueries({ queryKey: problemsKey });
  };

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const fileIds: string[] = [];
      const photos = (v.photos ?? []).filter((f) => f.originFileObj);
      for (const [i, f] of photos.entries()) {
        const done = uploaded.current.get(f.uid);
        if (done) {
          fileIds.push(done);
          continue;
        }
        setProgress(t('problems.actionForm.uploading', { n: i + 1, total: photos.length }));
        const stored = await problemsApi.upload(problem.id, f.originFileObj!);
        uploaded.current.set(f.uid, stored.id);
        fileIds.push(stored.id);
      }
      setProgress(null);
      const body: ActionBody = { action, version: problem.version };
      if (v.reason?.trim()) body.reason = v.reason.trim();
      if (v.text?.trim()) body.text = v.text.trim();
      if (fileIds.length) body.fileIds = fileIds;
      if (needs.has('assignment') && v.assignment) body.assignment = toAssignment(v.assignment);
      if (needs.has('leadUnit')) {
        const a = toAssignment(v);
        body.leadUnitId = a.leadUnitId;
        body.cooperatingUnitIds = a.cooperatingUnitIds ?? [];
        if (a.deadlineWorkdays) body.deadlineWorkdays = a.deadlineWorkdays;
        if (a.deadline) body.deadline = a.deadline;
      }
      if (needs.has('newDeadline') && v.newDeadline) body.newDeadline = v.newDeadline.format('YYYY-MM-DD');
      if (needs.has('target') && v.targetId) body.targetId = v.targetId;
      const next = await problemsApi.act(problem.id, body, key);
      qc.setQueryData(problemKey(problem.id), next);
      void qc.invalidateQueries({ queryKey: problemsKey, predicate: (q) => q.queryKey[1] !== 'one' || q.queryKey[2] !== problem.id });
      message.success(t('problems.actionForm.done', { action: label }));
      onClose();
    } catch (e) {
      setProgress(null);
      if (e instanceof ApiError && e.status === 409) {
        onClose();
        modal.warning({ title: t('problems.actionForm.conflictTitle'), content: e.message, okText: t('problems.actionForm.reloaded') });
        await reload();
        return;
      }
      if (e instanceof ApiError && e.status === 404) {
        onClose();
        message.error(e.message);
        await reload();
        return;
      }
      applyServerErrors(form, e, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  const pending = problem.pendingRequestDetail;
  const simple = !needs.size && !offers.size;

  return (
    <Modal
      open
      title={`${label} · ${problem.code}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={label}
      okButtonProps={{ danger: ['hand_back', 'return', 'refuse_request', 'merge'].includes(action), 'data-testid': 'action-ok' }}
      confirmLoading={busy}
      destroyOnHidden
      width={needs.has('assignment') || needs.has('leadUnit') ? 760 : 560}
      style={mobile ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
      data-testid={`action-form-${action}`}
    >
      {action === 'approve_request' || action === 'refuse_request'
        ? pending && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t(`problems.pending.${pending.kind}`)}
              description={
                <>
                  <div>{pending.reason}</div>
                  {pending.newDeadline && <div>{t('problems.pendingBanner.newDeadline', { date: pending.newDeadline, from: problem.deadline ?? '—' })}</div>}
                </>
              }
            />
          )
        : null}
      {simple && <Typography.Paragraph>{t('problems.actionForm.confirm', { action: label, title: problem.title })}</Typography.Paragraph>}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        requiredMark="optional"
        initialValues={{
          assignment: DEFAULT_ASSIGNMENT,
          ...(needs.has('leadUnit')
            ? { leadUnitId: undefined, cooperatingUnitIds: problem.cooperatingUnits.map((u) => u.id), deadlineMode: offers.has('deadline') ? 'keep' : 'workdays', deadlineWorkdays: problem.deadlineWorkdays ?? 5 }
            : {}),
          photos: [],
        }}
        onFinish={(v) => void submit(v)}
      >
        {needs.has('assignment') && <AssignmentFields prefix={['assignment']} />}
        {needs.has('leadUnit') && <AssignmentFields prefix={[]} reassign />}
        {needs.has('target') && (
          <Form.Item name="targetId" label={t('problems.actionForm.target')} rules={[{ required: true, message: t('problems.actionForm.targetRequired') }]} extra={t('problems.actionForm.targetHint')}>
            <ProblemPicker excludeId={problem.id} testId="action-target" />
          </Form.Item>
        )}
        {needs.has('newDeadline') && (
          <Form.Item
            name="newDeadline"
            label={t('problems.actionForm.newDeadline')}
            rules={[{ required: true, message: t('problems.form.deadlineRequired') }]}
            extra={problem.deadline ? t('problems.actionForm.currentDeadline', { date: problem.deadline }) : undefined}
          >
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly={mobile}
              disabledDate={(d) => {
                const s = d.format('YYYY-MM-DD');
                return s < today || (!!problem.deadline && s <= problem.deadline);
              }}
              data-testid="action-new-deadline"
            />
          </Form.Item>
        )}
        {needs.has('reason') && (
          <Form.Item name="reason" label={reasonLabel} rules={[{ required: true, whitespace: true, message: t('problems.actionForm.reasonRequired') }, { max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="action-reason" />
          </Form.Item>
        )}
        {(needs.has('text') || offers.has('text')) && (
          <Form.Item
            name="text"
            label={textLabel}
            rules={[...(needs.has('text') ? [{ required: true, whitespace: true, message: t('problems.actionForm.textRequired') }] : []), { max: 5000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="action-text" />
          </Form.Item>
        )}
        {offers.has('photos') && (
          <Form.Item name="photos" label={t('problems.actionForm.photos')} valuePropName="value">
            <PhotoPicker testId="action-photos" />
          </Form.Item>
        )}
        {progress && <Typography.Text type="secondary">{progress}</Typography.Text>}
      </Form>
    </Modal>
  );
}
