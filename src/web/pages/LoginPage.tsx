import { useRef, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Form, Input, type InputRef } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authApi, meKey, useMe, useSetupNeeded } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { AuthShell } from '../components/AuthShell.tsx';
import { applyServerErrors } from '../components/forms.ts';
import { TOTP_RULE } from '../components/TotpEnroll.tsx';

interface Values {
  username: string;
  password: string;
  totpCode?: string;
}

/** 登录: username and password; a second step asks for the 6-digit code when the account has TOTP. */
export default function LoginPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<InputRef>(null);
  const [params] = useSearchParams();
  const qc = useQueryClient();
  const me = useMe();
  const setup = useSetupNeeded();

  if (setup.data === true) return <Navigate to="/setup" replace />;
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (me.data) return <Navigate to={target} replace />;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.login({ username: v.username.trim(), password: v.password, ...(needCode && v.totpCode ? { totpCode: v.totpCode } : {}) });
      await qc.invalidateQueries({ queryKey: meKey });
      // Signed in: `me` now holds the user, and the <Navigate> above takes them to `target` (once).
      await qc.fetchQuery({ queryKey: meKey });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'second_factor_required') {
        setNeedCode(true);
        setTimeout(() => codeRef.current?.focus(), 50);
      } else if (e instanceof ApiError && e.code === 'second_factor_invalid') {
        form.setFields([{ name: 'totpCode', errors: [e.message] }]);
      } else if (e instanceof ApiError && e.fields.length) {
        applyServerErrors(form, e, (m) => setError(m));
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t('login.title')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form<Values> form={form} name="login" layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} onValuesChange={() => error && setError(null)} size="large">
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true }, { max: 64 }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus disabled={needCode} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true }, { max: 256 }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" disabled={needCode} />
        </Form.Item>
        {needCode && (
          <>
            <Alert type="info" showIcon title={t('login.totpHint')} style={{ marginBottom: 16 }} />
            <Form.Item name="totpCode" label={t('login.totpCode')} rules={[{ required: true, pattern: TOTP_RULE, message: t('totp.codeRule') }]}>
              <Input ref={codeRef} prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ letterSpacing: 4 }} data-testid="totp-code" />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {needCode ? t('login.verify') : t('login.submit')}
        </Button>
        {needCode && (
          <Button
            type="link"
            block
            style={{ marginTop: 8 }}
            onClick={() => {
              setNeedCode(false);
              form.resetFields();
              message.destroy();
            }}
          >
            {t('login.back')}
          </Button>
        )}
      </Form>
    </AuthShell>
  );
}
