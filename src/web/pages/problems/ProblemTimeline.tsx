import type { ReactNode } from 'react';
import { Empty, Flex, Image, Tag, Timeline, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { problemsApi, type ProblemDetail, type ProblemEvent } from '../../api/problems.ts';
import { formatDateTime } from '../../components/format.ts';
import { useLang } from '../../i18n/index.ts';
import { LIGHT_COLORS, LightDot, actionLabel, stateLabel } from './problems.tsx';

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The facts an event's `data` carries, in words: deadlines, units, the request decided, the merge target. */
function EventFacts({ e, unitName }: { e: ProblemEvent; unitName: (id: string) => string | null }) {
  const { t } = useTranslation();
  const d = e.data ?? {};
  const rows: ReactNode[] = [];
  const lead = str(d.leadUnitName) ?? (str(d.leadUnitId) ? unitName(str(d.leadUnitId)!) : null);
  if (lead) rows.push(<span key="lead">{t('problems.timeline.leadUnit', { name: lead })}</span>);
  const coop = Array.isArray(d.cooperatingUnitIds) ? (d.cooperatingUnitIds as unknown[]).map((id) => (typeof id === 'string' ? unitName(id) : null)).filter(Boolean) : [];
  if (coop.length) rows.push(<span key="coop">{t('problems.timeline.cooperating', { names: coop.join('、') })}</span>);
  const deadline = str(d.deadline);
  const workdays = num(d.deadlineWorkdays);
  if (deadline && (e.action === 'assign' || e.action === 'reassign'))
    rows.push(
      <span key="deadline">
        {workdays ? t('problems.timeline.deadlineWorkdays', { date: deadline, count: workdays }) : t('problems.timeline.deadline', { date: deadline })}
      </span>,
    );
  const newDeadline = str(d.newDeadline);
  const fromDeadline = str(d.fromDeadline);
  if (newDeadline && e.action === 'request_extension') rows.push(<span key="nd">{t('problems.timeline.askedDeadline', { date: newDeadline })}</span>);
  else if (newDeadline && fromDeadline && newDeadline !== fromDeadline) rows.push(<span key="nd">{t('problems.timeline.movedDeadline', { from: fromDeadline, to: newDeadline })}</span>);
  else if (newDeadline && e.action === 'reopen') rows.push(<span key="nd">{t('problems.timeline.deadline', { date: newDeadline })}</span>);
  const paused = num(d.pausedWorkdays);
  if (paused) rows.push(<span key="paused">{t('problems.timeline.paused', { count: paused })}</span>);
  const request = str(d.request);
  if (request && (e.action === 'approve_request' || e.action === 'refuse_request')) rows.push(<span key="req">{t(`problems.pending.${request as 'extension' | 'suspension'}`)}</span>);
  const targetId = str(d.targetId);
  if (targetId)
    rows.push(
      <span key="target">
        {t('problems.timeline.mergedInto')} <Link to={`/problems/${targetId}`}>{str(d.targetCode) ?? targetId.slice(0, 8)}</Link>
      </span>,
    );
  const fromId = str(d.fromId);
  if (fromId)
    rows.push(
      <span key="from">
        {t('problems.timeline.mergedFrom')} <Link to={`/problems/${fromId}`}>{str(d.fromCode) ?? fromId.slice(0, 8)}</Link>
      </span>,
    );
  
  if (!rows.length) return null;
  return (
    <Flex gap={12} wrap="wrap" style={{ marginTop: 4, fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>
      {rows}
    </Flex>
  );
}

/** 办理过程: every step with who, when, what was said, the photos, and the light at that moment. */
export function ProblemTimeline({ problem }: { problem: ProblemDetail }) {
  const { t } = useTranslation();
  const lang = useLang();
  const units = new Map<string, string>([
    ...(problem.leadUnit ? [[problem.leadUnit.id, problem.leadUnit.name] as [string, string]] : []),
    ...problem.cooperatingUnits.map((u) => [u.id, u.name] as [string, string]),
  ]);
  const unitName = (id: string) => units.get(id) ?? null;
  // oldest first; a raise and its assignment share one instant: the raise goes first
  const events = [...problem.timeline].sort((a, b) => a.at.localeCompare(b.at) || (a.action === 'raise' ? -1 : b.action === 'raise' ? 1 : 0));
  if (!events.length) return <Empty description={t('problems.timeline.empty')} />;
  return (
    <Image.PreviewGroup>
      <Timeline
        data-testid="problem-timeline"
        items={events.map((e) => ({
          key: e.id,
          color: e.light ? LIGHT_COLORS[e.light] : 'gray',
          content: (
            <div data-testid="timeline-event" data-action={e.action} data-light={e.light ?? 'none'}>
              <Flex gap={8} wrap="wrap" align="center">
                <Typography.Text strong>{e.actorName}</Typography.Text>
                <Tag color="processing" bordered={false} style={{ marginInlineEnd: 0 }}>
                  {actionLabel(e.action, lang, t)}
                </Tag>
                {e.fromState && e.fromState !== e.toState && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {stateLabel(e.fromState, lang)} → {stateLabel(e.toState, lang)}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }} className="qibu-num">
                  {formatDateTime(e.at)}
                </Typography.Text>
                <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                  <LightDot light={e.light} size={8} />
                </span>
              </Flex>
              {e.text && <div style={{ marginTop: 4, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{e.text}</div>}
              <EventFacts e={e} unitName={unitName} />
              {e.files.length > 0 && (
                <Flex gap={6} wrap="wrap" style={{ marginTop: 8 }}>
                  {e.files.map((f) =>
                    f.mime.startsWith('image/') ? (
                      <Image
                        key={f.id}
                        src={problemsApi.filePath(f.id)}
                        alt={f.originalName}
                        width={72}
                        height={72}
                        style={{ objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0' }}
                        data-testid="timeline-photo"
                      />
                    ) : (
                      <a key={f.id} href={problemsApi.filePath(f.id)} download={f.originalName}>
                        <PaperClipOutlined /> {f.originalName}
                      </a>
                    ),
                  )}
                </Flex>
              )}
            </div>
          ),
        }))}
      />
    </Image.PreviewGroup>
  );
}
