import { Suspense, lazy, useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useQueryClient } from '@tanstack/react-query';
import { meKey } from './api/auth.ts';
import { onAuthProblem } from './api/client.ts';
import { Protected } from './components/Protected.tsx';
import { RoleGate } from './components/RoleGate.tsx';
import { useLang } from './i18n/index.ts';
import { MODULES } from './modules.tsx';
import AccountPage from './pages/AccountPage.tsx';
import Landing from './pages/cockpit/Landing.tsx';
import LoginPage from './pages/LoginPage.tsx';
import NotFoundPage from './pages/NotFoundPage.tsx';
import SetupPage from './pages/SetupPage.tsx';

// The big screen is drawn without the app's layout (no menu, no header): routed outside <Protected />.
const BigScreenPage = lazy(() => import('./pages/cockpit/BigScreenPage.tsx'));

const THEME = {
  token: {
    colorPrimary: '#1f4e9a',
    colorInfo: '#1f4e9a',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { siderBg: '#0f2b5b', triggerBg: '#0b2249' },
    Menu: { darkItemBg: 'transparent', darkSubMenuItemBg: 'transparent', darkItemSelectedBg: '#2f6fd6' },
  },
};

/** When the session ends (401) or the server demands a forced step (403), ask again who we are. */
function AuthWatcher() {
  const qc = useQueryClient();
  useEffect(
    () =>
      onAuthProblem((err) => {
        if (err.code === 'unauthenticated') qc.setQueryData(meKey, null);
        else void qc.invalidateQueries({ queryKey: meKey });
      }),
    [qc],
  );
  return null;
}

export function App() {
  const lang = useLang();
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <AuthWatcher />
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/setup" element={<SetupPage />} />
          <Route
            path="/cockpit/screen"
            element={
              <Suspense fallback={null}>
                <BigScreenPage />
              </Suspense>
            }
          />
          <Route element={<Protected />}>
            <Route index element={<Landing />} />
            {MODULES.map((m) => (
              <Route
                key={m.key}
                path={m.nested ? `${m.path}/*` : m.path}
                element={
                  <RoleGate roles={m.roles}>
                    <m.page />
                  </RoleGate>
                }
              />
            ))}
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AntApp>
    </ConfigProvider>
  );
}
