import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/commands.ts';
import { notificationKeys, notificationsApi, useChasingSettings, useRobotChannels, type ChasingSettings, type RobotChannel, type RobotKind } from '../../api/notifications.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { applyServerErrors, errorText, rules } from '../../components/forms.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';

/** The server's rule (robots.ts isWebhookUrl): http or https, no credentials in the URL. */
function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

type SettingsValues = Pick<ChasingSettings, 'remindBeforeWorkdays' | 'escalateCommanderAfter' | 'escalateLeaderAfter' | 'digestHour'>;

const FIELDS: { name: keyof SettingsValues; min: number; max: number; hint?: 'remindBeforeHint' }[] = [
  { name: 'remindBeforeWorkdays', min: 0, max: 10, hint: 'remindBeforeHint' },
  { name: 'escalateCommanderAfter', min: 1, max: 30 },
  { name: 'escalateLeaderAfter', min: 1, max: 60 },
  { name: 'digestHour', min: 0, max: 23 },
];

function ChasingCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<SettingsValues>();
  const [busy, setBusy] = useState(false);
  const { data, isLoading, error, refetch } = useChasingSettings();
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);
  const editable = data?.canEdit ?? false;
  return (
    <Card title={t('notify.chasing')}>
      <Alert type="info" showIcon title={t('notify.chasingHint')} style={{ marginBottom: 16 }} />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Form<SettingsValues>
          form={form}
          name="chasingSettings"
          layout="vertical"
          disabled={!editable}
          onFinish={async (v) => {
            if (!data) return;
            setBusy(true);
            try {
              const saved = await notificationsApi.putSettings({ ...v, version: data.version });
              qc.setQueryData(notificationKeys.settings, saved);
              message.success(t('common.saved'));
            } catch (e) {
              applyServerErrors(form, e, (m) => message.error(m));
              void qc.invalidateQueries({ queryKey: notificationKeys.settings });
            } finally {
              setBusy(false);
            }
          }}
        >
          <Row gutter={16}>
            {FIELDS.map((f) => (
              <Col key={f.name} xs={24} sm={12} xl={6}>
                <Form.Item name={f.name} label={t(`notify.${f.name}`)} extra={f.hint ? t(`notify.${f.hint}`) : undefined} rules={[{ required: true }, { type: 'number', min: f.min, max: f.max }]}>
                  <InputNumber min={f.min} max={f.max} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Space wrap>
            {editable && (
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                {t('common.save')}
              </Button>
            )}
            <Typography.Text type="secondary">
              {data?.nextRunAt ? t('notify.nextRunAt', { at: formatDateTime(data.nextRunAt) }) : t('notify.notScheduled')}
            </Typography.Text>
            {!editable && <Typography.Text type="secondary">· {t('notify.readOnlySettings')}</Typography.Text>}
          </Space>
        </Form>
      </QueryState>
    </Card>
  );
}

interface RobotValues {
  kind: RobotKind;
  name: string;
  webhook?: string;
  secret?: string;
  removeSecret?: boolean;
  commandId?: string | null;
  enabled: boolean;
}

function RobotModal({ editing, onClose, onSaved }: { editing: RobotChannel | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RobotValues>();
  const [busy, setBusy] = useState(false);
  const commands = useCommands(editing !== null);
  const kind = Form.useWatch('kind', form);
  if (!editing) return null;
  const r = editing === 'new' ? null : editing;
  return (
    <Modal open title={r ? t('notify.editRobot') : t('notify.addRobot')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={busy} destroyOnHidden>
      <Form<RobotValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: r?.kind ?? 'dingtalk', name: r?.name ?? '', commandId: r?.command?.id ?? null, enabled: r?.enabled ?? true, removeSecret: false }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const webhook = v.webhook?.trim() || undefined;
            const secret = v.secret?.trim() || undefined;
            if (r) {
              await notificationsApi.updateRobot(r.id, {
                version: r.version,
                name: v.name.trim(),
                ...(webhook ? { webhook } : {}),
                ...(secret ? { secret } : v.removeSecret ? { secret: null } : {}),
                commandId: v.commandId ?? null,
                enabled: v.enabled,
              });
            } else {
              await notificationsApi.createRobot({ kind: v.kind, name: v.name.trim(), webhook: webhook ?? '', ...(secret ? { secret } : {}), commandId: v.commandId ?? null, enabled: v.enabled });
            }
            message.success(r ? t('common.saved') : t('common.created'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="kind" label={t('notify.kind')} rules={[rules.requiredSelect()]}>
          <Select disabled={!!r} options={[{ value: 'dingtalk', label: t('notify.dingtalk') }, { value: 'wecom', label: t('notify.wecom') }]} />
        </Form.Item>
        <Form.Item name="name" label={t('notify.name')} rules={[rules.required(), rules.max(100)]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="webhook"
          label={t('notify.webhook')}
          extra={r ? `${r.webhook} · ${t('notify.webhookKeep')}` : undefined}
          rules={[...(r ? [] : [rules.required()]), rules.max(1000), { validator: async (_, v?: string) => { if (v?.trim() && !isHttpUrl(v.trim())) throw new Error(t('notify.webhookInvalid')); } }]}
        >
          <Input className="qibu-mono" placeholder={kind === 'wecom' ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' : 'https://oapi.dingtalk.com/robot/send?access_token=…'} autoComplete="off" />
        </Form.Item>
        {kind === 'dingtalk' && (
          <>
            <Form.Item name="secret" label={t('notify.secret')} extra={t('notify.secretHint')} rules={[rules.max(200)]}>
              <Input.Password autoComplete="new-password" placeholder={r?.hasSecret ? t('notify.secretSet') : 'SEC…'} />
            </Form.Item>
            {r?.hasSecret && (
              <Form.Item name="removeSecret" valuePropName="checked" label={t('notify.removeSecret')}>
                <Switch />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item name="commandId" label={t('notify.command')} extra={t('notify.commandHint')}>
          <Select allowClear loading={commands.isLoading} placeholder={t('notify.wholeZone')} options={(commands.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="enabled" label={t('notify.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RobotsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const [editing, setEditing] = useState<RobotChannel | 'new' | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const { data, isLoading, error, refetch } = useRobotChannels();
  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.robots });
  return (
    <Card
      title={t('notify.robots')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="add-robot">
          {t('notify.addRobot')}
        </Button>
      }
    >
      <Alert type="info" showIcon title={t('notify.robotsHint')} style={{ marginBottom: 16 }} />
      <QueryState loading={false} error={error} retry={() => void refetch()}>
        <Table<RobotChannel>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('notify.noRobots') }}
          columns={[
            { title: t('notify.name'), dataIndex: 'name', width: 160 },
            { title: t('notify.kind'), dataIndex: 'kind', width: 100, render: (k: RobotKind) => <Tag color={k === 'dingtalk' ? 'blue' : 'green'}>{t(`notify.${k}`)}</Tag> },
            { title: t('notify.scope'), key: 'scope', width: 170, render: (_, r) => r.command?.name ?? t('notify.wholeZone') },
            {
              title: t('notify.webhook'),
              key: 'webhook',
              ellipsis: true,
              render: (_, r) => (
                <Space size={4}>
                  <Typography.Text className="qibu-mono" style={{ fontSize: 12 }}>
                    {r.webhook}
                  </Typography.Text>
                  {r.hasSecret && <Tag>{t('notify.secretSet')}</Tag>}
                </Space>
              ),
            },
            { title: t('notify.enabled'), dataIndex: 'enabled', width: 70, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
            {
              title: t('notify.lastSent'),
              key: 'last',
              width: 190,
              render: (_, r) =>
                r.lastSentAt ? (
                  <Space orientation="vertical" size={0}>
                    <span>{formatDateTime(r.lastSentAt)}</span>
                    {r.lastStatus === 'failed' || (r.lastStatus === 'pending' && r.lastError) ? (
                      <Typography.Text type="danger" style={{ fontSize: 12 }}>
                        {r.lastError}
                      </Typography.Text>
                    ) : null}
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 200,
              fixed: mobile ? undefined : 'right',
              render: (_, r) => (
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<SendOutlined />}
                    loading={testing === r.id}
                    onClick={async () => {
                      setTesting(r.id);
                      try {
                        const res = await notificationsApi.testRobot(r.id);
                        if (res.ok) message.success(t('notify.testOk'));
                        else if (res.status === 'pending' && !res.error) message.info(t('notify.testQueued'));
                        else message.error(t('notify.testFailed', { error: res.error ?? res.status }));
                      } catch (e) {
                        message.error(errorText(e));
                      } finally {
                        setTesting(null);
                        refresh();
                      }
                    }}
                  >
                    {t('notify.test')}
                  </Button>
                  <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(r)} />
                  <Popconfirm
                    title={t('common.deleteConfirm', { name: r.name })}
                    okType="danger"
                    onConfirm={async () => {
                      try {
                        await notificationsApi.deleteRobot(r.id, r.version);
                        message.success(t('common.deleted'));
                      } catch (e) {
                        message.error(errorText(e));
                      } finally {
                        refresh();
                      }
                    }}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
      <RobotModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
    </Card>
  );
}

/** 通知设置: the chasing rules (leaders and HQ commanders change them) and the group robots (system administrator). */
export default function NotifySettingsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  return (
    <>
      <PageHeader title={t('notify.settingsTitle')} subtitle={t('notify.settingsHint')} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <ChasingCard />
        {me.roles.includes('sys_admin') && <RobotsCard />}
      </Space>
    </>
  );
}
