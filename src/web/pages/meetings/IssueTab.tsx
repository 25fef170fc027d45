import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Input, Space, Tag, Typography } from 'antd';
import { FilePdfOutlined, FileWordOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { meetingsApi, useMeetingUpdated, type MeetingDetail } from '../../api/meetings.ts';
import { formatDateTime } from '../../components/format.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useMeetingCtx } from './context.tsx';

function DocLinks({ m, version, testPrefix }: { m: MeetingDetail; version?: number; testPrefix: string }) {
  const mobile = useIsMobile();
  const size = mobile ? 'middle' : 'small';
  return (
    <Space wrap>
      <Button size={size} icon={<FilePdfOutlined style={{ color: '#cf1322' }} />} href={meetingsApi.minutesPath(m.id, 'pdf', version)} target="_blank" rel="noopener" data-testid={`${testPrefix}-pdf`}>
        PDF
      </Button>
      <Button size={size} icon={<FileWordOutlined style={{ color: '#1f4e9a' }} />} href={meetingsApi.minutesPath(m.id, 'docx', version)} download data-testid={`${testPrefix}-docx`}>
        Word
      </Button>
    </Space>
  );
}

/** 印发: freeze the minutes as a numbered version (a later change is issued as the next version); every version kept. */
export function IssueTab() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { modal, message } = App.useApp();
  const { m, latest, fail } = useMeetingCtx();
  const updated = useMeetingUpdated();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const next = m.minutesVersion + 1;

  const issue = () =>
    modal.confirm({
      title: m.minutesVersion ? t('meetings.issue.confirmRevision', { version: next }) : t('meetings.issue.confirm'),
      content: t('meetings.issue.confirmHint'),
      okText: t('meetings.issue.ok'),
      okButtonProps: { 'data-testid': 'issue-ok' },
      onOk: async () => {
        setBusy(true);
        try {
          const done = await meetingsApi.issue(m.id, latest().version, reason.trim() || undefined);
          updated(done);
          setReason('');
          message.success(t('meetings.issue.done', { number: done.minutesVersions.at(-1)?.documentNumber ?? '' }));
        } catch (e) {
          await fail(e, null);
        } finally {
          setBusy(false);
        }
      },
    });

  const versions = [...m.minutesVersions].reverse();
  const missing = [m.agenda.length === 0 && t('meetings.issue.noAgenda'), m.attendance.length === 0 && t('meetings.issue.noAttendance'), m.decisions.length === 0 && t('meetings.issue.noDecisions')].filter(
    (x): x is string => !!x,
  );

  return (
    <div data-testid="issue-tab">
      {m.can.issue && (
        <Card size="small" style={{ marginBottom: 16 }} title={m.minutesVersion ? t('meetings.issue.revisionTitle', { version: next }) : t('meetings.issue.title')}>
          {missing.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('meetings.issue.missing', { what: missing.join('、') })} />}
          <Typography.Paragraph type="secondary">{t('meetings.issue.hint')}</Typography.Paragraph>
          {m.minutesVersion > 0 && (
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={200}
              autoSize={{ minRows: 1, maxRows: 3 }}
              placeholder={t('meetings.issue.reasonPlaceholder')}
              style={{ marginBottom: 12 }}
              data-testid="issue-reason"
            />
          )}
          <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={issue} size={mobile ? 'large' : 'middle'} block={mobile} data-testid="issue-minutes">
            {m.minutesVersion ? t('meetings.issue.buttonRevision', { version: next }) : t('meetings.issue.button')}
          </Button>
        </Card>
      )}
      {!m.can.issue && m.minutesVersion > 0 && !m.minutesChanged && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('meetings.issue.upToDate', { version: m.minutesVersion })} />}
      <Typography.Title level={5}>{t('meetings.issue.versions')}</Typography.Title>
      {versions.length === 0 ? (
        <Empty description={t('meetings.issue.noVersions')} style={{ marginBottom: 16 }} />
      ) : (
        versions.map((v) => (
          <Card key={v.minutesVersion} size="small" style={{ marginBottom: 8 }} data-testid="minutes-version" data-version={v.minutesVersion}>
            <Flex justify="space-between" align={mobile ? 'flex-start' : 'center'} gap={8} vertical={mobile}>
              <div>
                <Space size={6} wrap>
                  <Typography.Text strong data-testid="minutes-document-number">
                    {v.documentNumber}
                  </Typography.Text>
                  <Tag bordered={false} color={v.minutesVersion === m.minutesVersion ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
                    {t('meetings.minutesVersionTag', { version: v.minutesVersion })}
                  </Tag>
                </Space>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
                  {t('meetings.issue.issuedBy', { name: v.issuedByName, at: formatDateTime(v.issuedAt) })}
                  {v.reason ? ` · ${t('meetings.issue.reasonIs', { reason: v.reason })}` : ''}
                </Typography.Text>
              </div>
              <DocLinks m={m} version={v.minutesVersion} testPrefix={`minutes-v${v.minutesVersion}`} />
            </Flex>
          </Card>
        ))
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('meetings.docs.sheet')}
      </Typography.Title>
      <Space wrap>
        <Button icon={<FilePdfOutlined style={{ color: '#cf1322' }} />} href={meetingsApi.attendanceSheetPath(m.id, 'pdf')} target="_blank" rel="noopener" data-testid="attendance-sheet-pdf">
          {t('meetings.docs.sheet')} (PDF)
        </Button>
        <Button icon={<FileWordOutlined style={{ color: '#1f4e9a' }} />} href={meetingsApi.attendanceSheetPath(m.id, 'docx')} download data-testid="attendance-sheet-docx">
          {t('meetings.docs.sheet')} (Word)
        </Button>
      </Space>
    </div>
  );
}
