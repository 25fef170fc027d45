import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Badge, Button, Empty, Flex, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, useBell, type Notice } from '../../api/notifications.ts';
import { formatDateTime } from '../../components/format.ts';
import { KindTag } from './kinds.tsx';

/** The header's bell: unread count, the newest messages, a click opens what a message is about and marks it read. */
export function NotificationBell({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const { data } = useBell();
  const unread = data?.unread ?? 0;

  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.all });
  const openNotice = async (n: Notice) => {
    setOpen(false);
    if (!n.readAt) {
      try {
        await notificationsApi.markRead([n.id]);
      } finally {
        refresh();
      }
    }
    navigate(n.link ?? '/notifications');
  };

  const content = (
    <div style={{ width: compact ? 290 : 360 }} data-testid="bell-panel">
      {data?.items.length ? (
        <List
          size="small"
          dataSource={data.items}
          renderItem={(n) => (
            <List.Item style={{ cursor: 'pointer', paddingInline: 4, opacity: n.readAt ? 0.6 : 1 }} onClick={() => void openNotice(n)}>
              <div style={{ minWidth: 0, width: '100%' }}>
                <Flex align="center" gap={4}>
                  <KindTag kind={n.kind} />
                  {!n.readAt && <Badge status="processing" />}
                </Flex>
                <Typography.Text strong={!n.readAt} ellipsis style={{ display: 'block', marginTop: 2 }}>
                  {n.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(n.createdAt)}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} />
      )}
      <Flex justify="space-between" style={{ marginTop: 8 }}>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
        >
          {t('notify.viewAll')}
        </Button>
        <Button size="small" type="link" disabled={!unread} onClick={() => void notificationsApi.markAllRead().finally(refresh)}>
          {t('notify.markAllRead')}
        </Button>
      </Flex>
    </div>
  );

  return (
    <Popover content={content} title={unread ? t('notify.unreadCount', { count: unread }) : t('notify.bell')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Button type="text" aria-label={t('notify.bell')} data-testid="notification-bell" style={{ paddingInline: 6 }}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
