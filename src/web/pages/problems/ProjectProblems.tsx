import { useState } from 'react';
import { Button, Checkbox, Empty, Flex } from 'antd';
import { PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useProblems, type ProblemListQuery } from '../../api/problems.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { PROBLEM_READ } from '../../modules.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { ProblemTable, type ColumnKey } from './ProblemTable.tsx';

const COLUMNS: ColumnKey[] = ['code', 'title', 'light', 'state', 'priority', 'category', 'leadUnit', 'deadline', 'raisedOn'];

/** A project's 问题 tab: its problems (the list's `projectId` filter) and 提报问题 with the project filled in. */
export function ProjectProblems({ projectId }: { projectId: string }) {
  const me = useCurrentUser();
  if (!me.roles.some((r) => PROBLEM_READ.includes(r))) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<NotForYou />} style={{ padding: '32px 0' }} />;
  return <ProjectProblemList projectId={projectId} />;
}

function NotForYou() {
  const { t } = useTranslation();
  return <>{t('problems.notForRole')}</>;
}

function ProjectProblemList({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [openOnly, setOpenOnly] = useState(false);
  const [query, setQuery] = useState<ProblemListQuery>({ projectId, sort: 'raisedAt', order: 'desc', page: 1, pageSize: 10 });
  const effective: ProblemListQuery = { ...query, ...(openOnly ? { open: 'true' } : {}) };
  const { data, isLoading, isFetching, error, refetch } = useProblems(effective);
  return (
    <div data-testid="project-problems">
      <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/problems/new?projectId=${projectId}`)} data-testid="project-raise-problem">
          {t('problems.raise')}
        </Button>
        <Checkbox checked={openOnly} onChange={(e) => {
            setOpenOnly(e.target.checked);
            setQuery((q) => ({ ...q, page: 1 }));
          }}>
          {t('problems.filters.open')}
        </Checkbox>
        <Link to={`/problems?projectId=${projectId}`} style={{ marginInlineStart: 'auto' }}>
          <UnorderedListOutlined /> {t('problems.inList')}
        </Link>
      </Flex>
      <QueryState loading={false} error={error} retry={() => void refetch()}>
        <ProblemTable
          items={data?.items ?? []}
          total={data?.total ?? 0}
          loading={isLoading || isFetching}
          query={effective}
          columns={COLUMNS}
          cards={mobile}
          onChange={(patch) => setQuery((q) => ({ ...q, ...patch }))}
          testId="project-problem-table"
        />
      </QueryState>
    </div>
  );
}
