import { App, Button, Card, Col, Descriptions, Form, Input, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { authApi, meKey } from '../api/auth.ts';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';
import { RoleTags } from '../components/Labels.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TOTP_RULE, TotpEnroll } from '../components/TotpEnroll.tsx';
import { applyServerErrors } from '../components/forms.ts';
import { useCurrentUser } from '../components/session.tsx';

function TotpDisableForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string }>();
  return (
    <Form<{ code: string }>
      form={form}
      name="totpDisable"
      layout="inline"
      onFinish={async ({ code }) => {
        try {
          await authApi.totpDisable(code);
          void queryClient.invalidateQueries({ queryKey: meKey });
          message.success(t('totp.disabled'));
          form.resetFields();
        } catch (e) {
          applyServerErrors(form, e, (m) => message.error(m));
        }
      }}
      style={{ rowGap: 8 }}
    >
      <Form.Item name="code" rules={[{ required: true, pattern: TOTP_RULE, message: t('totp.codeRule') }]}>
        <Input inputMode="numeric" maxLength={6} placeholder={t('totp.code')} style={{ width: 160, letterSpacing: 3 }} />
      </Form.Item>
      <Form.Item>
        <Button danger htmlType="submit">
          {t('totp.disable')}
        </Button>
      </Form.Item>
    </Form>
  );
}

/** 我的账号: who I am, change my password, enrol or turn off TOTP. */
export default function AccountPage() {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('account.profile')}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'u', label: t('account.username'), children: <Typography.Text className="qibu-mono">{me.user.username}</Typography.Text> },
                  { key: 'n', label: t('account.displayName'), children: me.user.displayName },
                  { key: 'r', label: t('home.roles'), children: <RoleTags roles={me.roles} /> },
                  { key: 'unit', label: t('home.unit'), children: me.unit?.name ?? '—' },
                  { key: 'z', label: t('home.zone'), children: me.zone.name },
                  ...(me.commands.length ? [{ key: 'c', label: t('home.commands'), children: me.commands.map((c) => c.name).join('、') }] : []),
                ]}
              />
            </Card>
            <Card title={t('password.title')}>
              <ChangePasswordForm />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('account.totp')}>
            {me.totpEnabled ? (
              <>
                <Typography.Title level={5}>{t('totp.disableTitle')}</Typography.Title>
                <Typography.Paragraph type="secondary">{t('totp.disableIntro')}</Typography.Paragraph>
                <TotpDisableForm />
              </>
            ) : (
              <TotpEnroll onDone={() => void queryClient.invalidateQueries({ queryKey: meKey })} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
