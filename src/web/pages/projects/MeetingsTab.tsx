import { Card, Empty, Flex, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { meetingsKey, type MeetingListItem } from '../../api/meetings.ts';
import type { Items } from '../../api/types.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { MEETING_READ } from '../../modules.tsx';
import { MeetingStatusTag, STATUS_COLORS, whenText } from '../meetings/meetings.tsx';

/**
 * The meetings that touched a project (`GET /api/meetings?projectId=&order=desc`: every date, newest first, within
 * the caller's meetings). Under the meetings key, so a change to a meeting refreshes it.
 */
function useProjectMeetings(projectId: string) {
  const query = { projectId, order: 'desc' } as const;
  return useQuery({
    queryKey: [...meetingsKey, 'list', query],
    queryFn: () => api.get<Items<MeetingListItem>>('/api/meetings', query).then((r) => r.items),
  });
}

/** A project's 会议 tab: the meetings about it, each linking to the meeting. Roles outside meetings get a note. */
export function MeetingsTab({ projectId }: { projectId: string }) {
  const me = useCurrentUser();
  const { t } = useTranslation();
  if (!me.roles.some((r) => MEETING_READ.includes(r)))
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.meetings.notForRole')} style={{ padding: '32px 0' }} />;
  return <ProjectMeetingList projectId={projectId} />;
}

function Decisions({ m }: { m: MeetingListItem }) {
  const { t } = useTranslation();
  if (!m.decisionCount) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span className="qibu-num">
      {t('projects.meetings.decisionCount', { count: m.decisionCount })}
      {m.openDecisionCount > 0 && <Typography.Text type="warning">{` · ${t('projects.meetings.openCount', { count: m.openDecisionCount })}`}</Typography.Text>}
    </span>
  );
}

function ProjectMeetingList({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const { data, isLoading, error, refetch } = useProjectMeetings(projectId);
  const list = data ?? [];
  const empty = (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.meetings.empty')} data-testid="project-meetings-empty">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('projects.meetings.emptyHint')}
      </Typography.Text>
    </Empty>
  );

  return (
    <div data-testid="project-meetings">
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
          {t('projects.meetings.note')}
        </Typography.Text>
        {mobile ? (
          list.length ? (
            list.map((m) => (
              <Link key={m.id} to={`/meetings/${m.id}`} style={{ display: 'block', color: 'inherit' }} data-testid="project-meeting" data-id={m.id}>
                <Card size="small" hoverable styles={{ body: { padding: 12 } }} style={{ borderInlineStart: `4px solid ${STATUS_COLORS[m.status] ?? '#8c8c8c'}`, marginBottom: 8 }}>
                  <Flex justify="space-between" gap={8} align="flex-start">
                    <Typography.Text strong style={{ lineHeight: 1.4, minWidth: 0 }}>
                      {m.title}
                    </Typography.Text>
                    <MeetingStatusTag status={m.status} />
                  </Flex>
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13, marginTop: 4 }}>
                    <span className="qibu-num">{whenText(m, lang)}</span>
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
                    {m.body.name}
                    {m.decisionCount > 0 && (
                      <>
                        {` · ${t('projects.meetings.decisions')} `}
                        <Decisions m={m} />
                      </>
                    )}
                  </Typography.Text>
                </Card>
              </Link>
            ))
          ) : (
            empty
          )
        ) : (
          <Table<MeetingListItem>
            rowKey="id"
            size="middle"
            dataSource={list}
            pagination={list.length > 20 ? { pageSize: 20, size: 'small' } : false}
            scroll={{ x: 900 }}
            locale={{ emptyText: empty }}
            columns={[
              { title: t('projects.meetings.date'), key: 'when', width: 250, render: (_, m) => <span className="qibu-num">{whenText(m, lang)}</span> },
              {
                title: t('projects.meetings.meeting'),
                key: 'title',
                render: (_, m) => (
                  <Link to={`/meetings/${m.id}`} data-testid="project-meeting" data-id={m.id}>
                    {m.title}
                  </Link>
                ),
              },
              { title: t('projects.meetings.body'), key: 'body', width: 220, render: (_, m) => m.body.name },
              { title: t('projects.meetings.status'), key: 'status', width: 110, render: (_, m) => <MeetingStatusTag status={m.status} /> },
              { title: t('projects.meetings.decisions'), key: 'decisions', width: 150, render: (_, m) => <Decisions m={m} /> },
            ]}
          />
        )}
      </QueryState>
    </div>
  );
}
