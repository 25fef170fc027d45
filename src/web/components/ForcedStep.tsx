import { Alert, Button, Flex, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meKey } from '../api/auth.ts';
import type { Me } from '../api/types.ts';
import { useLogout } from './AppLayout.tsx';
import { AuthShell } from './AuthShell.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { TotpEnroll } from './TotpEnroll.tsx';

/** A step the server insists on before anything else (mustChangePassword, mustEnrollTotp). */
export function ForcedStep({ me, step }: { me: Me; step: 'password' | 'totp' }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const logout = useLogout();
  const done = () => void qc.invalidateQueries({ queryKey: meKey });
  return (
    <AuthShell
      wide={step === 'totp'}
      title={step === 'password' ? t('password.title') : t('totp.title')}
      extra={
        <Flex align="center" gap={8} style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{me.user.displayName}</Typography.Text>
          <Button type="link" icon={<LogoutOutlined />} onClick={() => void logout()}>
            {t('layout.logout')}
          </Button>
        </Flex>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 20 }} title={step === 'password' ? t('password.forcedIntro') : t('totp.forcedIntro')} description={t('layout.forcedStep')} />
      {step === 'password' ? <ChangePasswordForm onDone={done} /> : <TotpEnroll onDone={done} />}
    </AuthShell>
  );
}
