import { useState, type ReactNode } from 'react';
import { Alert, Breadcrumb, Button, Card, Collapse, Descriptions, Dropdown, Flex, Result, Space, Tabs, Tag, Typography } from 'antd';
import { FilePdfOutlined, FileWordOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ACTIONS, type ProblemAction } from '../../../shared/problem-flow.ts';
import { ApiError } from '../../api/client.ts';
import { problemsApi, useProblem, type ProblemDetail } from '../../api/problems.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { dash, formatDateTime } from '../../components/format.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { ActionForm } from './ActionForm.tsx';
import { ProblemFiles } from './ProblemFiles.tsx';
import { ProblemTimeline } from './ProblemTimeline.tsx';
import { FlagTags, escalationLabel } from './ProblemTable.tsx';
import { Deadline, LightCell, PriorityTag, StateTag, actionLabel, sourceLabel } from './problems.tsx';

const TABS = ['timeline', 'files'] as const;
type TabKey = (typeof TABS)[number];

const PRIMARY = new Set<ProblemAction>(['assign', 'accept', 'reassign', 'submit', 'close', 'approve_request', 'resume']);
const DANGER = new Set<ProblemAction>(['hand_back', 'return', 'refuse_request']);

/** Where the problem came from, linked: the project's page, or the meeting / report named by the server. */
function Source({ p }: { p: ProblemDetail }) {
  const lang = useLang();
  const label = sourceLabel(p.source, lang);
  const title = p.sourceTitle ?? p.sourceNote;
  let link: ReactNode = title;
  if (p.sourceId && title) {
    if (p.source === 'meeting') link = <Link to={`/meetings/${p.sourceId}`}>{title}</Link>;
    else if (p.source === 'report' && p.project) link = <Link to={`/projects/${p.project.id}?tab=reports`}>{title}</Link>;
  }
  return (
    <span>
      {label}
      {link && <> · {link}</>}
      {p.sourceTitle && p.sourceNote && p.sourceNote !== p.sourceTitle && <Typography.Text type="secondary"> （{p.sourceNote}）</Typography.Text>}
    </span>
  );
}

function Facts({ p }: { p: ProblemDetail }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const items = [
    { key: 'code', label: t('problems.fields.code'), children: <span className="qibu-mono">{p.code}</span> },
    { key: 'state', label: t('problems.fields.state'), children: <StateTag state={p.state} /> },
    { key: 'light', label: t('problems.fields.light'), children: <LightCell p={p} /> },
    { key: 'deadline', label: t('problems.fields.deadline'), children: <Deadline deadline={p.deadline} provisional={p.deadlineProvisional} /> },
    { key: 'command', label: t('problems.fields.command'), children: dash(p.command?.name) },
    { key: 'project', label: t('problems.fields.project'), children: p.project ? <Link to={`/projects/${p.project.id}`}>{p.project.name}</Link> : '—' },
    { key: 'leadUnit', label: t('problems.fields.leadUnit'), children: p.leadUnit ? p.leadUnit.name : t('problems.notAssigned') },
    { key: 'cooperating', label: t('problems.fields.cooperatingUnits'), children: p.cooperatingUnits.length ? p.cooperatingUnits.map((u) => u.name).join('、') : '—' },
    { key: 'category', label: t('problems.fields.category'), children: dash(p.categoryLabel ?? p.category) },
    { key: 'priority', label: t('problems.fields.priority'), children: <PriorityTag priority={p.priority} /> },
    { key: 'source', label: t('problems.fields.source'), children: <Source p={p} /> },
    {
      key: 'escalation',
      label: t('problems.fields.escalation'),
      children: (
        <span>
          {escalationLabel(p.escalation, lang)}
          {p.externalUnit && ` · ${p.externalUnit}`}
        </span>
      ),
    },
    { key: 'raised', label: t('problems.fields.raisedBy'), children: `${p.raisedBy?.name ?? p.raisedByName} · ${formatDateTime(p.raisedAt)}` },
    { key: 'assignedOn', label: t('problems.fields.assignedOn'), children: p.assignedOn ? `${p.assignedOn}${p.deadlineWorkdays ? ` · ${t('problems.workdaysAllowed', { count: p.deadlineWorkdays })}` : ''}` : '—' },
    { key: 'place', label: t('problems.fields.place'), children: [p.placeUnit?.name, p.address].filter(Boolean).join(' · ') || '—' },
    {
      key: 'coords',
      label: t('problems.fields.coords'),
      children: p.longitude && p.latitude ? <span className="qibu-mono">{`${p.longitude}, ${p.latitude}`}</span> : '—',
    },
    ...(p.closedAt
      ? [
          {
            key: 'closed',
            label: t('problems.fields.closedOn'),
            children: (
              <span>
                {formatDateTime(p.closedAt)}
                {p.closedOnTime !== null && (
                  <Tag color={p.closedOnTime ? 'success' : 'error'} bordered={false} style={{ marginInlineStart: 6 }}>
                    {p.closedOnTime ? t('problems.onTime') : t('problems.late')}
                  </Tag>
                )}
                {p.workdaysToClose !== null && <Typography.Text type="secondary"> · {t('problems.workdaysToClose', { count: p.workdaysToClose })}</Typography.Text>}
              </span>
            ),
          },
        ]
      : []),
    {
      key: 'counts',
      label: t('problems.fields.counts'),
      children: t('problems.counts', { returns: p.returnCount, handBacks: p.handBackCount, extensions: p.extensionCount }),
    },
    ...(p.supervisedAt || p.supervisionLevel > 0
      ? [{ key: 'supervised', label: t('problems.fields.supervisionLevel'), children: `${t(p.supervisionLevel >= 2 ? 'problems.supervisionLevels.leader' : 'problems.supervisionLevels.commander')}${p.supervisedAt ? ` · ${formatDateTime(p.supervisedAt)}` : ''}` }]
      : []),
    ...(p.mergedInto ? [{ key: 'mergedInto', label: t('problems.timeline.mergedInto'), children: <Link to={`/problems/${p.mergedInto.id}`}>{p.mergedInto.code}</Link> }] : []),
    ...(p.mergedFrom.length
      ? [
          {
            key: 'mergedFrom',
            label: t('problems.timeline.mergedFrom'),
            children: (
              <Space size={6} wrap>
                {p.mergedFrom.map((m) => (
                  <Link key={m.id} to={`/problems/${m.id}`}>
                    {m.code}
                  </Link>
                ))}
              </Space>
            ),
          },
        ]
      : []),
    { key: 'instruction', label: t('problems.fields.instruction'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{dash(p.instruction)}</span>, span: mobile ? 1 : 2 },
    { key: 'description', label: t('problems.fields.description'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{dash(p.description)}</span>, span: mobile ? 1 : 2 },
  ];
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2, xl: 2, xxl: 3 }}
      styles={{ label: { width: mobile ? 92 : 120, whiteSpace: 'nowrap' } }}
      items={items}
      data-testid="problem-facts"
    />
  );
}

/** 交办单 / 督办单 as PDF or Word (built by the server from the problem). */
function Documents({ p }: { p: ProblemDetail }) {
  const { t } = useTranslation();
  const docs: { key: 'assignment-notice' | 'supervision-notice'; label: string; show: boolean }[] = [
    { key: 'assignment-notice', label: t('problems.docs.assignment'), show: !!p.leadUnit },
    { key: 'supervision-notice', label: t('problems.docs.supervision'), show: p.supervisionLevel > 0 || !!p.supervisedAt },
  ];
  const shown = docs.filter((d) => d.show);
  if (!shown.length) return null;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: shown.flatMap((d) => [
          {
            key: `${d.key}.pdf`,
            icon: <FilePdfOutlined style={{ color: '#cf1322' }} />,
            label: (
              <a href={problemsApi.documentPath(p.id, d.key, 'pdf')} target="_blank" rel="noopener" data-testid={`doc-${d.key}-pdf`}>
                {d.label} (PDF)
              </a>
            ),
          },
          {
            key: `${d.key}.docx`,
            icon: <FileWordOutlined style={{ color: '#1f4e9a' }} />,
            label: (
              <a href={problemsApi.documentPath(p.id, d.key, 'docx')} download data-testid={`doc-${d.key}-docx`}>
                {d.label} (Word)
              </a>
            ),
          },
        ]),
      }}
    >
      <Button icon={<FileTextOutlined />} data-testid="problem-documents">
        {t('problems.docs.title')}
      </Button>
    </Dropdown>
  );
}

/** 问题详情: facts, the pending request, the steps the server allows now, the timeline, files and documents. */
export default function ProblemDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const [acting, setActing] = useState<ProblemAction | null>(null);
  const { data: p, isLoading, isFetching, error, refetch } = useProblem(id);
  const tabParam = sp.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'timeline';

  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={t('problems.notFound')}
        subTitle={t('problems.notFoundHint')}
        extra={
          <Button type="primary" onClick={() => navigate('/problems')}>
            {t('problems.toList')}
          </Button>
        }
      />
    );

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {p && (
        <>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[{ title: <Link to="/problems/todo">{t('problems.nav.todo')}</Link> }, { title: <Link to="/problems" state={{ list: true }}>{t('problems.nav.list')}</Link> }, { title: p.code }]}
          />
          <Card styles={{ body: { padding: mobile ? 14 : 24 } }} style={{ marginBottom: 16 }}>
            <Flex justify="space-between" align="flex-start" gap={12} vertical={mobile}>
              <div style={{ minWidth: 0 }}>
                <Typography.Title level={mobile ? 4 : 3} style={{ margin: 0 }} data-testid="problem-title">
                  {p.title}
                </Typography.Title>
                <Flex gap={6} wrap="wrap" align="center" style={{ marginTop: 8 }}>
                  <Tag className="qibu-mono" style={{ marginInlineEnd: 0 }}>
                    {p.code}
                  </Tag>
                  <StateTag state={p.state} />
                  <PriorityTag priority={p.priority} />
                  <FlagTags p={p} />
                  <span data-testid="problem-light" data-light={p.light ?? 'none'}>
                    <LightCell p={p} size={12} />
                  </span>
                </Flex>
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
                  {[p.command?.name, p.leadUnit ? `${t('problems.fields.leadUnit')} ${p.leadUnit.name}` : t('problems.notAssigned'), p.deadline ? `${t('problems.fields.deadline')} ${p.deadline}` : null]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </div>
              <Space wrap className="qibu-no-print">
                <Documents p={p} />
                <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()} aria-label={t('common.refresh')} />
              </Space>
            </Flex>
            {p.pendingRequestDetail && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 16 }}
                data-testid="pending-banner"
                title={t('problems.pendingBanner.title', { kind: t(`problems.pending.${p.pendingRequestDetail.kind}`), name: p.pendingRequestDetail.byName, at: formatDateTime(p.pendingRequestDetail.at) })}
                description={
                  <>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{p.pendingRequestDetail.reason}</div>
                    {p.pendingRequestDetail.newDeadline && <div>{t('problems.pendingBanner.newDeadline', { date: p.pendingRequestDetail.newDeadline, from: p.deadline ?? '—' })}</div>}
                  </>
                }
              />
            )}
            {p.state === 'suspended' && p.suspendedOn && <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('problems.suspendedSince', { date: p.suspendedOn })} />}
            {p.mergedInto && (
              <Alert
                type="info"
                showIcon
                style={{ marginTop: 16 }}
                title={
                  <span>
                    {t('problems.mergedNotice')} <Link to={`/problems/${p.mergedInto.id}`}>{p.mergedInto.code}</Link>
                  </span>
                }
              />
            )}
            {p.actions.length > 0 && (
              <div style={{ marginTop: 16 }} className="qibu-no-print" data-testid="problem-actions">
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginBottom: 6 }}>
                  {t('problems.actionsHint')}
                </Typography.Text>
                <Flex gap={8} wrap="wrap">
                  {p.actions.map((a) => (
                    <Button
                      key={a}
                      type={PRIMARY.has(a) ? 'primary' : 'default'}
                      danger={DANGER.has(a)}
                      onClick={() => setActing(a)}
                      data-testid={`action-${a}`}
                      style={mobile ? { flex: '1 1 40%' } : undefined}
                    >
                      {actionLabel(a, lang, t)}
                    </Button>
                  ))}
                </Flex>
              </div>
            )}
            <div style={{ marginTop: 20 }}>
              {mobile ? (
                <Collapse size="small" items={[{ key: 'facts', label: t('problems.tabs.facts'), children: <Facts p={p} />, styles: { body: { padding: 8 } } }]} />
              ) : (
                <Facts p={p} />
              )}
            </div>
          </Card>
          <Card styles={{ body: { padding: mobile ? '4px 12px 12px' : '8px 24px 24px' } }}>
            <Tabs
              activeKey={tab}
              onChange={(k) => setSp(k === 'timeline' ? {} : { tab: k }, { replace: true })}
              data-testid="problem-tabs"
              items={[
                { key: 'timeline', label: t('problems.tabs.timeline', { count: p.timeline.length }), children: <ProblemTimeline problem={p} /> },
                { key: 'files', label: t('problems.tabs.files'), children: tab === 'files' ? <ProblemFiles problem={p} /> : null },
              ]}
            />
          </Card>
          {acting && ACTIONS[acting] && <ActionForm key={acting} problem={p} action={acting} onClose={() => setActing(null)} />}
        </>
      )}
    </QueryState>
  );
}
