import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { addDays, shanghaiDay } from '../../../shared/days.ts';
import { meetingTitle, type MeetingType } from '../../../shared/meetings.ts';
import type { Role } from '../../../shared/roles.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import type { Keys } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { auditEvent } from '../../lib/audited.ts';
import { commandMembers, commands } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';
import { MEETING_ROLES, meetingReadWhere, meetingScope, type MeetingScope } from './meetings.policy.ts';
import { meetingAgendaItems, meetings } from './meetings.schema.ts';

/**
 * An HQ's meetings as an iCalendar feed (RFC 5545) for people's calendar apps (docs/api-meetings-documents.md):
 * `GET /api/hqs/{id}/meetings.ics` with the session cookie, or with a personal `?token=` that a calendar app can
 * carry (from `GET /api/hqs/{id}/meetings-feed`). The token is stateless: `<zoneId>.<userId>.<HMAC-SM3>` over the
 * zone, the user, the HQ and the user's last password change, keyed by a key derived from the server's secret. So
 * no table holds it; a password change invalidates it, and every request recomputes what the user may still see.
 */

/** Meetings shown from this many days ago onward. */
export const FEED_PAST_DAYS = 90;
export const ICS_MIME = 'text/calendar; charset=utf-8';
const TZID = 'Asia/Shanghai';

// ---- the token --------------------------------------------------------------------------------------------------

const feedKeys = new WeakMap<Keys, Buffer>();

/** HMAC-SM3 key of feed tokens, derived (HKDF-SM3) from the lookup-digest key with a label of its own. */
function feedKey(keys: Keys): Buffer {
  let key = feedKeys.get(keys);
  if (!key) {
    key = Buffer.from(hkdfSync('sm3', keys.digestKey, Buffer.alloc(0), 'qibu/ics-feed', 32));
    feedKeys.set(keys, key);
  }
  return key;
}

interface TokenSubject {
  zoneId: string;
  userId: string;
  commandId: string;
  /** The user's last password change: changing the password ends every feed link. */
  passwordChangedAt: Date;
}

function feedMac(keys: Keys, t: TokenSubject): Buffer {
  return createHmac('sm3', feedKey(keys)).update(['qibu-ics-v1', t.zoneId, t.userId, t.commandId, String(t.passwordChangedAt.getTime())].join('|')).digest();
}

export function feedToken(keys: Keys, t: TokenSubject): string {
  return `${t.zoneId}.${t.userId}.${feedMac(keys, t).toString('base64url')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The caller a feed token stands for, with the roles and HQ memberships the user has now; 401 for a token that
 * is malformed, forged, issued for another HQ or before the last password change, or of a disabled user.
 */
export async function callerFromFeedToken(s: AppServices, token: string, commandId: string, req: { ip?: string; id: unknown }): Promise<Caller> {
  const [zoneId, userId, mac, ...rest] = token.split('.');
  if (!zoneId || !userId || !mac || rest.length || !UUID.test(zoneId) || !UUID.test(userId)) throw new AppError('unauthenticated');
  const [user] = await s.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      unitId: users.unitId,
      enterpriseId: users.enterpriseId,
      disabled: users.disabled,
      passwordChangedAt: users.passwordChangedAt,
    })
    .from(users)
    .where(and(eq(users.zoneId, zoneId), eq(users.id, userId)));
  const given = Buffer.from(mac, 'base64url');
  // The MAC is checked even for an unknown user (against a made-up subject), so timing tells nothing.
  const expected = feedMac(s.keys, { zoneId, userId, commandId, passwordChangedAt: user?.passwordChangedAt ?? new Date(0) });
  const valid = given.length === expected.length && timingSafeEqual(given, expected);
  if (!user || !valid || user.disabled) throw new AppError('unauthenticated');
  const roles = (await s.db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.zoneId, zoneId), eq(userRoles.userId, userId)))).map((r) => r.role as Role);
  const members = await s.db
    .select({ commandId: commandMembers.commandId, memberRole: commandMembers.memberRole })
    .from(commandMembers)
    .where(and(eq(commandMembers.zoneId, zoneId), eq(commandMembers.userId, userId)));
  return {
    zoneId,
    userId,
    username: user.username,
    displayName: user.displayName,
    roles,
    unitId: user.unitId,
    enterpriseId: user.enterpriseId,
    commandIds: members.map((m) => m.commandId),
    ledCommandIds: members.filter((m) => m.memberRole !== 'staff').map((m) => m.commandId),
    sessionId: 'ics-feed',
    ip: req.ip ?? null,
    requestId: String(req.id),
  };
}

// ---- who sees which HQ's meetings -----------------------------------------------------------------------------

/**
 * The HQ (404 if it is not in the caller's zone) and the caller's meeting scope, when the caller may follow its
 * meetings: leaders, the HQ's members, and unit staff (who get the meetings their unit is invited to or must act
 * on). Anyone else — an HQ person who has left this HQ — gets 404, as if it did not exist.
 */
export async function hqForFeed(db: Db, caller: Caller, commandId: string): Promise<{ name: string; scope: MeetingScope }> {
  if (!hasRole(caller, ...MEETING_ROLES)) throw new AppError('forbidden');
  const [hq] = await db.select({ name: commands.name }).from(commands).where(and(eq(commands.zoneId, caller.zoneId), eq(commands.id, commandId)));
  if (!hq) throw notFound();
  const scope = await meetingScope(db, caller);
  const follows = scope.leader || scope.commandIds.includes(commandId) || scope.unitIds.length > 0;
  if (!follows) throw notFound();
  return { name: hq.name, scope };
}

/** `{ url }` for a calendar app to subscribe to: the .ics with the caller's personal token (audited). */
export async function meetingsFeedLink(s: AppServices, caller: Caller, commandId: string, baseUrl: string): Promise<{ url: string; webcalUrl: string }> {
  await hqForFeed(s.db, caller, commandId);
  const [user] = await s.db.select({ passwordChangedAt: users.passwordChangedAt }).from(users).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
  if (!user) throw new AppError('unauthenticated');
  const token = feedToken(s.keys, { zoneId: caller.zoneId, userId: caller.userId, commandId, passwordChangedAt: user.passwordChangedAt });
  await auditEvent(s, caller, { action: 'command.meetings_feed_link', entityType: 'command', entityId: commandId });
  const url = `${baseUrl.replace(/\/+$/, '')}/api/hqs/${commandId}/meetings.ics?token=${encodeURIComponent(token)}`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

// ---- the calendar -----------------------------------------------------------------------------------------------

export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location: string | null;
  description: string;
  url: string;
  cancelled: boolean;
  created: Date;
  lastModified: Date;
  sequence: number;
}

/** The caller's meetings of an HQ from FEED_PAST_DAYS ago on, as events. */
export async function hqMeetingEvents(s: AppServices, caller: Caller, commandId: string, baseUrl: string): Promise<{ name: string; events: IcsEvent[] }> {
  const db = s.db;
  const zoneId = caller.zoneId;
  const { name, scope } = await hqForFeed(db, caller, commandId);
  const from = addDays(shanghaiDay(s.now()), -FEED_PAST_DAYS);
  const rows = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.zoneId, zoneId), eq(meetings.commandId, commandId), gte(meetings.heldOn, from), meetingReadWhere(scope)))
    .orderBy(asc(meetings.startsAt))
    .limit(2000);
  const agenda = rows.length
    ? await db
        .select({ meetingId: meetingAgendaItems.meetingId, title: meetingAgendaItems.title })
        .from(meetingAgendaItems)
        .where(and(eq(meetingAgendaItems.zoneId, zoneId), inArray(meetingAgendaItems.meetingId, rows.map((r) => r.id))))
        .orderBy(asc(meetingAgendaItems.meetingId), asc(meetingAgendaItems.sortOrder))
    : [];
  const chairIds = [...new Set(rows.flatMap((r) => (r.chairUserId ? [r.chairUserId] : [])))];
  const chairs = new Map(
    chairIds.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, chairIds)))).map((u) => [u.id, u.name]) : [],
  );
  const base = baseUrl.replace(/\/+$/, '');
  const events = rows.map((m): IcsEvent => {
    const items = agenda.filter((a) => a.meetingId === m.id).map((a, i) => `${i + 1}. ${a.title}`);
    const link = `${base}/meetings/${m.id}`;
    const chair = m.chairUserId ? chairs.get(m.chairUserId) : undefined;
    const description = [
      ...(m.status === 'cancelled' ? ['本次会议已取消。'] : []),
      ...(chair ? [`主持：${chair}`] : []),
      ...(items.length ? ['会议议题：', ...items] : []),
      `详情：${link}`,
    ].join('\n');
    return {
      uid: `${m.id}@qibu`,
      start: m.startsAt,
      end: m.endsAt,
      summary: meetingTitle(name, m.type as MeetingType, m.number, m.subject),
      location: m.place,
      description,
      url: link,
      cancelled: m.status === 'cancelled',
      created: m.createdAt,
      lastModified: m.updatedAt,
      sequence: m.version,
    };
  });
  return { name, events };
}

/** A fixed +08:00 zone without daylight saving since 1991: one STANDARD rule describes it. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TZID}`,
  `X-LIC-LOCATION:${TZID}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
/** A moment in UTC: 20260310T060000Z. */
export const utcStamp = (d: Date) => `${stamp(d)}Z`;
/** A moment as local time in Asia/Shanghai (UTC+8 all year): 20260310T140000. */
export const shanghaiStamp = (d: Date) => stamp(new Date(d.getTime() + 8 * 3_600_000));

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped; other controls dropped. */
export function icsText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character; continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > 75) {
      out.push(current);
      current = ' ';
      bytes = 1;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** The iCalendar text of a published calendar of events (CRLF line ends, folded lines). */
export function writeCalendar(cal: { name: string; events: IcsEvent[]; now: Date }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Qibu//Meetings//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(cal.name)}`,
    `X-WR-TIMEZONE:${TZID}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...VTIMEZONE,
  ];
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(e.uid)}`,
      `DTSTAMP:${utcStamp(cal.now)}`,
      `DTSTART;TZID=${TZID}:${shanghaiStamp(e.start)}`,
      `DTEND;TZID=${TZID}:${shanghaiStamp(e.end)}`,
      `SUMMARY:${icsText(e.summary)}`,
      ...(e.location ? [`LOCATION:${icsText(e.location)}`] : []),
      `DESCRIPTION:${icsText(e.description)}`,
      `URL:${e.url.replace(/[\r\n]/g, '')}`,
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      `SEQUENCE:${e.sequence}`,
      `CREATED:${utcStamp(e.created)}`,
      `LAST-MODIFIED:${utcStamp(e.lastModified)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** The .ics of an HQ's meetings as the caller may see them. */
export async function hqMeetingsIcs(s: AppServices, caller: Caller, commandId: string, baseUrl: string): Promise<{ name: string; text: string }> {
  const { name, events } = await hqMeetingEvents(s, caller, commandId, baseUrl);
  const calendarName = `${name}会议`;
  return { name: calendarName, text: writeCalendar({ name: calendarName, events, now: s.now() }) };
}
