import { useState } from 'react';
import { Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, TimePicker } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { zoneDateTime, type MeetingPatch } from '../../api/meetings.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { UnitsSelect } from '../problems/pickers.tsx';
import { useBodies } from './bodies.ts';
import { useMeetingCtx } from './context.tsx';
import { minutesBetween, statusLabel, timeOf } from './meetings.tsx';

interface Values {
  subject?: string;
  day: Dayjs;
  time: Dayjs;
  durationMinutes: number;
  place?: string;
  chairUserId?: string | null;
  invitees: { unitIds: string[]; commandIds: string[] };
  status: 'planned' | 'held' | 'cancelled';
}

/** 编辑会议: time, place, chair, invitees, the subject of a special meeting, and its status (cancel). */
export function EditMeetingModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const { m, save } = useMeetingCtx();
  const bodies = useBodies(me);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const issued = m.status === 'minutes_issued';
  const initial: Values = {
    subject: m.subject ?? undefined,
    day: dayjs(m.heldOn),
    time: dayjs(`2000-01-01T${timeOf(m.startsAt)}:00`),
    durationMinutes: minutesBetween(m.startsAt, m.endsAt),
    place: m.place ?? undefined,
    chairUserId: m.chair?.id ?? null,
    invitees: { unitIds: m.invitees.units.map((u) => u.id), commandIds: m.invitees.commands.map((c) => c.id) },
    status: issued ? 'held' : (m.status as Values['status']),
  };

  const submit = async (v: Values) => {
    const patch: Omit<MeetingPatch, 'version'> = {};
    const startsAt = zoneDateTime(v.day.format('YYYY-MM-DD'), v.time.format('HH:mm'));
    if (Date.parse(startsAt) !== Date.parse(m.startsAt)) patch.startsAt = startsAt;
    if (v.durationMinutes !== initial.durationMinutes) patch.durationMinutes = v.durationMinutes;
    if ((v.place?.trim() || null) !== m.place) patch.place = v.place?.trim() || null;
    if (m.type === 'special' && (v.subject?.trim() || null) !== m.subject) patch.subject = v.subject?.trim() || null;
    if ((v.chairUserId ?? null) !== (m.chair?.id ?? null)) patch.chairUserId = v.chairUserId ?? null;
    if (JSON.stringify(v.invitees) !== JSON.stringify(initial.invitees)) patch.invitees = v.invitees;
    if (!issued && v.status !== m.status) patch.status = v.status;
    if (!Object.keys(patch).length) return onClose();
    setBusy(true);
    const ok = await save(patch, { form });
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <Modal
      open
      title={t('meetings.edit.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      width={760}
      style={mobile ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
      okButtonProps={{ 'data-testid': 'meeting-edit-ok' }}
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initial} onFinish={(v) => void submit(v)}>
        <Row gutter={16}>
          {m.type === 'special' && (
            <Col xs={24}>
              <Form.Item name="subject" label={t('meetings.fields.subject')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
                <Input />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={8}>
            <Form.Item name="day" label={t('meetings.fields.date')} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} inputReadOnly={mobile} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="time" label={t('meetings.fields.time')} rules={[{ required: true }]}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} inputReadOnly={mobile} allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="durationMinutes" label={t('meetings.fields.duration')} rules={[{ required: true }]}>
              <InputNumber min={10} max={600} step={15} precision={0} style={{ width: '100%' }} suffix={t('meetings.minutesUnit')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="place" label={t('meetings.fields.place')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="chairUserId" label={t('meetings.fields.chair')}>
              <UserPicker allowClear known={m.chair ? [{ id: m.chair.id, label: m.chair.name }] : []} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['invitees', 'unitIds']} label={t('meetings.fields.inviteeUnits')}>
              <UnitsSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['invitees', 'commandIds']} label={t('meetings.fields.inviteeCommands')}>
              <Select
                mode="multiple"
                allowClear
                options={bodies.commands.filter((o) => o.id !== m.body.id).map((o) => ({ value: o.id, label: o.label }))}
                maxTagCount="responsive"
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
          {!issued && (
            <Col xs={24} md={12}>
              <Form.Item name="status" label={t('common.status')} extra={t('meetings.edit.statusHint')}>
                <Select options={(['planned', 'held', 'cancelled'] as const).map((s) => ({ value: s, label: statusLabel(s, lang) }))} data-testid="meeting-edit-status" />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Modal>
  );
}
