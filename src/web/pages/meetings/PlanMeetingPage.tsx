import { useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch, TimePicker, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { isValidDay } from '../../../shared/days.ts';
import { meetingsApi, meetingsKey, zoneDateTime, type MeetingCreate } from '../../api/meetings.ts';
import { applyServerErrors } from '../../components/forms.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { todayInZone } from '../../components/format.ts';
import { UnitsSelect } from '../problems/pickers.tsx';
import { parseBody, useBodies, type BodyValue } from './bodies.ts';
import { typeLabel } from './meetings.tsx';

interface Values {
  body?: BodyValue;
  type: 'regular' | 'special';
  subject?: string;
  day?: Dayjs;
  time?: Dayjs;
  durationMinutes?: number;
  place?: string;
  chairUserId?: string;
  invitees: { unitIds?: string[]; commandIds?: string[] };
  weekly: boolean;
  repeat?: { untilOn?: Dayjs; intervalWeeks?: number };
}

/** 安排会议: HQ or leading group, type, date and time, place, chair, invitees, and a weekly series if wanted. */
export default function PlanMeetingPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [sp] = useSearchParams();
  const bodies = useBodies(me);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const today = todayInZone();
  const body = Form.useWatch('body', form);
  const type = Form.useWatch('type', form);
  const weekly = Form.useWatch('weekly', form);
  const isGroup = body?.startsWith('g:');

  const dateParam = sp.get('date');
  const bodyParam = sp.get('body') as BodyValue | null;
  const initialBody = bodyParam && bodies.runnable.some((o) => o.value === bodyParam) ? bodyParam : bodies.runnable.length === 1 ? bodies.runnable[0]!.value : undefined;

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const day = v.day!.format('YYYY-MM-DD');
      const input: MeetingCreate = {
        ...parseBody(v.body),
        type: isGroup ? 'leading_group' : v.type,
        startsAt: zoneDateTime(day, v.time!.format('HH:mm')),
        durationMinutes: v.durationMinutes ?? 90,
        ...(v.type === 'special' && !isGroup && v.subject?.trim() ? { subject: v.subject.trim() } : {}),
        ...(v.place?.trim() ? { place: v.place.trim() } : {}),
        ...(v.chairUserId ? { chairUserId: v.chairUserId } : {}),
        invitees: { unitIds: v.invitees.unitIds ?? [], commandIds: v.invitees.commandIds ?? [] },
        ...(v.weekly && v.repeat?.untilOn ? { repeat: { untilOn: v.repeat.untilOn.format('YYYY-MM-DD'), intervalWeeks: v.repeat.intervalWeeks ?? 1 } } : {}),
      };
      const created = await meetingsApi.create(input);
      void qc.invalidateQueries({ queryKey: meetingsKey });
      message.success(input.repeat ? t('meetings.plan.doneSeries', { title: created.title }) : t('meetings.plan.done', { title: created.title }));
      navigate(`/meetings/${created.id}`);
    } catch (e) {
      applyServerErrors(form, e, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  if (!bodies.loading && !bodies.runnable.length)
    return (
      <>
        <PageHeader title={t('meetings.plan.title')} />
        <Alert type="info" showIcon title={t('meetings.plan.notAllowed')} />
      </>
    );

  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/meetings">{t('meetings.calendar.title')}</Link> }, { title: t('meetings.plan.title') }]} />
      <PageHeader title={t('meetings.plan.title')} subtitle={t('meetings.plan.subtitle')} />
      <Card styles={{ body: { padding: mobile ? 14 : 24 } }} loading={bodies.loading}>
        <Form<Values>
          key={initialBody ?? 'none'}
          form={form}
          layout="vertical"
          requiredMark="optional"
          initialValues={{
            body: initialBody,
            type: 'regular',
            day: dayjs(dateParam && isValidDay(dateParam) && dateParam >= today ? dateParam : today),
            time: dayjs('2000-01-01T14:30:00'),
            durationMinutes: 90,
            chairUserId: me.user.id,
            invitees: { unitIds: [], commandIds: [] },
            weekly: false,
            repeat: { intervalWeeks: 1 },
          }}
          onFinish={(v) => void submit(v)}
          style={{ maxWidth: 960 }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="body" label={t('meetings.fields.body')} rules={[{ required: true, message: t('meetings.plan.bodyRequired') }]}>
                <Select
                  options={[
                    { label: t('meetings.fields.command'), options: bodies.runnable.filter((o) => o.kind === 'command').map((o) => ({ value: o.value, label: o.label })) },
                    { label: t('meetings.fields.group'), options: bodies.runnable.filter((o) => o.kind === 'group').map((o) => ({ value: o.value, label: o.label })) },
                  ].filter((g) => g.options.length)}
                  placeholder={t('meetings.plan.bodyPlaceholder')}
                  popupMatchSelectWidth={false}
                  data-testid="plan-body"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('meetings.fields.type')} required>
                {isGroup ? (
                  <Typography.Text>{typeLabel('leading_group', lang)}</Typography.Text>
                ) : (
                  <Form.Item name="type" noStyle>
                    <Radio.Group
                      optionType="button"
                      buttonStyle="solid"
                      options={[
                        { value: 'regular', label: typeLabel('regular', lang) },
                        { value: 'special', label: typeLabel('special', lang) },
                      ]}
                      data-testid="plan-type"
                    />
                  </Form.Item>
                )}
              </Form.Item>
            </Col>
            {type === 'special' && !isGroup && (
              <Col xs={24}>
                <Form.Item name="subject" label={t('meetings.fields.subject')} rules={[{ required: true, whitespace: true, message: t('meetings.plan.subjectRequired') }, { max: 100 }]}>
                  <Input placeholder={t('meetings.plan.subjectPlaceholder')} data-testid="plan-subject" />
                </Form.Item>
              </Col>
            )}
            <Col xs={24}>
              <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('meetings.plan.numberHint')} />
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="day" label={t('meetings.fields.date')} rules={[{ required: true, message: t('meetings.plan.dateRequired') }]}>
                <DatePicker style={{ width: '100%' }} inputReadOnly={mobile} allowClear={false} data-testid="plan-date" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="time" label={t('meetings.fields.time')} rules={[{ required: true, message: t('meetings.plan.timeRequired') }]}>
                <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} inputReadOnly={mobile} allowClear={false} style={{ width: '100%' }} data-testid="plan-time" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="durationMinutes" label={t('meetings.fields.duration')} rules={[{ required: true }]}>
                <InputNumber min={10} max={600} step={15} precision={0} style={{ width: '100%' }} suffix={t('meetings.minutesUnit')} data-testid="plan-duration" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="place" label={t('meetings.fields.place')} rules={[{ max: 100 }]}>
                <Input placeholder={t('meetings.plan.placePlaceholder')} data-testid="plan-place" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="chairUserId" label={t('meetings.fields.chair')}>
                <UserPicker allowClear known={[{ id: me.user.id, label: me.user.displayName }]} placeholder={t('meetings.plan.chairPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['invitees', 'unitIds']} label={t('meetings.fields.inviteeUnits')}>
                <UnitsSelect placeholder={t('meetings.plan.unitsPlaceholder')} testId="plan-units" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['invitees', 'commandIds']} label={t('meetings.fields.inviteeCommands')}>
                <Select
                  mode="multiple"
                  allowClear
                  options={bodies.commands.filter((o) => o.value !== body).map((o) => ({ value: o.id, label: o.label }))}
                  placeholder={t('meetings.plan.commandsPlaceholder')}
                  maxTagCount="responsive"
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid="plan-commands"
                />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="weekly" label={t('meetings.plan.weekly')} valuePropName="checked" extra={t('meetings.plan.weeklyHint')}>
                <Switch data-testid="plan-weekly" />
              </Form.Item>
            </Col>
            {weekly && (
              <>
                <Col xs={12} md={8}>
                  <Form.Item name={['repeat', 'intervalWeeks']} label={t('meetings.plan.interval')}>
                    <Select options={[1, 2, 3, 4].map((n) => ({ value: n, label: t('meetings.plan.everyWeeks', { count: n }) }))} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={8}>
                  <Form.Item name={['repeat', 'untilOn']} label={t('meetings.plan.until')} rules={[{ required: true, message: t('meetings.plan.untilRequired') }]}>
                    <DatePicker style={{ width: '100%' }} inputReadOnly={mobile} disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="plan-until" />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type="primary" htmlType="submit" loading={busy} block={mobile} size={mobile ? 'large' : 'middle'} data-testid="plan-submit">
              {t('meetings.plan.submit')}
            </Button>
            {!mobile && (
              <Button style={{ marginInlineStart: 8 }} onClick={() => navigate('/meetings')}>
                {t('common.cancel')}
              </Button>
            )}
          </Form.Item>
        </Form>
      </Card>
    </>
  );
}
