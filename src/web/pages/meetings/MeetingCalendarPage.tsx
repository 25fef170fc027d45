import { useMemo, useState, type CSSProperties } from 'react';
import { Button, Calendar, Card, Empty, Flex, Modal, Segmented, Select, Space, Spin, Typography } from 'antd';
import { CalendarOutlined, LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { MEETING_STATUSES, MEETING_TYPES, type MeetingStatus, type MeetingType } from '../../../shared/meetings.ts';
import { isValidDay } from '../../../shared/days.ts';
import { useMeetings, useMeetingsFeed, type MeetingListItem, type MeetingQuery } from '../../api/meetings.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { todayInZone } from '../../components/format.ts';
import { parseBody, useBodies } from './bodies.ts';
import { MeetingStatusTag, STATUS_COLORS, addDays, mondayOf, statusLabel, timeOf, typeLabel, weekdayOf } from './meetings.tsx';

type View = 'month' | 'week';

function monthRange(date: string): { from: string; to: string } {
  const first = `${date.slice(0, 7)}-01`;
  // the month grid shows six weeks from the week of the 1st (Monday or Sunday first, by locale)
  const from = addDays(mondayOf(first), -1);
  return { from, to: addDays(from, 43) };
}

function shiftMonth(date: string, n: number): string {
  return dayjs(`${date.slice(0, 7)}-01`).add(n, 'month').format('YYYY-MM-DD');
}

/** One meeting in a calendar cell: a coloured bar with its time and title. */
function Chip({ m, compact }: { m: MeetingListItem; compact?: boolean }) {
  const navigate = useNavigate();
  const lang = useLang();
  const color = STATUS_COLORS[m.status as MeetingStatus] ?? '#8c8c8c';
  const style: CSSProperties = {
    display: 'block',
    borderInlineStart: `3px solid ${color}`,
    background: `${color}14`,
    borderRadius: 4,
    padding: compact ? '1px 4px' : '4px 6px',
    marginBottom: 3,
    fontSize: 12,
    lineHeight: 1.4,
    color: 'inherit',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: compact ? 'nowrap' : 'normal',
    textDecoration: m.status === 'cancelled' ? 'line-through' : undefined,
    cursor: 'pointer',
  };
  return (
    <a
      href={`/meetings/${m.id}`}
      style={style}
      title={`${m.title} · ${statusLabel(m.status, lang)}`}
      data-testid="calendar-meeting"
      data-status={m.status}
      onClick={(e) => {
        e.preventDefault();
        e.stopPropagation();
        navigate(`/meetings/${m.id}`);
      }}
    >
      <span className="qibu-num" style={{ color, fontWeight: 600 }}>
        {timeOf(m.startsAt)}
      </span>{' '}
      {m.title}
      {!compact && m.place && <div style={{ color: 'rgba(0,0,0,0.45)' }}>{m.place}</div>}
    </a>
  );
}

/** The meeting as a card (the week view and the phone's list). */
function MeetingCard({ m }: { m: MeetingListItem }) {
  const { t } = useTranslation();
  const lang = useLang();
  const color = STATUS_COLORS[m.status as MeetingStatus] ?? '#8c8c8c';
  return (
    <Link to={`/meetings/${m.id}`} style={{ display: 'block', color: 'inherit' }} data-testid="meeting-card" data-status={m.status}>
      <Card size="small" hoverable styles={{ body: { padding: 12 } }} style={{ borderInlineStart: `4px solid ${color}`, marginBottom: 8 }}>
        <Flex justify="space-between" gap={8} align="flex-start">
          <Typography.Text strong style={{ lineHeight: 1.4 }}>
            {m.title}
          </Typography.Text>
          <MeetingStatusTag status={m.status} />
        </Flex>
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13, marginTop: 4 }}>
          <span className="qibu-num">
            {timeOf(m.startsAt)}–{timeOf(m.endsAt)}
          </span>
          {m.place ? ` · ${m.place}` : ''}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
          {[typeLabel(m.type, lang), m.chair ? t('meetings.chairIs', { name: m.chair.name }) : null, m.decisionCount ? t('meetings.decisionCounts', { count: m.decisionCount, open: m.openDecisionCount }) : null]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      </Card>
    </Link>
  );
}

/** 订阅到日历: the HQ's iCal feed URL to paste into Outlook or a phone's calendar. */
function SubscribeButton({ defaultCommandId }: { defaultCommandId?: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const bodies = useBodies(me);
  const [open, setOpen] = useState(false);
  const [commandId, setCommandId] = useState<string | undefined>(defaultCommandId);
  const chosen = commandId ?? defaultCommandId ?? me.commands[0]?.id ?? bodies.commands[0]?.id;
  const feed = useMeetingsFeed(chosen, open);
  return (
    <>
      <Button icon={<CalendarOutlined />} onClick={() => setOpen(true)} data-testid="meetings-subscribe">
        {t('meetings.subscribe.button')}
      </Button>
      <Modal open={open} title={t('meetings.subscribe.title')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden data-testid="subscribe-modal">
        <Typography.Paragraph type="secondary">{t('meetings.subscribe.hint')}</Typography.Paragraph>
        <Select
          style={{ width: '100%', marginBottom: 12 }}
          value={chosen}
          onChange={setCommandId}
          options={bodies.commands.map((c) => ({ value: c.id, label: c.label }))}
          placeholder={t('meetings.fields.command')}
        />
        {feed.isLoading ? (
          <Spin />
        ) : feed.error ? (
          <Typography.Text type="secondary">{t('meetings.subscribe.unavailable')}</Typography.Text>
        ) : feed.data ? (
          <Typography.Paragraph
            copyable={{ text: feed.data.url, tooltips: [t('meetings.subscribe.copy'), t('meetings.subscribe.copied')] }}
            style={{ wordBreak: 'break-all', background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 0 }}
            className="qibu-mono"
            data-testid="subscribe-url"
          >
            {feed.data.url}
          </Typography.Paragraph>
        ) : null}
      </Modal>
    </>
  );
}

/** 会议日历: the month or the week, filtered by HQ / leading group and type, coloured by status; on a phone a list by day. */
export default function MeetingCalendarPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const bodies = useBodies(me);
  const today = todayInZone();
  const view: View = sp.get('view') === 'week' ? 'week' : 'month';
  const dateParam = sp.get('date');
  const date = dateParam && isValidDay(dateParam) ? dateParam : today;
  const body = sp.get('body') ?? undefined;
  const types = sp.getAll('type').filter((x): x is MeetingType => (MEETING_TYPES as readonly string[]).includes(x));

  const range = view === 'month' ? monthRange(date) : { from: mondayOf(date), to: addDays(mondayOf(date), 6) };
  const query: MeetingQuery = { ...range, ...parseBody(body), ...(types.length ? { type: types } : {}) };
  const { data, isLoading, isFetching, error, refetch } = useMeetings(query);

  const byDay = useMemo(() => {
    const map = new Map<string, MeetingListItem[]>();
    const sorted = [...(data ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title, 'zh-CN') || a.number - b.number);
    for (const m of sorted) map.set(m.heldOn, [...(map.get(m.heldOn) ?? []), m]);
    return map;
  }, [data]);

  const set = (patch: Record<string, string | string[] | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      next.delete(k);
      if (Array.isArray(v)) for (const one of v) next.append(k, one);
      else if (v) next.set(k, v);
    }
    setSp(next, { replace: true });
  };
  const move = (n: number) => set({ date: view === 'month' ? shiftMonth(date, n) : addDays(date, 7 * n) });

  const title =
    view === 'month'
      ? dayjs(date).format(lang === 'en' ? 'MMMM YYYY' : 'YYYY年M月')
      : `${range.from} – ${range.to.slice(5)}`;
  const canPlan = bodies.runnable.length > 0;
  const inRange = (data ?? []).filter((m) => (view === 'week' || m.heldOn.slice(0, 7) === date.slice(0, 7)));
  const subscribeCommand = body?.startsWith('c:') ? body.slice(2) : undefined;

  const toolbar = (
    <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 12 }} data-testid="calendar-toolbar">
      <Space.Compact>
        <Button icon={<LeftOutlined />} onClick={() => move(-1)} aria-label={t('meetings.calendar.prev')} data-testid="calendar-prev" />
        <Button onClick={() => set({ date: undefined })}>{t('meetings.calendar.today')}</Button>
        <Button icon={<RightOutlined />} onClick={() => move(1)} aria-label={t('meetings.calendar.next')} data-testid="calendar-next" />
      </Space.Compact>
      <Typography.Text strong style={{ fontSize: 16, minWidth: mobile ? undefined : 150 }} data-testid="calendar-title">
        {title}
      </Typography.Text>
      <Segmented<View>
        value={view}
        onChange={(v) => set({ view: v === 'month' ? undefined : v })}
        options={[
          { value: 'month', label: t('meetings.calendar.month') },
          { value: 'week', label: t('meetings.calendar.week') },
        ]}
        data-testid="calendar-view"
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('meetings.calendar.allBodies')}
        value={body}
        onChange={(v?: string) => set({ body: v })}
        options={[
          { label: t('meetings.fields.command'), options: bodies.commands.map((o) => ({ value: o.value, label: o.label })) },
          { label: t('meetings.fields.group'), options: bodies.groups.map((o) => ({ value: o.value, label: o.label })) },
        ]}
        style={{ width: mobile ? '100%' : 260 }}
        popupMatchSelectWidth={false}
        data-testid="calendar-body"
      />
      <Select
        mode="multiple"
        allowClear
        placeholder={t('meetings.calendar.allTypes')}
        value={types}
        onChange={(v: string[]) => set({ type: v })}
        options={MEETING_TYPES.map((x) => ({ value: x, label: typeLabel(x, lang) }))}
        style={{ width: mobile ? '100%' : 240 }}
        maxTagCount="responsive"
        data-testid="calendar-type"
      />
      {isFetching && <Spin size="small" />}
    </Flex>
  );

  const legend = (
    <Flex gap={12} wrap="wrap" style={{ marginTop: 8, fontSize: 12 }} data-testid="calendar-legend">
      {MEETING_STATUSES.map((s) => (
        <span key={s} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span style={{ width: 10, height: 10, borderRadius: 2, background: STATUS_COLORS[s], display: 'inline-block' }} />
          {statusLabel(s, lang)}
        </span>
      ))}
    </Flex>
  );

  let content;
  if (mobile) {
    const days = [...new Set(inRange.map((m) => m.heldOn))].sort();
    content = days.length ? (
      <div data-testid="calendar-day-list">
        {days.map((d) => (
          <section key={d} style={{ marginBottom: 12 }} data-testid="calendar-day" data-day={d}>
            <Typography.Text strong style={{ display: 'block', margin: '4px 0 6px', color: d === today ? '#1f4e9a' : undefined }}>
              {dayjs(d).format(lang === 'en' ? 'MMM D' : 'M月D日')} {weekdayOf(d, lang)}
              {d === today && ` · ${t('meetings.calendar.today')}`}
            </Typography.Text>
            {byDay.get(d)!.map((m) => (
              <MeetingCard key={m.id} m={m} />
            ))}
          </section>
        ))}
      </div>
    ) : (
      <Card>
        <Empty description={t('meetings.calendar.empty')} />
      </Card>
    );
  } else if (view === 'month') {
    content = (
      <Card styles={{ body: { padding: 8 } }} data-testid="meetings-calendar">
        <Calendar
          fullscreen
          value={dayjs(date)}
          headerRender={() => null}
          onSelect={(d, info) => {
            if (info.source === 'date') set({ date: d.format('YYYY-MM-DD') });
          }}
          cellRender={(current, info) => {
            if (info.type !== 'date') return info.originNode;
            const items = byDay.get(current.format('YYYY-MM-DD')) ?? [];
            return (
              <div data-testid={items.length ? 'calendar-cell' : undefined} data-day={current.format('YYYY-MM-DD')}>
                {items.map((m) => (
                  <Chip key={m.id} m={m} compact />
                ))}
              </div>
            );
          }}
        />
        {legend}
      </Card>
    );
  } else {
    const days = Array.from({ length: 7 }, (_, i) => addDays(range.from, i));
    content = (
      <Card styles={{ body: { padding: 12 } }}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 8 }} data-testid="calendar-week">
          {days.map((d) => (
            <div key={d} style={{ minHeight: 360, background: d === today ? '#f0f5ff' : '#fafafa', borderRadius: 6, padding: 8 }} data-day={d}>
              <Flex justify="space-between" align="baseline" style={{ marginBottom: 8 }}>
                <Typography.Text strong style={{ color: d === today ? '#1f4e9a' : undefined }}>
                  {weekdayOf(d, lang)}
                </Typography.Text>
                <Typography.Text type="secondary" className="qibu-num">
                  {d.slice(5)}
                </Typography.Text>
              </Flex>
              {(byDay.get(d) ?? []).map((m) => (
                <Chip key={m.id} m={m} />
              ))}
            </div>
          ))}
        </div>
        {legend}
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title={t('meetings.calendar.title')}
        subtitle={t('meetings.calendar.subtitle', { count: inRange.length })}
        extra={
          <>
            {canPlan && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/meetings/new?date=${date < today ? today : date}${body ? `&body=${body}` : ''}`)} data-testid="meeting-plan">
                {t('meetings.plan.button')}
              </Button>
            )}
            {bodies.commands.length > 0 && <SubscribeButton key={subscribeCommand ?? ''} defaultCommandId={subscribeCommand} />}
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      {toolbar}
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        {content}
      </QueryState>
    </>
  );
}
