import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { App, Form, Input, Modal, Typography, type FormInstance } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { meetingKey, meetingsApi, useMeetingUpdated, type MeetingDetail, type MeetingPatch } from '../../api/meetings.ts';
import { applyServerErrors } from '../../components/forms.ts';

export interface MeetingCtx {
  m: MeetingDetail;
  /**
   * PATCH the meeting at its latest version; a change to issued minutes asks for the revision reason first.
   * Resolves true when saved; a conflict (409) shows the server's message and reloads.
   */
  save: (body: Omit<MeetingPatch, 'version' | 'revisionReason'>, opts?: { touchesMinutes?: boolean; form?: FormInstance | null; done?: string }) => Promise<boolean>;
  /** The reason for changing issued minutes: undefined when none is needed, null when the user cancelled. */
  revisionReason: () => Promise<string | undefined | null>;
  /** Shows an error the way every change does: 409 → the server's message and a reload; field errors on the form. */
  fail: (e: unknown, form?: FormInstance | null) => Promise<void>;
  reload: () => Promise<void>;
  /** The meeting now (the cache may be newer than the render's `m`). */
  latest: () => MeetingDetail;
}

const Ctx = createContext<MeetingCtx | null>(null);

export function useMeetingCtx(): MeetingCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useMeetingCtx outside MeetingProvider');
  return c;
}

/** The meeting page's shared change plumbing (versions, conflicts, the revision reason of issued minutes). */
export function MeetingProvider({ m, reload, children }: { m: MeetingDetail; reload: () => Promise<void>; children: ReactNode }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const updated = useMeetingUpdated();
  const reason = useRef<{ minutesVersion: number; text: string } | null>(null);
  const [asking, setAsking] = useState<((v: string | null) => void) | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const latest = useCallback(() => qc.getQueryData<MeetingDetail>(meetingKey(m.id)) ?? m, [qc, m]);

  const revisionReason = useCallback(async (): Promise<string | undefined | null> => {
    const now = latest();
    if (now.minutesVersion === 0) return undefined;
    if (reason.current && reason.current.minutesVersion === now.minutesVersion) return reason.current.text;
    const text = await new Promise<string | null>((resolve) => setAsking(() => resolve));
    setAsking(null);
    if (text) reason.current = { minutesVersion: now.minutesVersion, text };
    return text;
  }, [latest]);

  const fail = useCallback(
    async (e: unknown, f?: FormInstance | null) => {
      if (e instanceof ApiError && e.status === 409) {
        modal.warning({ title: t('meetings.conflictTitle'), content: e.message, okText: t('meetings.reloaded') });
        await reload();
        return;
      }
      if (e instanceof ApiError && e.fields.some((x) => x.path === 'revisionReason')) reason.current = null;
      applyServerErrors(f ?? null, e, (text) => message.error(text));
    },
    [message, modal, reload, t],
  );

  const save = useCallback<MeetingCtx['save']>(
    async (body, opts = {}) => {
      let why: string | undefined;
      if (opts.touchesMinutes) {
        const r = await revisionReason();
        if (r === null) return false;
        why = r;
      }
      try {
        const next = await meetingsApi.update(m.id, { ...body, version: latest().version, ...(why ? { revisionReason: why } : {}) });
        updated(next);
        message.success(opts.done ?? t('common.saved'));
        return true;
      } catch (e) {
        await fail(e, opts.form);
        return false;
      }
    },
    [m.id, latest, revisionReason, updated, message, fail, t],
  );

  const value = useMemo(() => ({ m, save, revisionReason, fail, reload, latest }), [m, save, revisionReason, fail, reload, latest]);

  return (
    <Ctx.Provider value={value}>
      {children}
      <Modal
        open={!!asking}
        title={t('meetings.revision.title')}
        okText={t('meetings.revision.ok')}
        onOk={() => form.submit()}
        onCancel={() => asking?.(null)}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'revision-ok' }}
        data-testid="revision-modal"
      >
        <Typography.Paragraph type="secondary">{t('meetings.revision.hint', { version: m.minutesVersion, next: m.minutesVersion + 1 })}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => asking?.(v.reason.trim())}>
          <Form.Item name="reason" label={t('meetings.revision.reason')} rules={[{ required: true, whitespace: true, message: t('meetings.revision.required') }, { max: 200 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="revision-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Ctx.Provider>
  );
}
