import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Badge, Button, Card, Flex, List, Switch, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, useInbox, type Notice } from '../../api/notifications.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { errorText } from '../../components/forms.ts';
import { KindTag } from './kinds.tsx';

const PAGE_SIZE = 20;

/** 我的消息: the signed-in person's inbox, newest first. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const { data, isLoading, error, refetch } = useInbox({ unread: unreadOnly || undefined, page, pageSize: PAGE_SIZE });
  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.all });

  const read = async (ids: string[]) => {
    try {
      await notificationsApi.markRead(ids);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      refresh();
    }
  };
  const open = async (n: Notice) => {
    if (!n.readAt) await read([n.id]);
    if (n.link) navigate(n.link);
  };

  return (
    <>
      <PageHeader
        title={t('notify.inbox')}
        subtitle={t('notify.inboxHint')}
        extra={
          <Button
            icon={<CheckOutlined />}
            disabled={!data?.unread}
            onClick={async () => {
              try {
                await notificationsApi.markAllRead();
                message.success(t('notify.markedAll'));
              } catch (e) {
                message.error(errorText(e));
              } finally {
                refresh();
              }
            }}
          >
            {t('notify.markAllRead')}
          </Button>
        }
      />
      <Card
        title={data ? t('notify.unreadCount', { count: data.unread }) : t('notify.inbox')}
        extra={
          <Flex align="center" gap={8}>
            <Typography.Text>{t('notify.unreadOnly')}</Typography.Text>
            <Switch
              checked={unreadOnly}
              onChange={(v) => {
                setUnreadOnly(v);
                setPage(1);
              }}
              data-testid="unread-only"
            />
          </Flex>
        }
      >
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <List<Notice>
            loading={isLoading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: t('notify.empty') }}
            pagination={
              data && data.total > PAGE_SIZE
                ? { current: page, pageSize: PAGE_SIZE, total: data.total, onChange: setPage, showSizeChanger: false }
                : false
            }
            renderItem={(n) => (
              <List.Item
                data-testid="notice"
                actions={[
                  n.link ? (
                    <Button key="open" size="small" type="link" onClick={() => void open(n)}>
                      {t('notify.open')}
                    </Button>
                  ) : null,
                  !n.readAt ? (
                    <Button key="read" size="small" type="link" onClick={() => void read([n.id])}>
                      {t('notify.markRead')}
                    </Button>
                  ) : null,
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <Flex align="center" gap={4} wrap="wrap">
                      {!n.readAt && <Badge status="processing" title={t('notify.unread')} />}
                      <KindTag kind={n.kind} />
                      <Typography.Text strong={!n.readAt} style={{ cursor: n.link ? 'pointer' : undefined }} onClick={() => void open(n)}>
                        {n.title}
                      </Typography.Text>
                    </Flex>
                  }
                  description={
                    <>
                      {n.body && <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(n.createdAt)}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </QueryState>
      </Card>
    </>
  );
}
