import { useState, type ReactNode } from 'react';
import { Badge, Breadcrumb, Button, Card, Dropdown, Flex, Result, Space, Tabs, Tag, Typography } from 'antd';
import {
  ClockCircleOutlined,
  EditOutlined,
  EnvironmentOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  FileWordOutlined,
  FlagOutlined,
  ReloadOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { meetingsApi, useMeeting, type MeetingDetail } from '../../api/meetings.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { AgendaTab } from './AgendaTab.tsx';
import { AttendanceTab } from './AttendanceTab.tsx';
import { MeetingProvider } from './context.tsx';
import { DecisionsTab } from './DecisionsTab.tsx';
import { EditMeetingModal } from './EditMeetingModal.tsx';
import { FollowUpTab } from './FollowUpTab.tsx';
import { IssueTab } from './IssueTab.tsx';
import { MeetingStatusTag, MeetingTypeTag, whenText } from './meetings.tsx';
import { MinutesTab } from './MinutesTab.tsx';

const TABS = ['agenda', 'attendance', 'minutes', 'decisions', 'followup', 'issue'] as const;
type TabKey = (typeof TABS)[number];

function Line({ icon, children, testId }: { icon: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Flex gap={8} align="flex-start" style={{ marginTop: 6 }} data-testid={testId}>
      <span style={{ color: 'rgba(0,0,0,0.45)', paddingTop: 1 }}>{icon}</span>
      <span style={{ minWidth: 0 }}>{children}</span>
    </Flex>
  );
}

/** 纪要 and 签到表 as PDF or Word, built by the server. */
function Documents({ m }: { m: MeetingDetail }) {
  const { t } = useTranslation();
  const items = [
    ...(m.minutesVersion > 0
      ? [
          { key: 'minutes.pdf', icon: <FilePdfOutlined style={{ color: '#cf1322' }} />, label: <a href={meetingsApi.minutesPath(m.id, 'pdf')} target="_blank" rel="noopener">{t('meetings.docs.minutes')} (PDF)</a> },
          { key: 'minutes.docx', icon: <FileWordOutlined style={{ color: '#1f4e9a' }} />, label: <a href={meetingsApi.minutesPath(m.id, 'docx')} download>{t('meetings.docs.minutes')} (Word)</a> },
        ]
      : []),
    { key: 'sheet.pdf', icon: <FilePdfOutlined style={{ color: '#cf1322' }} />, label: <a href={meetingsApi.attendanceSheetPath(m.id, 'pdf')} target="_blank" rel="noopener">{t('meetings.docs.sheet')} (PDF)</a> },
    { key: 'sheet.docx', icon: <FileWordOutlined style={{ color: '#1f4e9a' }} />, label: <a href={meetingsApi.attendanceSheetPath(m.id, 'docx')} download>{t('meetings.docs.sheet')} (Word)</a> },
  ];
  return (
    <Dropdown trigger={['click']} menu={{ items }}>
      <Button icon={<FileTextOutlined />} data-testid="meeting-documents">
        {t('meetings.docs.title')}
      </Button>
    </Dropdown>
  );
}

function Header({ m, onEdit, refreshing, refresh }: { m: MeetingDetail; onEdit: () => void; refreshing: boolean; refresh: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const invitees = [...m.invitees.units, ...m.invitees.commands].map((x) => x.name).join('、');
  return (
    <Card styles={{ body: { padding: mobile ? 14 : 24 } }} style={{ marginBottom: 16 }}>
      <Flex justify="space-between" align="flex-start" gap={12} vertical={mobile}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={mobile ? 4 : 3} style={{ margin: 0 }} data-testid="meeting-title">
            {m.title}
          </Typography.Title>
          <Flex gap={6} wrap="wrap" align="center" style={{ marginTop: 8 }}>
            <MeetingStatusTag status={m.status} />
            <MeetingTypeTag type={m.type} />
            {m.seriesId && (
              <Tag bordered={false} color="purple" style={{ marginInlineEnd: 0 }}>
                {t('meetings.series')}
              </Tag>
            )}
            {m.minutesVersion > 0 && (
              <Tag bordered={false} color="green" style={{ marginInlineEnd: 0 }} data-testid="meeting-minutes-version">
                {t('meetings.minutesVersionTag', { version: m.minutesVersion })}
              </Tag>
            )}
            {m.minutesChanged && (
              <Tag bordered={false} color="warning" style={{ marginInlineEnd: 0 }}>
                {t('meetings.minutesChanged')}
              </Tag>
            )}
          </Flex>
          <Line icon={<ClockCircleOutlined />} testId="meeting-when">
            <span className="qibu-num">{whenText(m, lang)}</span>
          </Line>
          {m.place && (
            <Line icon={<EnvironmentOutlined />} testId="meeting-place">
              {m.place}
            </Line>
          )}
          <Line icon={<UserOutlined />}>{m.chair ? t('meetings.chairIs', { name: m.chair.name }) : t('meetings.noChair')}</Line>
          <Line icon={<FlagOutlined />}>{m.body.name}</Line>
          {invitees && (
            <Line icon={<TeamOutlined />} testId="meeting-invitees">
              {t('meetings.inviteesIs', { names: invitees })}
            </Line>
          )}
        </div>
        <Space wrap className="qibu-no-print">
          {m.can.update && (
            <Button icon={<EditOutlined />} onClick={onEdit} data-testid="meeting-edit">
              {t('common.edit')}
            </Button>
          )}
          <Documents m={m} />
          <Button icon={<ReloadOutlined />} loading={refreshing} onClick={refresh} aria-label={t('common.refresh')} />
        </Space>
      </Flex>
    </Card>
  );
}

/** 会议: the header, and 议程 · 出席 · 纪要 · 议定事项 · 跟踪 · 印发 (usable on a phone during the meeting). */
export default function MeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const { data: m, isLoading, isFetching, error, refetch } = useMeeting(id);
  const tabParam = sp.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'agenda';

  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={t('meetings.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/meetings')}>
            {t('meetings.calendar.title')}
          </Button>
        }
      />
    );

  const reload = async () => {
    await refetch();
  };
  const openFollowUp = m ? m.followUp.filter((f) => f.decision.open).length : 0;
  const count = (n: number) => (n ? <Badge count={n} size="small" color="#8c8c8c" offset={[4, -2]} /> : null);

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {m && (
        <MeetingProvider m={m} reload={reload}>
          <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/meetings?date=${m.heldOn}`}>{t('meetings.calendar.title')}</Link> }, { title: m.title }]} />
          <Header m={m} onEdit={() => setEditing(true)} refreshing={isFetching} refresh={() => void refetch()} />
          <Card styles={{ body: { padding: mobile ? '0 10px 12px' : '8px 24px 24px' } }}>
            <Tabs
              activeKey={tab}
              size={mobile ? 'small' : 'middle'}
              tabBarGutter={mobile ? 14 : undefined}
              onChange={(k) => setSp(k === 'agenda' ? {} : { tab: k }, { replace: true })}
              data-testid="meeting-tabs"
              items={[
                { key: 'agenda', label: <span data-testid="tab-agenda">{t('meetings.tabs.agenda')}{count(m.agenda.length)}</span>, children: <AgendaTab /> },
                { key: 'attendance', label: <span data-testid="tab-attendance">{t('meetings.tabs.attendance')}</span>, children: tab === 'attendance' ? <AttendanceTab /> : null },
                { key: 'minutes', label: <span data-testid="tab-minutes">{t('meetings.tabs.minutes')}</span>, children: tab === 'minutes' ? <MinutesTab /> : null },
                { key: 'decisions', label: <span data-testid="tab-decisions">{t('meetings.tabs.decisions')}{count(m.decisions.length)}</span>, children: tab === 'decisions' ? <DecisionsTab /> : null },
                { key: 'followup', label: <span data-testid="tab-followup">{t('meetings.tabs.followUp')}{count(openFollowUp)}</span>, children: tab === 'followup' ? <FollowUpTab /> : null },
                { key: 'issue', label: <span data-testid="tab-issue">{t('meetings.tabs.issue')}</span>, children: tab === 'issue' ? <IssueTab /> : null },
              ]}
            />
          </Card>
          {editing && <EditMeetingModal onClose={() => setEditing(false)} />}
        </MeetingProvider>
      )}
    </QueryState>
  );
}
