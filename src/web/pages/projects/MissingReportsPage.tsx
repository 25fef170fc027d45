import { Alert, Card, Col, DatePicker, Empty, Flex, List, Row, Statistic, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useMissingReports } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { LedgerNav, canCreateProjects } from './ledger.tsx';
import { thisMonthInZone } from '../../components/format.ts';

/** 月报缺报: projects under way (签约/开工/投产) with no report for the month, by lead unit. */
export default function MissingReportsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const thisMonth = thisMonthInZone();
  const asked = sp.get('month');
  const month = asked && /^\d{4}-\d{2}$/.test(asked) ? asked : thisMonth;
  const { data, isLoading, isFetching, error, refetch } = useMissingReports(month);
  const groups = data?.items ?? [];
  const total = groups.reduce((s, g) => s + g.projects.length, 0);

  return (
    <>
      <LedgerNav current="missing" canImport={canCreateProjects(me)} />
      <PageHeader
        title={t('projects.missing.title')}
        subtitle={t('projects.missing.subtitle')}
        extra={
          <DatePicker
            picker="month"
            allowClear={false}
            inputReadOnly
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.format('YYYY-MM') > thisMonth}
            onChange={(d) => d && setSp({ month: d.format('YYYY-MM') })}
            data-testid="missing-month"
          />
        }
      />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Row gutter={[12, 12]} style={{ marginBottom: 16, opacity: isFetching ? 0.6 : 1 }}>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('projects.missing.units')} value={groups.length} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('projects.missing.projects')} value={total} styles={{ content: { color: total ? '#cf1322' : undefined } }} />
            </Card>
          </Col>
        </Row>
        {month === thisMonth && total > 0 && <Alert type="info" showIcon title={t('projects.missing.currentMonth')} style={{ marginBottom: 16 }} />}
        {groups.length === 0 ? (
          <Card>
            <Empty description={t('projects.missing.none', { month })} />
          </Card>
        ) : (
          <Row gutter={[16, 16]}>
            {groups.map((g) => (
              <Col key={g.unit.id} xs={24} md={12} xxl={8}>
                <Card
                  size="small"
                  title={
                    <Flex align="center" gap={8}>
                      {g.unit.name}
                      <Tag color="error">{t('projects.missing.count', { count: g.projects.length })}</Tag>
                    </Flex>
                  }
                  styles={{ body: { padding: mobile ? '4px 12px' : '4px 16px' } }}
                  data-testid="missing-unit"
                >
                  <List
                    size="small"
                    dataSource={g.projects}
                    renderItem={(p) => (
                      <List.Item style={{ paddingInline: 0 }}>
                        <Link to={`/projects/${p.id}?tab=reports`}>{p.name}</Link>
                        <Typography.Text type="secondary" className="qibu-mono" style={{ fontSize: 12 }}>
                          {p.code}
                        </Typography.Text>
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
            ))}
          </Row>
        )}
      </QueryState>
    </>
  );
}
