import { useMemo } from 'react';
import { Button, Card, Col, Empty, Flex, Row, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Light } from '../../../shared/problem-flow.ts';
import { useProblems, type ProblemListItem } from '../../api/problems.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useDrafts } from '../../offline/useDrafts.ts';
import { DraftsList } from './DraftsList.tsx';
import { ProblemCard } from './ProblemTable.tsx';
import { LIGHT_COLORS, LIGHT_ORDER, LightDot, ProblemsNav } from './problems.tsx';

type Group = Light | 'none';
const GROUPS: Group[] = ['red', 'yellow', 'green', 'none'];

/** 我的待办: what waits for my action now, red first, then by deadline; each card names the next step. */
export default function TodoPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { drafts } = useDrafts(me.user.id);
  const { data, isLoading, isFetching, error, refetch } = useProblems({ todo: 'true', sort: 'deadline', order: 'asc', pageSize: 200 });
  const groups = useMemo(() => {
    const by = new Map<Group, ProblemListItem[]>(GROUPS.map((g) => [g, []]));
    for (const p of data?.items ?? []) by.get(p.light ?? 'none')!.push(p);
    return GROUPS.map((g) => ({ light: g, items: by.get(g)! })).sort((a, b) => LIGHT_ORDER[a.light] - LIGHT_ORDER[b.light]);
  }, [data]);
  const total = data?.total ?? 0;

  return (
    <>
      <ProblemsNav current="todo" drafts={drafts.length} />
      <PageHeader
        title={t('problems.todoTitle')}
        subtitle={t('problems.todoSubtitle', { count: total })}
        extra={
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/problems/new')} data-testid="problem-raise">
              {t('problems.raise')}
            </Button>
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      {drafts.length > 0 && <DraftsList drafts={drafts} />}
      <Row gutter={[mobile ? 8 : 12, mobile ? 8 : 12]} style={{ marginBottom: mobile ? 12 : 16 }} data-testid="todo-lights">
        {groups.map((g) => (
          <Col key={g.light} xs={6}>
            <Card size="small" styles={{ body: { padding: mobile ? '8px 6px' : '12px 16px' } }}>
              <Flex vertical={mobile} align={mobile ? 'center' : 'center'} gap={mobile ? 2 : 10}>
                <LightDot light={g.light === 'none' ? null : g.light} size={mobile ? 10 : 14} />
                <span style={{ fontSize: mobile ? 18 : 24, fontWeight: 600, color: g.light === 'none' ? undefined : LIGHT_COLORS[g.light] }} className="qibu-num" data-testid={`todo-count-${g.light}`}>
                  {g.items.length}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                  {t(`problems.todoGroups.${g.light}`)}
                </Typography.Text>
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        {total === 0 ? (
          <Card>
            <Empty description={t('problems.todoEmpty')}>
              <Link to="/problems" state={{ list: true }}>
                {t('problems.toList')}
              </Link>
            </Empty>
          </Card>
        ) : (
          <div data-testid="todo-list">
            {groups
              .filter((g) => g.items.length > 0)
              .map((g) => (
                <section key={g.light} style={{ marginBottom: mobile ? 14 : 20 }} data-testid={`todo-group-${g.light}`}>
                  <Flex align="center" gap={8} style={{ margin: '4px 0 8px' }}>
                    <LightDot light={g.light === 'none' ? null : g.light} />
                    <Typography.Text strong>{t(`problems.todoGroups.${g.light}`)}</Typography.Text>
                    <Typography.Text type="secondary">{g.items.length}</Typography.Text>
                  </Flex>
                  <Row gutter={[12, 8]}>
                    {g.items.map((p) => (
                      <Col key={p.id} xs={24} lg={12} xxl={8}>
                        <ProblemCard p={p} showNext />
                      </Col>
                    ))}
                  </Row>
                </section>
              ))}
            {total > (data?.items.length ?? 0) && (
              <Typography.Text type="secondary">
                {t('problems.todoMore', { shown: data?.items.length ?? 0, total })} <Link to="/problems?todo=true">{t('problems.toList')}</Link>
              </Typography.Text>
            )}
          </div>
        )}
      </QueryState>
    </>
  );
}
