import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/roles.ts';
import { useCurrentUser } from './session.tsx';

export function RoleGate({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const me = useCurrentUser();
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (!me.roles.some((r) => roles.includes(r)))
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('common.notAllowed')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('common.back')}
          </Button>
        }
      />
    );
  return <>{children}</>;
}
