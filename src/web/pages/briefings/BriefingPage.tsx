import { Button, Card, Col, Descriptions, Row, Statistic, Tag } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useBriefing } from '../../api/briefings.ts';
import type { briefingsZhCN } from '../../i18n/briefings.ts';
import { formatDateTime } from '../../components/format.ts';
import { percent } from '../../components/money.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { DownloadButtons } from './BriefingsPage.tsx';

/** One issue (/briefings/:id, where the weekly message links): its headline figures and its two files. */
export default function BriefingPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { data: b, isLoading, error, refetch } = useBriefing(id);
  const d = (k: keyof typeof briefingsZhCN.detail): string => t(`briefings.detail.${k}`);
  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {b && (
        <>
          <PageHeader
            title={`${t('briefings.issue', { year: b.year, no: b.issueNo })} · ${b.title}`}
            subtitle={b.period}
            extra={
              <Link to="/briefings">
                <Button icon={<ArrowLeftOutlined />}>{d('back')}</Button>
              </Link>
            }
          />
          <Card size="small" style={{ marginBottom: 12 }} data-testid="briefing-detail">
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
              <Descriptions.Item label={d('issuingBody')}>{b.issuingBody}</Descriptions.Item>
              <Descriptions.Item label={t('briefings.columns.period')}>{b.period}</Descriptions.Item>
              <Descriptions.Item label={d('asOf')}>{b.asOf}</Descriptions.Item>
              <Descriptions.Item label={t('briefings.columns.kind')}>
                <Tag>{t(`briefings.kind.${b.kind}`)}</Tag> {b.generatedByName} {formatDateTime(b.createdAt)}
              </Descriptions.Item>
            </Descriptions>
            <div style={{ marginTop: 8 }}>
              <DownloadButtons b={b} size="middle" />
            </div>
          </Card>
          <Row gutter={[12, 12]}>
            {(
              [
                ['projects', b.figures.projects],
                ['lagging', b.figures.laggingProjects],
                ['investmentRate', percent(b.figures.investmentRate)],
                ['raised', b.figures.problemsRaised],
                ['closed', b.figures.problemsClosed],
                ['open', b.figures.problemsOpen],
                ['overdue', b.figures.problemsOverdue],
                ['onTime', percent(b.figures.onTimeRate)],
                ['held', b.figures.meetingsHeld],
                ['decisionsOpen', b.figures.decisionsOpen],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} xs={12} md={8} lg={6} xl={4}>
                <Card size="small">
                  <Statistic title={d(k)} value={v} valueStyle={k === 'overdue' && Number(v) > 0 ? { color: '#cf1322' } : undefined} />
                </Card>
              </Col>
            ))}
          </Row>
        </>
      )}
    </QueryState>
  );
}
