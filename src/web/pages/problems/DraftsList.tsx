import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Popconfirm, Tag, Typography } from 'antd';
import { CloudUploadOutlined, DeleteOutlined, WifiOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../components/session.tsx';
import { formatDateTime } from '../../components/format.ts';
import { deleteDraft, putDraft, type Draft } from '../../offline/drafts.ts';
import { kickDraftSender } from '../../offline/sender.ts';
import { useOnline } from '../../offline/useDrafts.ts';

const STATE_COLORS: Record<Draft['state'], string> = { waiting: 'default', sending: 'processing', failed: 'error' };

/** 待发送草稿: problems drafted without network, kept on this device until they are sent (by themselves when online). */
export function DraftsList({ drafts }: { drafts: Draft[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const online = useOnline();
  const [busy, setBusy] = useState(false);
  const sendNow = async () => {
    setBusy(true);
    try {
      const n = await kickDraftSender(me.user.id);
      if (n > 0) message.success(t('problems.drafts.sent', { count: n }));
      else message.info(online ? t('problems.drafts.notYet') : t('problems.drafts.offline'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      style={{ marginBottom: 16, borderColor: '#ffd591', background: '#fffbf2' }}
      title={
        <Flex align="center" gap={8}>
          <CloudUploadOutlined />
          <span>{t('problems.drafts.title')}</span>
          <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="drafts-count">
            {drafts.length}
          </Tag>
        </Flex>
      }
      extra={
        <Button size="small" type="primary" ghost icon={<WifiOutlined />} loading={busy} disabled={!online} onClick={() => void sendNow()} data-testid="drafts-send">
          {t('problems.drafts.sendNow')}
        </Button>
      }
      data-testid="drafts-list"
    >
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginBottom: 8 }}>
        {online ? t('problems.drafts.hintOnline') : t('problems.drafts.hintOffline')}
      </Typography.Text>
      <Flex vertical gap={8}>
        {drafts.map((d) => (
          <Flex key={d.id} gap={8} align="flex-start" justify="space-between" style={{ padding: '6px 0', borderTop: '1px solid #f5e6cc' }} data-testid="draft-item" data-state={d.state}>
            <div style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong style={{ display: 'block' }} ellipsis={{ tooltip: d.body.title }}>
                {d.body.title}
              </Typography.Text>
              <Flex gap={6} wrap="wrap" align="center" style={{ marginTop: 4 }}>
                <Tag color={STATE_COLORS[d.state]} style={{ marginInlineEnd: 0 }} data-testid="draft-state">
                  {t(`problems.drafts.states.${d.state}`)}
                </Tag>
                {d.problemCode && (
                  <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                    {t('problems.drafts.created', { code: d.problemCode })}
                  </Tag>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(d.createdAt)}
                  {d.photos.length > 0 && ` · ${t('problems.drafts.photos', { count: d.photos.filter((p) => !p.uploaded).length })}`}
                </Typography.Text>
              </Flex>
              {d.error && <Alert type="error" showIcon style={{ marginTop: 6, padding: '2px 8px' }} title={d.error} />}
            </div>
            <Flex vertical gap={4}>
              {d.state === 'failed' && (
                <Button
                  size="small"
                  onClick={async () => {
                    await putDraft({ ...d, state: 'waiting', error: undefined });
                    void sendNow();
                  }}
                >
                  {t('common.retry')}
                </Button>
              )}
              <Popconfirm title={t('problems.drafts.deleteConfirm')} onConfirm={() => void deleteDraft(d.id)} okType="danger">
                <Button size="small" danger type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            </Flex>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}
