import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Popconfirm, Row, Switch, Table, Typography } from 'antd';
import { LogoutOutlined, SaveOutlined, UnlockOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { securityApi, securityKeys, useLockedUsers, useSecuritySettings, useSessions } from '../api/security.ts';
import type { LiveSession, LockedUser, SecuritySettings } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatDateTime } from '../components/format.ts';
import { applyServerErrors, changed, errorText } from '../components/forms.ts';
import { useIsMobile } from '../components/useIsMobile.ts';

type SettingsValues = Omit<SecuritySettings, 'version'>;

const NUMBER_FIELDS: { name: keyof SettingsValues; min: number; max: number; hint?: 'passwordMinClassesHint' | 'passwordMaxAgeDaysHint' }[] = [
  { name: 'passwordMinLength', min: 8, max: 64 },
  { name: 'passwordMinClasses', min: 0, max: 4, hint: 'passwordMinClassesHint' },
  { name: 'passwordMaxAgeDays', min: 0, max: 365, hint: 'passwordMaxAgeDaysHint' },
  { name: 'lockoutThreshold', min: 3, max: 20 },
  { name: 'lockoutMinutes', min: 1, max: 1440 },
  { name: 'idleTimeoutMinutes', min: 5, max: 240 },
  { name: 'absoluteTimeoutHours', min: 1, max: 72 },
];

function SettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<SettingsValues>();
  const [busy, setBusy] = useState(false);
  const { data, isLoading, error, refetch } = useSecuritySettings();
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);
  return (
    <Card title={t('security.settings')}>
      <Alert type="info" showIcon title={t('security.explanation')} style={{ marginBottom: 20 }} />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Form<SettingsValues>
          form={form}
          name="securitySettings"
          layout="vertical"
          onFinish={async (v) => {
            if (!data) return;
            setBusy(true);
            try {
              const { version: _v, ...prev } = data;
              const patch = changed(prev, v);
              if (Object.keys(patch).length) {
                const saved = await securityApi.updateSettings({ ...patch, version: data.version });
                qc.setQueryData(securityKeys.settings, saved);
              }
              message.success(t('common.saved'));
            } catch (e) {
              applyServerErrors(form, e, (m) => message.error(m));
              void qc.invalidateQueries({ queryKey: securityKeys.settings });
            } finally {
              setBusy(false);
            }
          }}
        >
          <Row gutter={16}>
            {NUMBER_FIELDS.map((f) => (
              <Col key={f.name} xs={24} sm={12} xl={8}>
                <Form.Item name={f.name} label={t(`security.${f.name}`)} extra={f.hint ? t(`security.${f.hint}`) : undefined} rules={[{ required: true }, { type: 'number', min: f.min, max: f.max }]}>
                  <InputNumber min={f.min} max={f.max} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
            <Col xs={24} sm={12} xl={8}>
              <Form.Item name="totpRequiredForAll" label={t('security.totpRequiredForAll')} valuePropName="checked" extra={t('security.totpRequiredForAllHint')}>
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
            {t('common.save')}
          </Button>
        </Form>
      </QueryState>
    </Card>
  );
}

function LockedCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const { data, isLoading, error, refetch } = useLockedUsers();
  return (
    <Card title={t('security.locked')}>
      <QueryState loading={false} error={error} retry={() => void refetch()}>
        <Table<LockedUser>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          locale={{ emptyText: t('security.noLocked') }}
          columns={[
            { title: t('security.user'), key: 'u', render: (_, u) => `${u.displayName}（${u.username}）` },
            { title: t('security.lockedUntil'), dataIndex: 'lockedUntil', width: 170, render: (v: string | null) => formatDateTime(v) },
            { title: t('security.failedSignIns'), dataIndex: 'failedSignIns', width: 90 },
            {
              title: t('common.actions'),
              key: 'a',
              width: 90,
              fixed: mobile ? undefined : 'right',
              render: (_, u) => (
                <Button
                  size="small"
                  icon={<UnlockOutlined />}
                  onClick={async () => {
                    try {
                      await securityApi.unlock(u.id);
                      message.success(t('security.unlocked'));
                    } catch (e) {
                      message.error(errorText(e));
                    } finally {
                      void qc.invalidateQueries({ queryKey: securityKeys.locked });
                    }
                  }}
                >
                  {t('security.unlock')}
                </Button>
              ),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const { data, isLoading, error, refetch } = useSessions();
  return (
    <Card title={t('security.sessions')} extra={<Button size="small" onClick={() => void refetch()}>{t('common.refresh')}</Button>}>
      <QueryState loading={false} error={error} retry={() => void refetch()}>
        <Table<LiveSession>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 980 }}
          columns={[
            { title: t('security.user'), key: 'u', width: 200, render: (_, s) => `${s.displayName}（${s.username}）` },
            { title: t('security.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
            { title: t('security.lastSeenAt'), dataIndex: 'lastSeenAt', width: 170, render: (v: string) => formatDateTime(v) },
            { title: t('security.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
            {
              title: t('security.userAgent'),
              dataIndex: 'userAgent',
              ellipsis: true,
              render: (v: string | null) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v ?? '—'}</Typography.Text>,
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 110,
              fixed: mobile ? undefined : 'right',
              render: (_, s) => (
                <Popconfirm
                  title={t('security.revokeConfirm', { name: s.displayName })}
                  okType="danger"
                  onConfirm={async () => {
                    try {
                      await securityApi.revoke(s.id);
                      message.success(t('security.revoked'));
                    } catch (e) {
                      message.error(errorText(e));
                    } finally {
                      void qc.invalidateQueries({ queryKey: securityKeys.sessions });
                    }
                  }}
                >
                  <Button size="small" danger icon={<LogoutOutlined />}>
                    {t('security.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}

/** 安全设置 (sec_admin): the zone's password / lockout / session policy, locked accounts, live sessions. */
export default function SecurityPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('security.title')} subtitle={t('security.subtitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={12}>
          <SettingsCard />
        </Col>
        <Col xs={24} xxl={12}>
          <Row gutter={[16, 16]}>
            <Col xs={24}>
              <LockedCard />
            </Col>
            <Col xs={24}>
              <SessionsCard />
            </Col>
          </Row>
        </Col>
      </Row>
    </>
  );
}
