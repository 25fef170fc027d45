import { useState } from 'react';
import { App, Breadcrumb, Button, Card, Col, Descriptions, Flex, Result, Row, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { projectKey, projectsApi, projectsKey, usePhaseChanges, useProject, type Project } from '../../api/projects.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { dash, formatDateTime } from '../../components/format.ts';
import { errorText } from '../../components/forms.ts';
import { yi } from '../../components/money.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { ProjectProblems } from '../problems/ProjectProblems.tsx';
import { FilesTab } from './FilesTab.tsx';
import { MeetingsTab } from './MeetingsTab.tsx';
import { MilestonesTab } from './MilestonesTab.tsx';
import { PhaseBar } from './PhaseBar.tsx';
import { ProjectForm } from './ProjectForm.tsx';
import { ReportsTab } from './ReportsTab.tsx';
import { TimelineTab } from './TimelineTab.tsx';
import { LevelTag, PhaseTag, ScheduleTag, phaseLabel } from './ledger.tsx';

const TABS = ['facts', 'milestones', 'reports', 'problems', 'meetings', 'files', 'timeline'] as const;
type TabKey = (typeof TABS)[number];

function Figures({ p }: { p: Project }) {
  const { t } = useTranslation();
  const unit = t('projects.unit.yi');
  const items: [string, string | null][] = [
    [t('projects.detail.total'), p.totalInvestment],
    [t('projects.detail.yearPlan', { year: p.year }), p.yearPlannedInvestment],
    [t('projects.detail.yearDone', { year: p.year }), p.yearCompletedInvestment],
    [t('projects.detail.yearFunds', { year: p.year }), p.yearFundsInPlace],
    [t('projects.detail.cumInvestment'), p.cumulativeInvestment],
    [t('projects.detail.cumFunds'), p.cumulativeFundsInPlace],
  ];
  return (
    <Row gutter={[16, 12]}>
      {items.map(([label, v]) => (
        <Col key={label} xs={12} md={8} xl={4}>
          <div className="qibu-figure-label">{label}</div>
          <div className="qibu-figure-value">
            {yi(v)}
            <span style={{ fontSize: 12, fontWeight: 400, marginInlineStart: 3 }}>{unit}</span>
          </div>
        </Col>
      ))}
    </Row>
  );
}

function Facts({ p }: { p: Project }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const phases = usePhaseChanges(p.id);
  return (
    <>
      <Descriptions
        className="qibu-facts"
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2, xl: 3 }}
        styles={{ label: { width: mobile ? 96 : 130, whiteSpace: 'nowrap' } }}
        items={[
          { key: 'code', label: t('projects.fields.code'), children: <span className="qibu-mono">{p.code}</span> },
          { key: 'name', label: t('projects.fields.name'), children: p.name, span: mobile ? 1 : 2 },
          { key: 'enterprise', label: t('projects.fields.enterprise'), children: dash(p.enterprise?.name) },
          { key: 'industry', label: t('projects.fields.industry'), children: dash(p.industry?.label) },
          { key: 'kind', label: t('projects.fields.kind'), children: dash(p.kind?.label) },
          { key: 'level', label: t('projects.fields.level'), children: <LevelTag level={p.level} /> },
          { key: 'command', label: t('projects.fields.command'), children: dash(p.command?.name) },
          { key: 'leadUnit', label: t('projects.fields.leadUnit'), children: dash(p.leadUnit?.name) },
          { key: 'leader', label: t('projects.fields.leader'), children: dash(p.leader?.displayName) },
          { key: 'taskForce', label: t('projects.fields.taskForce'), children: dash(p.taskForce?.name) },
          { key: 'cluster', label: t('projects.fields.clusterUnit'), children: dash(p.clusterUnit?.name) },
          { key: 'area', label: t('projects.fields.areaUnit'), children: dash(p.areaUnit?.name) },
          { key: 'address', label: t('projects.fields.address'), children: dash(p.address), span: mobile ? 1 : 2 },
          { key: 'coords', label: t('projects.detail.coords'), children: p.longitude && p.latitude ? <span className="qibu-mono">{`${p.longitude}, ${p.latitude}`}</span> : '—' },
          { key: 'plannedStartOn', label: t('projects.fields.plannedStartOn'), children: dash(p.plannedStartOn) },
          { key: 'plannedCompletionOn', label: t('projects.fields.plannedCompletionOn'), children: dash(p.plannedCompletionOn) },
          { key: 'lastReportMonth', label: t('projects.fields.lastReportMonth'), children: dash(p.lastReportMonth) },
          {
            key: 'batches',
            label: t('projects.fields.batches'),
            children: p.batches.length ? (
              <Space size={[4, 4]} wrap>
                {p.batches.map((b) => (
                  <Link key={b.id} to={`/projects/batches/${b.id}`}>
                    <Tag color="gold" style={{ marginInlineEnd: 0, whiteSpace: 'normal', height: 'auto' }}>
                      {b.name}
                    </Tag>
                  </Link>
                ))}
              </Space>
            ) : (
              '—'
            ),
            span: mobile ? 1 : 2,
          },
          { key: 'updatedAt', label: t('projects.fields.updatedAt'), children: formatDateTime(p.updatedAt) },
          { key: 'notes', label: t('projects.fields.notes'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{dash(p.notes)}</span>, span: mobile ? 1 : 3 },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('projects.phase.history')}
      </Typography.Title>
      <Table
        size="small"
        rowKey={(r) => `${r.at}-${r.toPhase}`}
        loading={phases.isLoading}
        dataSource={phases.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: phases.error ? errorText(phases.error) : t('projects.phase.noHistory') }}
        columns={[
          { title: t('projects.phase.on'), dataIndex: 'onDate', width: 110 },
          { title: t('projects.phase.change'), key: 'c', width: 160, render: (_, r) => `${phaseLabel(r.fromPhase, lang)} → ${phaseLabel(r.toPhase, lang)}` },
          { title: t('projects.phase.reason'), dataIndex: 'reason', render: (v: string | null) => dash(v) },
          { title: t('projects.phase.actor'), key: 'a', width: 140, render: (_, r) => dash(r.actor?.displayName) },
          { title: t('projects.phase.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
        ]}
      />
    </>
  );
}

/** 项目详情: figures, the phase bar with its moves, and tabs for facts, milestones, reports, problems, meetings, files, timeline. */
export default function ProjectDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const { data: p, isLoading, error, refetch } = useProject(id);
  const tabParam = sp.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'facts';

  const reloadAll = async () => {
    await qc.invalidateQueries({ queryKey: projectKey(id) });
    void qc.invalidateQueries({ queryKey: [...projectsKey, 'list'] });
  };
  const onConflict = (msg: string) => {
    setEditing(false);
    modal.confirm({
      title: t('projects.detail.conflictTitle'),
      content: msg,
      okText: t('projects.detail.reload'),
      cancelText: t('common.close'),
      onOk: async () => {
        await reloadAll();
        message.info(t('projects.detail.reloaded'));
      },
    });
  };
  const onChanged = (next: Project) => {
    qc.setQueryData(projectKey(id), next);
    void reloadAll();
  };

  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={t('projects.detail.notFound')}
        subTitle={t('projects.detail.notFoundHint')}
        extra={
          <Button type="primary" onClick={() => navigate('/projects')}>
            {t('projects.detail.backToList')}
          </Button>
        }
      />
    );

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {p && (
        <>
          <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/projects">{t('projects.title')}</Link> }, { title: p.code }]} />
          <Card styles={{ body: { padding: mobile ? 14 : 24 } }} style={{ marginBottom: 16 }}>
            <Flex justify="space-between" align="flex-start" gap={12} vertical={mobile}>
              <div style={{ minWidth: 0 }}>
                <Typography.Title level={mobile ? 4 : 3} style={{ margin: 0 }} data-testid="project-title">
                  {p.name}
                </Typography.Title>
                <Space size={[6, 6]} wrap style={{ marginTop: 8 }}>
                  <Tag className="qibu-mono" style={{ marginInlineEnd: 0 }}>
                    {p.code}
                  </Tag>
                  <PhaseTag phase={p.phase} />
                  <LevelTag level={p.level} />
                  <ScheduleTag schedule={p.schedule} />
                  {p.industry && (
                    <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                      {p.industry.label}
                    </Tag>
                  )}
                </Space>
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
                  {[p.enterprise?.name, p.command?.name, p.leadUnit?.name, p.leader ? `${t('projects.fields.leader')} ${p.leader.displayName}` : null].filter(Boolean).join(' · ') || '—'}
                </Typography.Text>
              </div>
              <Space wrap className="qibu-no-print">
                {p.can.update && (
                  <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="project-edit">
                    {t('common.edit')}
                  </Button>
                )}
                <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
                  {t('projects.detail.print')}
                </Button>
                {p.can.delete && (
                  <Button
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() =>
                      modal.confirm({
                        title: t('common.delete'),
                        content: t('projects.detail.deleteConfirm', { name: p.name }),
                        okType: 'danger',
                        onOk: async () => {
                          try {
                            await projectsApi.remove(p.id, p.version);
                            message.success(t('common.deleted'));
                            void qc.invalidateQueries({ queryKey: projectsKey });
                            navigate('/projects');
                          } catch (e) {
                            if (e instanceof ApiError && e.status === 409) onConflict(e.message);
                            else message.error(errorText(e));
                          }
                        },
                      })
                    }
                  >
                    {t('common.delete')}
                  </Button>
                )}
              </Space>
            </Flex>
            <div style={{ marginTop: 20 }}>
              <Figures p={p} />
            </div>
            <div style={{ marginTop: 24 }}>
              <PhaseBar project={p} onMoved={onChanged} onConflict={onConflict} />
            </div>
          </Card>
          <Card styles={{ body: { padding: mobile ? '4px 12px 12px' : '8px 24px 24px' } }}>
            <Tabs
              activeKey={tab}
              onChange={(k) => setSp(k === 'facts' ? {} : { tab: k }, { replace: true })}
              data-testid="project-tabs"
              items={[
                { key: 'facts', label: t('projects.tabs.facts'), children: <Facts p={p} /> },
                { key: 'milestones', label: t('projects.tabs.milestones'), children: <MilestonesTab project={p} /> },
                { key: 'reports', label: t('projects.tabs.reports'), children: <ReportsTab project={p} /> },
                { key: 'problems', label: t('projects.tabs.problems'), children: tab === 'problems' ? <ProjectProblems projectId={p.id} /> : null },
                { key: 'meetings', label: t('projects.tabs.meetings'), children: tab === 'meetings' ? <MeetingsTab projectId={p.id} /> : null },
                { key: 'files', label: t('projects.tabs.files'), children: <FilesTab project={p} /> },
                { key: 'timeline', label: t('projects.tabs.timeline'), children: tab === 'timeline' ? <TimelineTab projectId={p.id} /> : null },
              ]}
            />
          </Card>
          {editing && (
            <ProjectForm
              key={p.version}
              open={editing}
              project={p}
              onClose={() => setEditing(false)}
              onSaved={(next) => {
                setEditing(false);
                onChanged(next);
              }}
              onConflict={onConflict}
            />
          )}
        </>
      )}
    </QueryState>
  );
}
