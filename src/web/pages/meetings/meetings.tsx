import { Tag } from 'antd';
import { ATTENDANCE_LABELS, MEETING_STATUS_LABELS, MEETING_TYPE_LABELS, type AttendanceStatus, type MeetingStatus, type MeetingType } from '../../../shared/meetings.ts';
import type { MeetingListItem } from '../../api/meetings.ts';
import type { Me } from '../../api/types.ts';
import { ZONE_TZ } from '../../components/format.ts';
import { pick, useLang, type Lang } from '../../i18n/index.ts';

// ---------------------------------------------------------------- status and type

/** The calendar's colours: planned blue, held orange, minutes issued green, cancelled grey. */
export const STATUS_COLORS: Record<MeetingStatus, string> = { planned: '#1f4e9a', held: '#d46b08', minutes_issued: '#389e0d', cancelled: '#8c8c8c' };
const STATUS_TAG: Record<MeetingStatus, string> = { planned: 'blue', held: 'orange', minutes_issued: 'green', cancelled: 'default' };

export function statusLabel(s: string, lang: Lang): string {
  const l = MEETING_STATUS_LABELS[s as MeetingStatus];
  return l ? pick(l, lang) : s;
}

/** 例会 / 专题推进会 / 领导小组会议 (the type's own word, not the numbered title). */
export function typeLabel(type: string, lang: Lang): string {
  if (type === 'leading_group') return lang === 'en' ? MEETING_TYPE_LABELS.leading_group.en : '领导小组会议';
  const l = MEETING_TYPE_LABELS[type as MeetingType];
  return l ? pick(l, lang) : type;
}

export function attendanceLabel(s: string, lang: Lang): string {
  const l = ATTENDANCE_LABELS[s as AttendanceStatus];
  return l ? pick(l, lang) : s;
}

export function MeetingStatusTag({ status }: { status: string }) {
  const lang = useLang();
  return (
    <Tag color={STATUS_TAG[status as MeetingStatus] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="meeting-status" data-status={status}>
      {statusLabel(status, lang)}
    </Tag>
  );
}

export function MeetingTypeTag({ type }: { type: string }) {
  const lang = useLang();
  return (
    <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
      {typeLabel(type, lang)}
    </Tag>
  );
}

// ---------------------------------------------------------------- times in the zone's time zone

const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE_TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE_TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

/** "14:30" in Asia/Shanghai. */
export function timeOf(iso: string): string {
  return timeFmt.format(new Date(iso));
}

/** "2026-05-12" in Asia/Shanghai. */
export function dayOf(iso: string): string {
  return dayFmt.format(new Date(iso));
}

export function minutesBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 60_000);
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function weekdayOf(day: string, lang: Lang): string {
  return (lang === 'en' ? WEEKDAYS_EN : WEEKDAYS_ZH)[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? '';
}

/** "2026-05-12（周二）14:30–16:00". */
export function whenText(m: Pick<MeetingListItem, 'startsAt' | 'endsAt' | 'heldOn'>, lang: Lang): string {
  const wd = weekdayOf(m.heldOn, lang);
  return `${m.heldOn}${lang === 'en' ? ` (${wd})` : `（${wd}）`} ${timeOf(m.startsAt)}–${timeOf(m.endsAt)}`;
}

/** `day` plus n calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week `day` is in. */
export function mondayOf(day: string): string {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((wd + 6) % 7));
}

// ---------------------------------------------------------------- who plans what

const HQ_ROLES = ['hq_commander', 'hq_staff'];

/** The HQs whose meetings this user runs (leaders run all: `null`). */
export function runnableCommandIds(me: Me): string[] | null {
  if (me.roles.includes('zone_leader')) return null;
  if (!me.roles.some((r) => HQ_ROLES.includes(r))) return [];
  return me.commands.map((c) => c.id);
}

/** The Chinese ordinal of a decision: 一、二、三 … */
export function decisionNo(seq: number, lang: Lang): string {
  if (lang === 'en') return `${seq}. `;
  const d = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (seq < 10) return `${d[seq]}、`;
  if (seq < 20) return `十${d[seq - 10]}、`;
  if (seq < 100) return `${d[Math.floor(seq / 10)]}十${d[seq % 10]}、`;
  return `${seq}、`;
}
