import { useState } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CheckOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AgendaKind } from '../../../shared/meetings.ts';
import { agendaInput, type AgendaItem, type AgendaItemInput, type Suggestion } from '../../api/meetings.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useMeetingCtx } from './context.tsx';
import { minutesBetween } from './meetings.tsx';

const KIND_COLORS: Record<AgendaKind, string> = { problem: 'red', project: 'orange', decision: 'blue', custom: 'default' };

export function AgendaKindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLORS[kind as AgendaKind] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
      {t(`meetings.agenda.kinds.${(kind in KIND_COLORS ? kind : 'custom') as AgendaKind}`)}
    </Tag>
  );
}

/** Where an agenda item's subject lives: the problem's or the project's page. */
function refLink(kind: string, refId: string | null): string | null {
  if (!refId) return null;
  if (kind === 'problem') return `/problems/${refId}`;
  if (kind === 'project') return `/projects/${refId}`;
  return null;
}

interface ItemValues {
  title: string;
  presenterUnitId?: string | null;
  presenterUserId?: string | null;
  minutesAllowed?: number | null;
}

/** Adds or edits one agenda item (title, presenter unit and person, minutes allowed). */
function ItemModal({ item, onClose }: { item: AgendaItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { save, latest } = useMeetingCtx();
  const [form] = Form.useForm<ItemValues>();
  const [busy, setBusy] = useState(false);
  const mobile = useIsMobile();
  const submit = async (v: ItemValues) => {
    setBusy(true);
    const now = latest();
    const edited: AgendaItemInput = {
      ...(item ? agendaInput([item])[0]! : { kind: 'custom' as const, refId: null, minutes: null }),
      title: v.title.trim(),
      presenterUnitId: v.presenterUnitId ?? null,
      presenterUserId: v.presenterUserId ?? null,
      minutesAllowed: v.minutesAllowed ?? null,
    };
    const agenda = item ? agendaInput(now.agenda).map((a) => (a.id === item.id ? edited : a)) : [...agendaInput(now.agenda), edited];
    const ok = await save({ agenda }, { touchesMinutes: true, form });
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Modal
      open
      title={item ? t('meetings.agenda.edit') : t('meetings.agenda.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'agenda-item-ok' }}
      style={mobile ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
    >
      <Form<ItemValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={item ? { title: item.title, presenterUnitId: item.presenterUnit?.id, presenterUserId: item.presenterUser?.id, minutesAllowed: item.minutesAllowed } : { minutesAllowed: 15 }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="title" label={t('meetings.agenda.title')} rules={[{ required: true, whitespace: true, message: t('meetings.agenda.titleRequired') }, { max: 200 }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="agenda-item-title" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="presenterUnitId" label={t('meetings.agenda.presenterUnit')}>
              <UnitTreeSelect placeholder={t('meetings.agenda.presenterUnitPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="presenterUserId" label={t('meetings.agenda.presenterUser')}>
              <UserPicker allowClear known={item?.presenterUser ? [{ id: item.presenterUser.id, label: item.presenterUser.name }] : []} placeholder={t('meetings.agenda.presenterUserPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="minutesAllowed" label={t('meetings.agenda.minutesAllowed')}>
              <InputNumber min={1} max={240} precision={0} style={{ width: '100%' }} suffix={t('meetings.minutesUnit')} inputMode="numeric" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function SuggestionCard({ s, onAdd, busy, canAdd }: { s: Suggestion; onAdd: () => void; busy: boolean; canAdd: boolean }) {
  const { t } = useTranslation();
  const link = refLink(s.kind, s.refId);
  return (
    <Card size="small" styles={{ body: { padding: 10 } }} style={{ marginBottom: 8 }} data-testid="agenda-suggestion" data-kind={s.kind}>
      <Flex gap={8} align="flex-start" justify="space-between">
        <div style={{ minWidth: 0 }}>
          <Space size={6} wrap>
            <AgendaKindTag kind={s.kind} />
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {s.reason}
            </Typography.Text>
          </Space>
          <div style={{ marginTop: 4, lineHeight: 1.45 }}>{link ? <Link to={link}>{s.title}</Link> : s.title}</div>
          {s.presenterUnit && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('meetings.agenda.presenterIs', { name: s.presenterUnit.name })}
            </Typography.Text>
          )}
        </div>
        {canAdd && (
          <Button icon={<PlusOutlined />} onClick={onAdd} loading={busy} aria-label={t('meetings.agenda.addSuggestion')} data-testid="agenda-suggestion-add" style={{ flexShrink: 0 }}>
            {t('meetings.agenda.addSuggestion')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}

const fromSuggestion = (s: Suggestion): AgendaItemInput => ({
  kind: s.kind,
  refId: s.refId,
  title: s.title.slice(0, 200),
  presenterUnitId: s.presenterUnit?.id ?? null,
  presenterUserId: null,
  minutesAllowed: 10,
  minutes: null,
});

/** 议程: the suggested items (red problems, lagging projects, open decisions) and the agenda the chair orders. */
export function AgendaTab() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { m, save, latest } = useMeetingCtx();
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<AgendaItem | 'new' | null>(null);
  const canEdit = m.can.update && m.status !== 'cancelled';
  const total = m.agenda.reduce((sum, a) => sum + (a.minutesAllowed ?? 0), 0);
  const length = minutesBetween(m.startsAt, m.endsAt);

  const run = async (key: string, agenda: AgendaItemInput[], done?: string) => {
    setBusy(key);
    await save({ agenda }, { touchesMinutes: true, done });
    setBusy(null);
  };
  const current = () => agendaInput(latest().agenda);
  const move = (i: number, by: -1 | 1) => {
    const list = current();
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j]!, list[i]!];
    void run(`${by < 0 ? 'up' : 'down'}-${i}`, list);
  };

  return (
    <div data-testid="agenda-tab">
      {canEdit && m.suggestions.length > 0 && (
        <Card
          size="small"
          style={{ marginBottom: 16, background: '#fffbe6', borderColor: '#ffe58f' }}
          title={t('meetings.agenda.suggestions', { count: m.suggestions.length })}
          extra={
            <Button type="primary" icon={<CheckOutlined />} loading={busy === 'all'} onClick={() => void run('all', [...current(), ...latest().suggestions.map(fromSuggestion)], t('meetings.agenda.acceptedAll'))} data-testid="agenda-accept-all">
              {t('meetings.agenda.acceptAll')}
            </Button>
          }
          data-testid="agenda-suggestions"
        >
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {t('meetings.agenda.suggestionsHint')}
          </Typography.Paragraph>
          {m.suggestions.map((s) => (
            <SuggestionCard key={`${s.kind}-${s.refId}`} s={s} canAdd busy={busy === s.refId} onAdd={() => void run(s.refId, [...current(), fromSuggestion(s)])} />
          ))}
        </Card>
      )}
      <Flex justify="space-between" align="center" gap={8} wrap="wrap" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" data-testid="agenda-total">
          {t('meetings.agenda.total', { count: m.agenda.length, minutes: total, length })}
        </Typography.Text>
        {canEdit && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="agenda-add">
            {t('meetings.agenda.add')}
          </Button>
        )}
      </Flex>
      {total > length && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('meetings.agenda.overTime', { minutes: total - length })} />}
      {m.agenda.length === 0 ? (
        <Empty description={t('meetings.agenda.empty')} />
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="agenda-list">
          {m.agenda.map((a, i) => {
            const link = refLink(a.kind, a.refId);
            const actions = canEdit ? (
              <Flex gap={6} justify="flex-end" style={{ marginTop: mobile ? 8 : 0, flexShrink: 0 }} wrap="wrap">
                <Button size={mobile ? 'middle' : 'small'} icon={<ArrowUpOutlined />} disabled={i === 0 || !!busy} loading={busy === `up-${i}`} onClick={() => move(i, -1)} aria-label={t('meetings.agenda.up')} data-testid="agenda-up" />
                <Button size={mobile ? 'middle' : 'small'} icon={<ArrowDownOutlined />} disabled={i === m.agenda.length - 1 || !!busy} loading={busy === `down-${i}`} onClick={() => move(i, 1)} aria-label={t('meetings.agenda.down')} data-testid="agenda-down" />
                <Button size={mobile ? 'middle' : 'small'} icon={<EditOutlined />} onClick={() => setEditing(a)} data-testid="agenda-edit">
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('meetings.agenda.dropConfirm')} onConfirm={() => void run(`drop-${a.id}`, current().filter((x) => x.id !== a.id), t('meetings.agenda.dropped'))} okText={t('meetings.agenda.drop')} cancelText={t('common.cancel')}>
                  <Button size={mobile ? 'middle' : 'small'} danger icon={<DeleteOutlined />} loading={busy === `drop-${a.id}`} data-testid="agenda-drop">
                    {t('meetings.agenda.drop')}
                  </Button>
                </Popconfirm>
              </Flex>
            ) : null;
            return (
              <li key={a.id} style={{ marginBottom: 8 }} data-testid="agenda-item" data-kind={a.kind} data-title={a.title}>
                <Card size="small" styles={{ body: { padding: mobile ? 10 : 12 } }}>
                  <Flex gap={10} align="flex-start">
                    <span
                      className="qibu-num"
                      style={{ flexShrink: 0, width: 26, height: 26, borderRadius: 13, background: '#1f4e9a', color: '#fff', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', fontSize: 13 }}
                    >
                      {i + 1}
                    </span>
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <div style={{ lineHeight: 1.45 }}>
                        <AgendaKindTag kind={a.kind} /> {link ? <Link to={link}>{a.title}</Link> : <Typography.Text strong>{a.title}</Typography.Text>}
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
                        {[
                          a.presenterUnit || a.presenterUser ? t('meetings.agenda.presenterIs', { name: [a.presenterUnit?.name, a.presenterUser?.name].filter(Boolean).join(' ') }) : t('meetings.agenda.noPresenter'),
                          a.minutesAllowed ? t('meetings.agenda.minutesIs', { count: a.minutesAllowed }) : null,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </Typography.Text>
                    </div>
                    {!mobile && actions}
                  </Flex>
                  {mobile && actions}
                </Card>
              </li>
            );
          })}
        </ol>
      )}
      {editing && <ItemModal item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
