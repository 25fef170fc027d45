import { Breadcrumb, Button, Card, Col, Descriptions, Row, Table, Typography } from 'antd';
import { UnorderedListOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { useBatch, type BatchDetail } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { dash } from '../../components/format.ts';
import { yi } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { BatchKindTag } from './BatchesPage.tsx';
import { PhaseTag } from './ledger.tsx';

type Row = BatchDetail['projects'][number];

/** One 集中开工/签约 event: its figures (the whole batch's) and the projects the user may see. */
export default function BatchDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { data: b, isLoading, error, refetch } = useBatch(id);
  const visibleTotal = b ? b.projects.reduce((s, p) => s + (parseYuan(p.totalInvestment) ?? 0n), 0n) : 0n;
  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {b && (
        <>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[{ title: <Link to="/projects">{t('projects.title')}</Link> }, { title: <Link to="/projects/batches">{t('projects.batches.title')}</Link> }, { title: b.name }]}
          />
          <PageHeader
            title={b.name}
            extra={
              <Button icon={<UnorderedListOutlined />} onClick={() => navigate(`/projects?batchId=${b.id}`)}>
                {t('projects.batches.inLedger')}
              </Button>
            }
          />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={8}>
              <Card>
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'kind', label: t('projects.batches.kind'), children: <BatchKindTag kind={b.kind} /> },
                    { key: 'heldOn', label: t('projects.batches.heldOn'), children: b.heldOn },
                    { key: 'location', label: t('projects.batches.location'), children: dash(b.location) },
                    { key: 'count', label: t('projects.batches.projectCount'), children: <span data-testid="batch-count">{b.projectCount}</span> },
                    {
                      key: 'total',
                      label: t('projects.detail.total'),
                      children: (
                        <Typography.Text strong style={{ fontSize: 18 }} data-testid="batch-total">
                          {yi(b.totalInvestment)} {t('projects.unit.yi')}
                        </Typography.Text>
                      ),
                    },
                    { key: 'notes', label: t('projects.fields.notes'), children: dash(b.notes) },
                  ]}
                />
                {b.projects.length < b.projectCount && (
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
                    {t('projects.batches.partial', { shown: b.projects.length, total: b.projectCount, sum: yi(formatYuan(visibleTotal)) })}
                  </Typography.Paragraph>
                )}
              </Card>
            </Col>
            <Col xs={24} xl={16}>
              <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
                <Table<Row>
                  rowKey="id"
                  size={mobile ? 'small' : 'middle'}
                  dataSource={b.projects}
                  pagination={b.projects.length > 50 ? { pageSize: 50 } : false}
                  scroll={{ x: 640 }}
                  columns={[
                    { title: t('projects.fields.code'), dataIndex: 'code', width: 130, render: (v: string) => <span className="qibu-mono">{v}</span> },
                    { title: t('projects.fields.name'), dataIndex: 'name', render: (_, p) => <Link to={`/projects/${p.id}`}>{p.name}</Link> },
                    { title: t('projects.fields.phase'), dataIndex: 'phase', width: 90, render: (_, p) => <PhaseTag phase={p.phase} /> },
                    { title: t('projects.columns.totalInvestment'), dataIndex: 'totalInvestment', width: 140, align: 'right', render: (v: string) => <span className="qibu-num">{yi(v)}</span> },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </QueryState>
  );
}
