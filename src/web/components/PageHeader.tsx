import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';
import { useIsMobile } from './useIsMobile.ts';

/** Page title, a line of explanation, and the page's actions (wrapping under the title on phones). */
export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  const mobile = useIsMobile();
  return (
    <Flex
      justify="space-between"
      align={mobile ? 'flex-start' : 'center'}
      vertical={mobile}
      gap={mobile ? 8 : 16}
      style={{ marginBottom: 16 }}
    >
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={mobile ? 4 : 3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            {subtitle}
          </Typography.Text>
        )}
      </div>
      {extra && (
        <Flex gap={8} wrap="wrap" style={{ flexShrink: 0 }}>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
