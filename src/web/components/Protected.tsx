import { Navigate, useLocation } from 'react-router';
import { Flex, Spin } from 'antd';
import { useMe, useSetupNeeded } from '../api/auth.ts';
import { AppLayout } from './AppLayout.tsx';
import { ForcedStep } from './ForcedStep.tsx';
import { QueryState } from './QueryState.tsx';
import { MeProvider } from './session.tsx';

function FullPageSpin() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

/**
 * The signed-in app: sends anonymous visitors to /login (or /setup on a fresh instance), holds users on a forced
 * step (修改密码, 绑定动态验证码) until it is done, and otherwise renders the layout with the page.
 */
export function Protected() {
  const location = useLocation();
  const setup = useSetupNeeded();
  const me = useMe();
  if (setup.data === true) return <Navigate to="/setup" replace />;
  if (me.isLoading || setup.isLoading) return <FullPageSpin />;
  if (me.error)
    return (
      <div style={{ padding: 24 }}>
        <QueryState loading={false} error={me.error} retry={() => void me.refetch()}>
          {null}
        </QueryState>
      </div>
    );
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login'} replace />;
  }
  if (me.data.mustChangePassword) return <ForcedStep me={me.data} step="password" />;
  if (me.data.mustEnrollTotp) return <ForcedStep me={me.data} step="totp" />;
  return (
    <MeProvider me={me.data}>
      <AppLayout me={me.data} />
    </MeProvider>
  );
}
