import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';
import { useIsMobile } from './useIsMobile.ts';

/**
 * The frame of the pages outside the app (登录, 初始化, forced steps): the product and its purpose on the left
 * (on top on phones), the form in a card.
 */
export function AuthShell({ title, children, wide = false, extra }: { title: ReactNode; children: ReactNode; wide?: boolean; extra?: ReactNode }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const features = t('app.features', { returnObjects: true }) as unknown as string[];
  return (
    <Flex vertical={mobile} style={{ minHeight: '100vh', background: '#f3f5f9' }}>
      <div
        style={{
          flex: mobile ? 'none' : '0 0 42%',
          background: 'linear-gradient(150deg, #0f2b5b 0%, #1f4e9a 55%, #2f6fd6 100%)',
          color: '#fff',
          padding: mobile ? '20px 20px 24px' : '56px 64px',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: mobile ? 'flex-start' : 'center',
          position: 'relative',
          overflow: 'hidden',
        }}
      >
        <Flex align="center" gap={14}>
          <Logo size={mobile ? 40 : 56} />
          <div>
            <div style={{ fontSize: mobile ? 26 : 40, fontWeight: 700, letterSpacing: 6, lineHeight: 1.1 }}>{t('app.name')}</div>
            <div style={{ opacity: 0.8, fontSize: mobile ? 13 : 15, marginTop: 4 }}>Qibu · {t('app.tagline')}</div>
          </div>
        </Flex>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.88)', fontSize: mobile ? 13 : 16, lineHeight: 1.8, marginTop: mobile ? 14 : 36, marginBottom: 0, maxWidth: 520 }}>
          {t('app.purpose')}
        </Typography.Paragraph>
        {!mobile && Array.isArray(features) && (
          <Flex wrap="wrap" gap={10} style={{ marginTop: 28 }}>
            {features.map((f) => (
              <span key={f} style={{ border: '1px solid rgba(255,255,255,0.35)', borderRadius: 16, padding: '4px 14px', fontSize: 13, background: 'rgba(255,255,255,0.08)' }}>
                {f}
              </span>
            ))}
          </Flex>
        )}
        <svg viewBox="0 0 600 120" preserveAspectRatio="none" aria-hidden="true" style={{ position: 'absolute', left: 0, right: 0, bottom: 0, width: '100%', height: mobile ? 36 : 90, opacity: 0.18 }}>
          <path d="M0 80 C 120 40, 220 110, 340 70 S 520 30, 600 60 L600 120 L0 120 Z" fill="#fff" />
        </svg>
      </div>
      <Flex flex={1} vertical align="center" justify={mobile ? 'flex-start' : 'center'} style={{ padding: mobile ? '16px 12px 32px' : 48 }}>
        <Flex justify="flex-end" style={{ width: '100%', maxWidth: wide ? 640 : 420, marginBottom: 12 }}>
          <LanguageSwitch size={mobile ? 'small' : 'middle'} />
        </Flex>
        <Card style={{ width: '100%', maxWidth: wide ? 640 : 420, boxShadow: '0 6px 24px rgba(15,43,91,0.08)' }} styles={{ body: { padding: mobile ? 20 : 32 } }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 20 }}>
            {title}
          </Typography.Title>
          {children}
        </Card>
        {extra}
      </Flex>
    </Flex>
  );
}
