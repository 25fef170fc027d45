import { useState } from 'react';
import { App, Button, Flex, Form, Input, Typography } from 'antd';
import { QrcodeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/auth.ts';
import { applyServerErrors, errorText } from './forms.ts';
import { useIsMobile } from './useIsMobile.ts';

export const TOTP_RULE = /^\d{6}$/;

/** 绑定动态验证码: get a secret and its QR code, scan it, confirm with the first code. */
export function TotpEnroll({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<{ code: string }>();
  const [setup, setSetup] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    try {
      const r = await authApi.totpSetup();
      setSetup({ secret: r.secret, qrDataUrl: r.qrDataUrl });
      form.resetFields();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('totp.intro')}</Typography.Paragraph>
      {!setup ? (
        <Button type="primary" icon={<QrcodeOutlined />} loading={busy} onClick={() => void start()} data-testid="totp-start">
          {t('totp.start')}
        </Button>
      ) : (
        <Flex vertical={mobile} gap={24} align={mobile ? 'center' : 'flex-start'}>
          <img src={setup.qrDataUrl} alt="TOTP QR" width={200} height={200} style={{ border: '1px solid #eceef2', borderRadius: 8, padding: 6, background: '#fff' }} />
          <div style={{ flex: 1, minWidth: 0, width: '100%' }}>
            <Typography.Text type="secondary">{t('totp.secret')}</Typography.Text>
            <Typography.Paragraph copyable className="qibu-mono" style={{ wordBreak: 'break-all', fontSize: 15 }} data-testid="totp-secret">
              {setup.secret}
            </Typography.Paragraph>
            <Form<{ code: string }>
              form={form}
              name="totpConfirm"
              layout="vertical"
              requiredMark={false}
              onFinish={async ({ code }) => {
                try {
                  await authApi.totpConfirm(code);
                  message.success(t('totp.done'));
                  setSetup(null);
                  onDone?.();
                } catch (e) {
                  applyServerErrors(form, e, (m) => message.error(m));
                }
              }}
            >
              <Form.Item name="code" label={t('totp.code')} rules={[{ required: true, pattern: TOTP_RULE, message: t('totp.codeRule') }]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ maxWidth: 200, letterSpacing: 4 }} />
              </Form.Item>
              <Flex gap={8} wrap="wrap">
                <Button type="primary" htmlType="submit">
                  {t('totp.confirm')}
                </Button>
                <Button onClick={() => void start()} loading={busy}>
                  {t('totp.restart')}
                </Button>
              </Flex>
            </Form>
          </div>
        </Flex>
      )}
    </div>
  );
}
