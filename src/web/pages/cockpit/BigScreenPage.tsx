import { useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useMe } from '../../api/auth.ts';
import { useCockpit, useCockpitMap, useGeoJson, type Count } from '../../api/cockpit.ts';
import { EChart } from '../../components/EChart.tsx';
import { MeProvider } from '../../components/session.tsx';
import { percent, yi } from '../../components/money.ts';
import { useLang } from '../../i18n/index.ts';
import { daysBetween } from '../../../shared/days.ts';
import { COCKPIT_READ } from '../../modules.tsx';
import { todayInZone } from '../../components/format.ts';
import { DARK, FONT, LIGHT_COLORS, lightsChart, meetingsChart, phaseChart, rankingChart, ratesChart, weeklyChart, type Built } from './charts.ts';
import { periodFromParams } from './period.ts';
import { ZoneMap } from './ZoneMap.tsx';

/**
 * 大屏 (/cockpit/screen): the cockpit for a wall display. A fixed 1920×1080 stage (scaled to the window), dark, large
 * type, no app chrome; it refreshes itself every 60 s. Same figures and links as /cockpit (period and HQ from the
 * URL: ?period=week|month|year&commandId=…), plus the map of project locations on the zone's outline.
 */

const W = 1920;
const H = 1080;
const REFRESH_MS = 60_000;
const BG = 'radial-gradient(ellipse at 50% 0%, #0d2f66 0%, #061737 55%, #030c20 100%)';
const PANEL: CSSProperties = {
  position: 'relative',
  background: 'linear-gradient(180deg, rgba(16,48,102,0.55) 0%, rgba(8,26,60,0.55) 100%)',
  border: '1px solid rgba(79,163,255,0.35)',
  borderRadius: 6,
  boxShadow: 'inset 0 0 24px rgba(40,120,255,0.18)',
  padding: '10px 16px',
  boxSizing: 'border-box',
  overflow: 'hidden',
};
const ACCENT = '#4fc3ff';

function Panel({ title, height, children, testId, extra }: { title: string; height: number; children: ReactNode; testId?: string; extra?: ReactNode }) {
  return (
    <section style={{ ...PANEL, height }} data-testid={testId}>
      <header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', height: 40, borderBottom: '1px solid rgba(79,163,255,0.25)', marginBottom: 6 }}>
        <span style={{ fontSize: 26, fontWeight: 700, color: '#e8f1ff', letterSpacing: 2, borderLeft: `6px solid ${ACCENT}`, paddingLeft: 12 }}>{title}</span>
        {extra && <span style={{ fontSize: 18, color: '#8fb3e8' }}>{extra}</span>}
      </header>
      {children}
    </section>
  );
}

function Big({ label, c, value, color, sub, testId, size = 52 }: { label: string; c: { link: string }; value: ReactNode; color?: string; sub?: ReactNode; testId?: string; size?: number }) {
  const navigate = useNavigate();
  return (
    <button
      type="button"
      onClick={() => navigate(c.link)}
      data-testid={testId}
      style={{ all: 'unset', cursor: 'pointer', display: 'flex', flexDirection: 'column', justifyContent: 'center', padding: '4px 8px', minWidth: 0 }}
    >
      <span style={{ fontSize: 20, color: '#8fb3e8', whiteSpace: 'nowrap' }}>{label}</span>
      <span style={{ fontSize: size, fontWeight: 700, lineHeight: 1.15, color: color ?? '#ffffff', fontVariantNumeric: 'tabular-nums', textShadow: '0 0 18px rgba(79,195,255,0.45)' }}>{value}</span>
      {sub && <span style={{ fontSize: 18, color: '#8fb3e8', whiteSpace: 'nowrap' }}>{sub}</span>}
    </button>
  );
}

function Chart({ built, height, testId }: { built: Built; height: number; testId: string }) {
  const navigate = useNavigate();
  return (
    <EChart
      option={built.option}
      height={height}
      testId={testId}
      ariaLabel={built.label}
      onClick={(e) => {
        const to = built.linkOf(e);
        if (to) navigate(to);
      }}
    />
  );
}

function Rows<T>({ items, cells, empty, onOpen }: { items: T[]; cells: (x: T) => ReactNode[]; empty: string; onOpen: (x: T) => void }) {
  if (!items.length) return <div style={{ fontSize: 22, color: '#8fb3e8', padding: '24px 0', textAlign: 'center' }}>{empty}</div>;
  return (
    <div>
      {items.map((x, i) => (
        <div
          key={i}
          role="link"
          tabIndex={0}
          onClick={() => onOpen(x)}
          onKeyDown={(e) => e.key === 'Enter' && onOpen(x)}
          style={{ display: 'flex', gap: 12, alignItems: 'center', height: 38, fontSize: 21, color: '#e8f1ff', cursor: 'pointer', background: i % 2 ? 'rgba(79,163,255,0.06)' : undefined, padding: '0 6px' }}
        >
          {cells(x).map((c, j) => (
            <span key={j} style={{ flex: j === 0 ? '1 1 auto' : '0 0 auto', minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {c}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}

function useClock(): string {
  const [now, setNow] = useState(() => dayjs());
  useEffect(() => {
    const id = setInterval(() => setNow(dayjs()), 1000);
    return () => clearInterval(id);
  }, []);
  return now.format('YYYY-MM-DD HH:mm:ss');
}

/** The 1920×1080 stage, scaled to fit the window (letterboxed), so a wall display of any size shows the same screen. */
function useScale(): number {
  const get = () => Math.min(window.innerWidth / W, window.innerHeight / H);
  const [scale, setScale] = useState(get);
  useEffect(() => {
    const on = () => setScale(get());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return scale;
}

function Screen() {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const scale = useScale();
  const clock = useClock();
  const today = todayInZone();
  const period = periodFromParams(sp, today);
  const commandId = sp.get('commandId') ?? undefined;
  const overview = useCockpit({ from: period.from, to: period.to, commandId }, { refetchInterval: REFRESH_MS });
  const map = useCockpitMap(commandId, { refetchInterval: REFRESH_MS });
  const geo = useGeoJson(map.data?.boundary);
  const o = overview.data;

  useEffect(() => {
    const before = document.title;
    document.title = t('cockpit.screenTitle');
    return () => {
      document.title = before;
    };
  }, [t]);

  const built = useMemo(
    () =>
      o && {
        phase: phaseChart(o, DARK, lang, t),
        rates: ratesChart(o, DARK, t),
        lights: lightsChart(o, DARK, t),
        ranking: rankingChart(o, DARK, t),
        weekly: weeklyChart(o, DARK, t, 12),
        meetings: meetingsChart(o, DARK, t),
      },
    [o, lang, t],
  );
  const commandName = o?.commandId ? o.commands.find((c) => c.id === o.commandId)?.name : t('cockpit.allCommands');
  const exit = `/cockpit${sp.toString() ? `?${sp.toString()}` : ''}`;

  return (
    <div style={{ position: 'fixed', inset: 0, background: '#02081a', overflow: 'hidden' }} data-testid="big-screen-viewport">
      <div
        data-testid="big-screen"
        style={{
          position: 'absolute',
          left: (window.innerWidth - W * scale) / 2,
          top: (window.innerHeight - H * scale) / 2,
          width: W,
          height: H,
          transform: `scale(${scale})`,
          transformOrigin: '0 0',
          background: BG,
          color: '#e8f1ff',
          fontFamily: FONT,
        }}
      >
        <header style={{ position: 'relative', height: 96, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <div style={{ position: 'absolute', left: 28, top: 22, fontSize: 22, color: '#8fb3e8', lineHeight: 1.5 }}>
            <div data-testid="screen-command">{commandName}</div>
            <div>
              {t(`cockpit.period.${period.key}`)} · {t('cockpit.periodRange', { from: period.from, to: period.to })}
            </div>
          </div>
          <h1 style={{ margin: 0, fontSize: 46, fontWeight: 800, letterSpacing: 6, color: '#ffffff', textShadow: '0 0 24px rgba(79,195,255,0.8)' }}>{t('cockpit.screenTitle')}</h1>
          <div style={{ position: 'absolute', right: 28, top: 18, textAlign: 'right', fontSize: 22, color: '#8fb3e8', lineHeight: 1.5 }}>
            <div style={{ fontSize: 30, color: '#e8f1ff', fontVariantNumeric: 'tabular-nums' }} data-testid="screen-clock">
              {clock}
            </div>
            <div>
              {overview.dataUpdatedAt ? t('cockpit.refreshed', { time: dayjs(overview.dataUpdatedAt).format('HH:mm:ss') }) : t('cockpit.loading')}
              <button type="button" onClick={() => navigate(exit)} style={{ all: 'unset', cursor: 'pointer', marginLeft: 16, color: ACCENT }} data-testid="screen-exit">
                {t('cockpit.exitScreen')}
              </button>
            </div>
          </div>
          <div style={{ position: 'absolute', left: 560, right: 560, bottom: 4, height: 2, background: `linear-gradient(90deg, transparent, ${ACCENT}, transparent)` }} />
        </header>

        {!o || !built ? (
          <div style={{ fontSize: 36, textAlign: 'center', marginTop: 360, color: '#8fb3e8' }}>{overview.error ? String((overview.error as Error).message) : t('cockpit.loading')}</div>
        ) : (
          <main style={{ display: 'grid', gridTemplateColumns: '540px 752px 540px', gap: 20, padding: '0 24px', height: 960 }}>
            {/* left: the ledger */}
            <div style={{ display: 'flex', flexDirection: 'column', gap: 20 }}>
              <Panel title={t('cockpit.sections.projects')} height={200} testId="screen-projects">
                <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 8 }}>
                  <Big label={t('cockpit.cards.projects')} c={o.projects.count} value={o.projects.count.n} testId="screen-fig-projects" size={46} />
                  <Big label={t('cockpit.screen.totalInvestment')} c={o.projects.totalInvestment} value={yi(o.projects.totalInvestment.value, 1)} size={46} />
                  <Big
                    label={t('cockpit.cards.investmentRate')}
                    c={o.projects.rates.investment}
                    value={percent(o.projects.rates.investment.rate)}
                    color={o.projects.rates.investment.rate !== null && Number(o.projects.rates.investment.rate) < Number(o.projects.timeElapsed) ? '#ffa940' : '#5cdbd3'}
                    sub={t('cockpit.cards.timeElapsed', { value: percent(o.projects.timeElapsed) })}
                    size={46}
                  />
                </div>
              </Panel>
              <Panel title={t('cockpit.charts.phase')} height={240}>
                <Chart built={built.phase} height={180} testId="screen-chart-phase" />
              </Panel>
              <Panel title={t('cockpit.charts.rates')} height={240}>
                <Chart built={built.rates} height={180} testId="screen-chart-rates" />
              </Panel>
              <Panel title={t('cockpit.screen.lagging')} height={240} extra={<Link2 c={o.projects.laggingCount} />}>
                <Rows
                  items={o.projects.lagging.slice(0, 4)}
                  empty={t('cockpit.lagging.none')}
                  onOpen={(x) => navigate(x.link)}
                  cells={(x) => [x.project.name, x.leader?.displayName ?? '—', <span style={{ color: '#ff7875' }}>{yi(x.gap, 2)}亿</span>]}
                />
              </Panel>
            </div>

            {/* centre: the headline numbers and the map */}
            <div style={{ display: 'flex', flexDirection: 'column', gap: 20 }}>
              <Panel title={`${t('cockpit.sections.problems')} · ${t('cockpit.sections.meetings')}`} height={200} testId="screen-problems">
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 4 }}>
                  <Big label={t('cockpit.cards.open')} c={o.problems.open} value={o.problems.open.n} testId="screen-fig-open" />
                  <Big label={t('cockpit.cards.overdue')} c={o.problems.overdue} value={o.problems.overdue.n} color={LIGHT_COLORS.red} testId="screen-fig-overdue" />
                  <Big label={t('cockpit.cards.closedThisWeek')} c={o.problems.closedThisWeek} value={o.problems.closedThisWeek.n} color="#73d13d" />
                  <Big label={t('cockpit.cards.onTimeRate')} c={o.problems.onTime.closedWithDeadline} value={percent(o.problems.onTime.rate)} color="#5cdbd3" />
                  <Big label={t('cockpit.screen.decisionsOpen')} c={o.meetings.decisionsOpen} value={o.meetings.decisionsOpen.n} color="#ffa940" sub={`${t('cockpit.cards.held')} ${o.meetings.held.n}`} />
                </div>
              </Panel>
              <Panel
                title={t('cockpit.charts.map')}
                height={460}
                testId="screen-map"
                extra={map.data ? `${t('cockpit.mapTotal', { total: map.data.total })}${map.data.points.length < map.data.total ? `，${t('cockpit.mapShown', { count: map.data.points.length })}` : ''} · ${t('cockpit.mapNote')}` : undefined}
              >
                {map.data && geo.data ? (
                  <ZoneMap map={map.data} geo={geo.data} theme={DARK} lang={lang} t={t} height={396} onOpen={(to) => navigate(to)} testId="screen-chart-map" />
                ) : (
                  <div style={{ fontSize: 24, color: '#8fb3e8', textAlign: 'center', paddingTop: 180 }}>{t('cockpit.loading')}</div>
                )}
              </Panel>
              {o.indicators.available ? (
                <Panel title={t('cockpit.sections.indicators')} height={260} testId="screen-indicators" extra={o.indicators.note}>
                  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '6px 12px' }}>
                    {o.indicators.items.slice(0, 6).map((i) => (
                      <button key={i.key} type="button" onClick={() => navigate(i.link)} style={{ all: 'unset', cursor: 'pointer', minWidth: 0, padding: '4px 6px' }}>
                        <div style={{ fontSize: 20, color: '#8fb3e8', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{i.name}</div>
                        <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, whiteSpace: 'nowrap' }}>
                          <span style={{ fontSize: 30, fontWeight: 700, color: i.yoy !== null && i.yoy.startsWith('-') ? '#73d13d' : '#ff7a45', fontVariantNumeric: 'tabular-nums' }}>
                            {i.yoy === null ? '—' : `${i.yoy.startsWith('-') ? '' : '+'}${i.yoy}%`}
                          </span>
                          {i.rank !== null && <span style={{ fontSize: 17, color: '#e8f1ff' }}>{t('cockpit.screen.rank', { rank: i.rank, of: i.of })}</span>}
                        </div>
                      </button>
                    ))}
                  </div>
                </Panel>
              ) : (
                <Panel title={t('cockpit.charts.meetings')} height={260}>
                  <Chart built={built.meetings} height={200} testId="screen-chart-meetings" />
                </Panel>
              )}
            </div>

            {/* right: the closed loop */}
            <div style={{ display: 'flex', flexDirection: 'column', gap: 20 }}>
              <Panel title={t('cockpit.charts.lights')} height={220}>
                <Chart built={built.lights} height={160} testId="screen-chart-lights" />
              </Panel>
              <Panel title={t('cockpit.charts.ranking')} height={230}>
                <Chart built={built.ranking} height={170} testId="screen-chart-ranking" />
              </Panel>
              <Panel title={t('cockpit.screen.weekly')} height={240}>
                <Chart built={built.weekly} height={180} testId="screen-chart-weekly" />
              </Panel>
              <Panel title={t('cockpit.screen.red')} height={210} extra={<Link2 c={o.problems.overdue} />}>
                <Rows
                  items={o.problems.redList.slice(0, 4)}
                  empty={t('cockpit.red.none')}
                  onOpen={(x) => navigate(x.link)}
                  cells={(x) => [
                    x.title,
                    x.leadUnit?.name ?? '—',
                    <span style={{ color: '#ff7875' }}>{x.deadline ? t('cockpit.red.overdueDays', { count: daysBetween(x.deadline, o.today) }) : '—'}</span>,
                  ]}
                />
              </Panel>
            </div>
          </main>
        )}
      </div>
    </div>
  );
}

/** "共 N" in a panel's header, opening the whole list. */
function Link2({ c }: { c: Count }) {
  const navigate = useNavigate();
  return (
    <button type="button" onClick={() => navigate(c.link)} style={{ all: 'unset', cursor: 'pointer', color: ACCENT, fontSize: 22 }}>
      {c.n} ›
    </button>
  );
}

/**
 * The big screen's own gate: it is rendered outside the app layout (App.tsx), so it checks the session here —
 * anonymous visitors go to the login page and come back, forced steps and other roles go to the app.
 */
export default function BigScreenPage() {
  const me = useMe();
  const location = useLocation();
  if (me.isLoading) return <div style={{ position: 'fixed', inset: 0, background: '#02081a' }} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.data.mustChangePassword || me.data.mustEnrollTotp || !me.data.roles.some((r) => COCKPIT_READ.includes(r))) return <Navigate to="/" replace />;
  return (
    <MeProvider me={me.data}>
      <Screen />
    </MeProvider>
  );
}

