import { and, asc, eq, inArray } from 'drizzle-orm';
import { ATTENDANCE_LABELS, meetingTitle, type AttendanceStatus, type MeetingType } from '../../../shared/meetings.ts';
import type { Db } from '../../db/client.ts';
import { units } from '../org/org.schema.ts';
import { problems } from '../problems/problems.schema.ts';
import { users } from '../users/users.schema.ts';
import { meetingAgendaItems, meetingAttendance, meetingDecisions, type meetings } from './meetings.schema.ts';
import { bodyName } from './meetings.body.ts';

/**
 * The content of a meeting's minutes (纪要, GB/T 9704 §10.3): what an issued version freezes and what the minutes
 * documents are drawn from. Names are resolved at the time of issue, so a later rename does not change an issued
 * document.
 */
export interface MinutesContent {
  title: string;
  documentNumber: string;
  issuingBody: string;
  heldOn: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  chairName: string | null;
  attendees: { unitName: string; people: { name: string; status: AttendanceStatus; statusLabel: string; reason: string | null; substituteName: string | null }[] }[];
  summary: string | null;
  items: { seq: number; title: string; presenter: string | null; minutes: string | null }[];
  decisions: { seq: number; text: string; kind: string; leadUnitName: string; cooperatingUnitNames: string[]; deadline: string; problemCode: string | null }[];
}

type MeetingRow = typeof meetings.$inferSelect;

export async function minutesContent(db: Db, zoneId: string, m: MeetingRow, documentNumber: string): Promise<MinutesContent> {
  const body = await bodyName(db, zoneId, m);
  const items = await db.select().from(meetingAgendaItems).where(and(eq(meetingAgendaItems.zoneId, zoneId), eq(meetingAgendaItems.meetingId, m.id))).orderBy(asc(meetingAgendaItems.sortOrder));
  const attendance = await db
    .select({ userId: meetingAttendance.userId, unitId: meetingAttendance.unitId, status: meetingAttendance.status, reason: meetingAttendance.reason, substituteName: meetingAttendance.substituteName, name: users.displayName })
    .from(meetingAttendance)
    .innerJoin(users, and(eq(users.zoneId, meetingAttendance.zoneId), eq(users.id, meetingAttendance.userId)))
    .where(and(eq(meetingAttendance.zoneId, zoneId), eq(meetingAttendance.meetingId, m.id)));
  const decisions = await db.select().from(meetingDecisions).where(and(eq(meetingDecisions.zoneId, zoneId), eq(meetingDecisions.meetingId, m.id))).orderBy(asc(meetingDecisions.seq));
  const unitIds = [
    ...new Set([
      ...attendance.flatMap((a) => (a.unitId ? [a.unitId] : [])),
      ...items.flatMap((i) => (i.presenterUnitId ? [i.presenterUnitId] : [])),
      ...decisions.flatMap((d) => [d.leadUnitId, ...d.cooperatingUnitIds]),
    ]),
  ];
  const unitNames = new Map(
    unitIds.length ? (await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, zoneId), inArray(units.id, unitIds)))).map((u) => [u.id, u.name]) : [],
  );
  const peopleIds = [...new Set([...(m.chairUserId ? [m.chairUserId] : []), ...items.flatMap((i) => (i.presenterUserId ? [i.presenterUserId] : []))])];
  const names = new Map(
    peopleIds.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, peopleIds)))).map((u) => [u.id, u.name]) : [],
  );
  const problemIds = decisions.flatMap((d) => (d.problemId ? [d.problemId] : []));
  const codes = new Map(
    problemIds.length
      ? (await db.select({ id: problems.id, code: problems.code }).from(problems).where(and(eq(problems.zoneId, zoneId), inArray(problems.id, problemIds)))).map((p) => [p.id, p.code])
      : [],
  );

  const byUnit = new Map<string, MinutesContent['attendees'][number]>();
  for (const a of attendance.sort((x, y) => x.name.localeCompare(y.name, 'zh-CN'))) {
    const unitName = (a.unitId && unitNames.get(a.unitId)) || '其他';
    const group = byUnit.get(unitName) ?? { unitName, people: [] };
    const status = a.status as AttendanceStatus;
    group.people.push({ name: a.name, status, statusLabel: ATTENDANCE_LABELS[status].zh, reason: a.reason, substituteName: a.substituteName });
    byUnit.set(unitName, group);
  }
  const time = (d: Date) => d.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
  return {
    title: meetingTitle(body.name, m.type as MeetingType, m.number, m.subject),
    documentNumber,
    issuingBody: body.name,
    heldOn: m.heldOn,
    startsAt: time(m.startsAt),
    endsAt: time(m.endsAt),
    place: m.place,
    chairName: m.chairUserId ? (names.get(m.chairUserId) ?? null) : null,
    attendees: [...byUnit.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')),
    summary: m.summary,
    items: items.map((i, n) => ({
      seq: n + 1,
      title: i.title,
      presenter: [i.presenterUnitId ? unitNames.get(i.presenterUnitId) : null, i.presenterUserId ? names.get(i.presenterUserId) : null].filter(Boolean).join(' ') || null,
      minutes: i.minutes,
    })),
    decisions: decisions.map((d) => ({
      seq: d.seq,
      text: d.text,
      kind: d.kind,
      leadUnitName: unitNames.get(d.leadUnitId) ?? '',
      cooperatingUnitNames: d.cooperatingUnitIds.map((u) => unitNames.get(u) ?? ''),
      deadline: d.deadline,
      problemCode: d.problemId ? (codes.get(d.problemId) ?? null) : null,
    })),
  };
}
