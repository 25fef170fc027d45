import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { App, Avatar, Button, Drawer, Dropdown, Flex, Layout, Menu, Spin, Tag, Typography, type MenuProps } from 'antd';
import { HomeOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/auth.ts';
import type { Me } from '../api/types.ts';
import { pick, useLang } from '../i18n/index.ts';
import { SECTIONS, modulesFor, type SectionKey } from '../modules.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NotificationBell } from '../pages/notifications/NotificationBell.tsx';
import { RoleTags, roleLabel } from './Labels.tsx';
import { Logo } from './Logo.tsx';
import { useIsMobile } from './useIsMobile.ts';

const SIDER_WIDTH = 224;

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async () => {
    try {
      await authApi.logout();
    } catch {
      // the session may already be gone; signing out locally is what matters
    }
    qc.clear();
    navigate('/login', { replace: true });
    message.success(t('layout.loggedOut'));
  };
}

function useMenuItems(me: Me): MenuProps['items'] {
  const lang = useLang();
  const { t } = useTranslation();
  return useMemo(() => {
    const mods = modulesFor(me.roles);
    const items: NonNullable<MenuProps['items']> = [{ key: '/', icon: <HomeOutlined />, label: t('layout.home') }];
    for (const section of Object.keys(SECTIONS) as SectionKey[]) {
      const inSection = mods.filter((m) => m.section === section);
      if (!inSection.length) continue;
      items.push({
        type: 'group',
        key: `section:${section}`,
        label: pick(SECTIONS[section], lang),
        children: inSection.map((m) => ({ key: m.path, icon: m.icon, label: pick(m.label, lang) })),
      });
    }
    items.push({ type: 'divider' }, { key: '/account', icon: <UserOutlined />, label: t('layout.account') });
    return items;
  }, [me.roles, lang, t]);
}

function selectedKey(pathname: string, me: Me): string {
  if (pathname === '/') return '/';
  if (pathname.startsWith('/account')) return '/account';
  const mod = modulesFor(me.roles).find((m) => pathname === m.path || pathname.startsWith(`${m.path}/`));
  return mod?.path ?? pathname;
}

export function AppLayout({ me }: { me: Me }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const items = useMenuItems(me);
  const selected = selectedKey(location.pathname, me);

  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      items={items}
      selectedKeys={[selected]}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 0, background: 'transparent' }}
      data-testid="side-menu"
    />
  );

  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div style={{ maxWidth: 260 }}>
            <Typography.Text strong>{me.user.displayName}</Typography.Text>
            <div style={{ marginTop: 4 }}>
              <RoleTags roles={me.roles} />
            </div>
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'account', icon: <UserOutlined />, label: t('layout.account') },
      { key: 'logout', icon: <LogoutOutlined />, label: t('layout.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'account') navigate('/account');
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider
          className="qibu-sider"
          width={SIDER_WIDTH}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto', background: '#0f2b5b' }}
          theme="dark"
        >
          <Flex align="center" gap={10} style={{ height: 64, padding: collapsed ? '0 24px' : '0 20px', cursor: 'pointer' }} onClick={() => navigate('/')}>
            <Logo size={30} />
            {!collapsed && (
              <div style={{ lineHeight: 1.2, minWidth: 0 }}>
                <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, letterSpacing: 2 }}>{t('app.name')}</div>
                <div style={{ color: 'rgba(255,255,255,0.6)', fontSize: 11 }}>Qibu</div>
              </div>
            )}
          </Flex>
          {menu}
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={
            <Flex align="center" gap={8}>
              <Logo size={24} />
              <span>{t('app.fullName')}</span>
            </Flex>
          }
          styles={{ body: { padding: 0, background: '#0f2b5b' } }}
        >
          {menu}
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            background: '#fff',
            padding: mobile ? '0 8px 0 4px' : '0 24px',
            height: mobile ? 56 : 64,
            lineHeight: mobile ? '56px' : '64px',
            borderBottom: '1px solid #e8ebf0',
            display: 'flex',
            alignItems: 'center',
            gap: mobile ? 6 : 16,
          }}
        >
          {mobile && <Button type="text" icon={<MenuOutlined />} aria-label={t('layout.menu')} onClick={() => setDrawerOpen(true)} data-testid="menu-button" />}
          <Flex align="center" gap={8} style={{ flex: 1, minWidth: 0 }}>
            <Typography.Text strong className="qibu-header-name" style={{ fontSize: mobile ? 15 : 16 }} data-testid="zone-name">
              {mobile ? me.zone.shortName || me.zone.name : me.zone.name}
            </Typography.Text>
            {me.zone.isDemo && !mobile && <Tag color="gold">{t('layout.demo')}</Tag>}
          </Flex>
          <NotificationBell compact={mobile} />
          <LanguageSwitch size={mobile ? 'small' : 'middle'} />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" style={{ height: 'auto', padding: '4px 6px' }} data-testid="user-menu">
              <Flex align="center" gap={8}>
                <Avatar size={mobile ? 28 : 32} style={{ background: '#1f4e9a' }}>
                  {me.user.displayName.slice(0, 1)}
                </Avatar>
                {!mobile && (
                  <div style={{ lineHeight: 1.25, textAlign: 'start' }}>
                    <div style={{ fontWeight: 500 }}>{me.user.displayName}</div>
                    <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.5)', maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {me.roles.map((r) => roleLabel(r, lang)).join('、')}
                    </div>
                  </div>
                )}
              </Flex>
            </Button>
          </Dropdown>
          {!mobile && (
            <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
              {t('layout.logout')}
            </Button>
          )}
        </Layout.Header>
        <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Suspense
            fallback={
              <Flex justify="center" style={{ padding: 64 }}>
                <Spin />
              </Flex>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.45)', padding: mobile ? '12px 8px' : '16px 24px', fontSize: 12 }}>
          {t('app.footer')}
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
