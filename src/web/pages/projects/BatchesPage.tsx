import { Card, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useBatches, type Batch } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { dash } from '../../components/format.ts';
import { yi } from '../../components/money.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { LedgerNav, canCreateProjects } from './ledger.tsx';

export function BatchKindTag({ kind }: { kind: Batch['kind'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={kind === 'groundbreaking' ? 'volcano' : 'purple'} style={{ marginInlineEnd: 0 }}>
      {t(`projects.batches.kinds.${kind}`)}
    </Tag>
  );
}

/** 集中开工 / 集中签约: each event with its project count and total investment (亿元). */
export default function BatchesPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { data, isLoading, error, refetch } = useBatches();
  return (
    <>
      <LedgerNav current="batches" canImport={canCreateProjects(me)} />
      <PageHeader title={t('projects.batches.title')} subtitle={t('projects.batches.subtitle')} />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<Batch>
            rowKey="id"
            loading={isLoading}
            dataSource={[...(data ?? [])].sort((a, b) => b.heldOn.localeCompare(a.heldOn))}
            size={mobile ? 'small' : 'middle'}
            pagination={false}
            scroll={{ x: 860 }}
            onRow={(b) => ({ onClick: () => navigate(`/projects/batches/${b.id}`), style: { cursor: 'pointer' } })}
            data-testid="batch-table"
            columns={[
              { title: t('projects.batches.heldOn'), dataIndex: 'heldOn', width: 120 },
              { title: t('projects.batches.kind'), dataIndex: 'kind', width: 110, render: (_, b) => <BatchKindTag kind={b.kind} /> },
              {
                title: t('projects.batches.name'),
                dataIndex: 'name',
                render: (_, b) => (
                  <Link to={`/projects/batches/${b.id}`} onClick={(e) => e.stopPropagation()} style={{ fontWeight: 500 }}>
                    {b.name}
                  </Link>
                ),
              },
              { title: t('projects.batches.location'), dataIndex: 'location', width: 200, render: (v: string | null) => dash(v) },
              { title: t('projects.batches.projectCount'), dataIndex: 'projectCount', width: 100, align: 'right' },
              {
                title: t('projects.batches.total'),
                dataIndex: 'totalInvestment',
                width: 150,
                align: 'right',
                render: (v: string) => <Typography.Text strong className="qibu-num">{yi(v)}</Typography.Text>,
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
