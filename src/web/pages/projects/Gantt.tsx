import type { ReactNode } from 'react';
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { todayInZone } from '../../components/format.ts';

/**
 * A plain-CSS Gantt: a month axis, one line per row with bars (spans) and diamonds (dates), a red line for today.
 * Wide content scrolls sideways inside its own box (phones), the row labels stay put.
 */
export type GanttTone = 'plan' | 'actual' | 'late' | 'overdue' | 'done' | 'pending' | 'phase';

export interface GanttBar {
  from: string;
  to: string;
  tone: GanttTone;
  title: string;
  /** Thin bars sit on the upper half of the line (plan), thick ones on the lower half (actual). */
  lane?: 'upper' | 'lower' | 'full';
}

export interface GanttMarker {
  on: string;
  tone: GanttTone;
  title: string;
}

export interface GanttRowDef {
  key: string;
  label: ReactNode;
  sub?: boolean;
  late?: boolean;
  bars: GanttBar[];
  markers: GanttMarker[];
}

const DAY = 86_400_000;
const toMs = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let d = dayjs(`${from.slice(0, 7)}-01`);
  const end = dayjs(`${to.slice(0, 7)}-01`);
  while (!d.isAfter(end) && out.length < 240) {
    out.push(d.format('YYYY-MM'));
    d = d.add(1, 'month');
  }
  return out;
}

const showMonthsFor = (n: number) => n <= 48;

export function GanttChart({ rows, emptyText, testId }: { rows: GanttRowDef[]; emptyText?: string; testId?: string }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const today = todayInZone();
  const dates = rows.flatMap((r) => [...r.bars.flatMap((b) => [b.from, b.to]), ...r.markers.map((m) => m.on)]).filter(Boolean);
  if (!rows.length || !dates.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText ?? t('projects.gantt.empty')} />;
  const sorted = [...dates, today].sort();
  const months = monthsBetween(sorted[0]!, sorted[sorted.length - 1]!);
  const start = toMs(`${months[0]}-01`);
  const end = toMs(dayjs(`${months[months.length - 1]}-01`).add(1, 'month').format('YYYY-MM-DD'));
  const span = Math.max(end - start, DAY);
  const pos = (d: string) => Math.max(0, Math.min(100, ((toMs(d) - start) / span) * 100));
  const labelWidth = mobile ? 128 : 280;
  const monthWidth = showMonthsFor(months.length) ? (mobile ? 26 : 34) : 14;
  const trackWidth = Math.max(months.length * monthWidth, mobile ? 240 : 640);
  const showMonths = showMonthsFor(months.length);
  const years: { year: string; from: number; count: number }[] = [];
  months.forEach((m, i) => {
    const y = m.slice(0, 4);
    const last = years[years.length - 1];
    if (last && last.year === y) last.count += 1;
    else years.push({ year: y, from: i, count: 1 });
  });

  return (
    <div className="qibu-gantt" data-testid={testId}>
      <div className="qibu-gantt-scroll">
        <div style={{ minWidth: labelWidth + trackWidth }}>
          <div className="qibu-gantt-row qibu-gantt-head">
            <div className="qibu-gantt-label" style={{ width: labelWidth }} />
            <div className="qibu-gantt-track" style={{ minWidth: trackWidth }}>
              {years.map((y) => (
                <div key={y.year} className="qibu-gantt-year" style={{ left: `${(y.from / months.length) * 100}%`, width: `${(y.count / months.length) * 100}%` }}>
                  {y.count >= 2 || !showMonths ? y.year : ''}
                </div>
              ))}
            </div>
          </div>
          {showMonths && (
            <div className="qibu-gantt-row qibu-gantt-head qibu-gantt-head-months">
              <div className="qibu-gantt-label" style={{ width: labelWidth }} />
              <div className="qibu-gantt-track" style={{ minWidth: trackWidth }}>
                {months.map((m, i) => (
                  <div key={m} className={`qibu-gantt-month${m.endsWith('-01') ? ' qibu-gantt-jan' : ''}`} style={{ left: `${(i / months.length) * 100}%`, width: `${100 / months.length}%` }}>
                    {Number(m.slice(5))}
                  </div>
                ))}
              </div>
            </div>
          )}
          {rows.map((r) => (
            <div key={r.key} className={`qibu-gantt-row${r.sub ? ' qibu-gantt-sub' : ''}${r.late ? ' qibu-gantt-late' : ''}`}>
              <div className="qibu-gantt-label" style={{ width: labelWidth }}>
                {r.label}
              </div>
              <div className="qibu-gantt-track" style={{ minWidth: trackWidth }}>
                {months.map((m, i) => (m.endsWith('-01') && i > 0 ? <div key={m} className="qibu-gantt-grid" style={{ left: `${(i / months.length) * 100}%` }} /> : null))}
                {r.bars.map((b, i) => {
                  const [a, z] = b.from <= b.to ? [b.from, b.to] : [b.to, b.from];
                  const left = pos(a);
                  const width = Math.max(pos(dayjs(z).add(1, 'day').format('YYYY-MM-DD')) - left, 0.4);
                  return <div key={i} className={`qibu-gantt-bar qibu-tone-${b.tone} qibu-lane-${b.lane ?? 'full'}`} style={{ left: `${left}%`, width: `${width}%` }} title={b.title} />;
                })}
                {r.markers.map((m, i) => (
                  <div key={`m${i}`} className={`qibu-gantt-diamond qibu-tone-${m.tone}`} style={{ left: `${pos(m.on)}%` }} title={m.title} />
                ))}
                <div className="qibu-gantt-today" style={{ left: `${pos(today)}%` }} />
              </div>
            </div>
          ))}
        </div>
      </div>
      <div className="qibu-gantt-legend">
        <span>
          <i className="qibu-gantt-key qibu-tone-plan" />
          {t('projects.gantt.planned')}
        </span>
        <span>
          <i className="qibu-gantt-key qibu-tone-done" />
          {t('projects.gantt.actual')}
        </span>
        <span>
          <i className="qibu-gantt-key qibu-tone-late" />
          {t('projects.gantt.late')}
        </span>
        <span>
          <i className="qibu-gantt-key qibu-gantt-key-today" />
          {t('projects.gantt.today', { date: today })}
        </span>
      </div>
    </div>
  );
}
