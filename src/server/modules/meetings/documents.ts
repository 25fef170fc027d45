import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { ATTENDANCE_LABELS, meetingTitle, type AttendanceStatus, type MeetingType } from '../../../shared/meetings.ts';
import type { AppServices, Caller } from '../../context.ts';
import { fieldError, notFound } from '../../errors.ts';
import { auditEvent } from '../../lib/audited.ts';
import {
  chineseDate,
  chineseNumber,
  numericDate,
  renderDocument,
  type Block,
  type DocumentFormat,
  type DocumentSpec,
  type Inline,
} from '../../lib/documents/index.ts';
import { commandMembers, orgGroupMembers, units } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';
import { bodyName } from './meetings.body.ts';
import { minutesContent, type MinutesContent } from './meetings.minutes.ts';
import { loadMeetingInScope } from './meetings.policy.ts';
import { meetingAttendance, meetingInvitees, meetingMinutesVersions, meetings } from './meetings.schema.ts';

/**
 * A meeting's printable documents (docs/api-meetings-documents.md): the minutes (会议纪要, GB/T 9704 §10.3) from
 * an issued, frozen version — or, before the first issue, from the current content marked 征求意见稿 — and the
 * sign-in sheet (签到表) to print before the meeting. Layout: src/server/lib/documents.
 */

export const MEETING_DOCUMENTS = {
  minutes: { fileLabel: '会议纪要', audit: 'minutes' },
  'attendance-sheet': { fileLabel: '签到表', audit: 'attendance_sheet' },
} as const;
export type MeetingDocumentKind = keyof typeof MEETING_DOCUMENTS;

type MeetingRow = typeof meetings.$inferSelect;

/** Which minutes to print: an issued version (frozen), or the current content as a draft. */
export interface MinutesEdition {
  content: MinutesContent;
  /** null: a draft (征求意见稿), never issued or asked for with `draft`. */
  issued: { minutesVersion: number; issuedAt: Date; reason: string | null } | null;
}

// ---- the minutes ----------------------------------------------------------------------------------------------

const label = (text: string): Inline => ({ text, bold: true });
const lines = (text: string | null | undefined) =>
  (text ?? '')
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);

type Person = MinutesContent['attendees'][number]['people'][number];

/** 崔寨街道 孙晓燕、赵振华；经济发展部 刘代会（代褚明） — people of the given statuses, grouped by unit. */
function attendanceLine(c: MinutesContent, statuses: readonly AttendanceStatus[], show: (p: Person) => string): string {
  return c.attendees
    .map((g) => ({ unit: g.unitName, people: g.people.filter((p) => statuses.includes(p.status)) }))
    .filter((g) => g.people.length)
    .map((g) => `${g.unit} ${g.people.map(show).join('、')}`)
    .join('；');
}

const present = (p: Person) => (p.status === 'substitute' && p.substituteName ? `${p.substituteName}（代${p.name}）` : p.name);
const absent = (p: Person) => (p.reason ? `${p.name}（${p.reason}）` : p.name);

/** Units the minutes go to (分送): everyone who attended or carries a decision, in order of first mention. */
function recipients(c: MinutesContent): string[] {
  const names = [
    ...c.attendees.filter((g) => g.unitName !== '其他').map((g) => g.unitName),
    ...c.decisions.flatMap((d) => [d.leadUnitName, ...d.cooperatingUnitNames]),
  ].filter(Boolean);
  return [...new Set(names)];
}

/**
 * 纪要 (GB/T 9704 §10.3): the red masthead "<issuing body>会议纪要" with the document number, the issuing body and
 * the date in Chinese; the title; 时间 / 地点 / 主持 / 出席 / 缺席 grouped by unit (substitutes as 代); the agenda
 * items with their minutes; 会议议定事项 with 牵头单位, 配合单位, 完成时限 and the problem it became; 分送 and
 * 印发 at the foot. No 落款: minutes carry none. A draft says 征求意见稿 where the number goes.
 */
export function minutesSpec(e: MinutesEdition): DocumentSpec {
  const c = e.content;
  const draft = e.issued === null;
  const blocks: Block[] = [];
  const info = (name: string, value: string | null | undefined) => {
    if (value) blocks.push({ kind: 'paragraph', text: [label(`${name}：`), value] });
  };
  info('时间', `${numericDate(c.heldOn)} ${c.startsAt}—${c.endsAt}`);
  info('地点', c.place);
  info('主持', c.chairName);
  info('出席', attendanceLine(c, ['present', 'substitute'], present));
  info('缺席', attendanceLine(c, ['absent'], absent));

  const opening = `${numericDate(c.heldOn)}，${c.chairName ? `${c.chairName}主持召开` : '召开'}${c.title}${c.items.length ? `，研究${chineseNumber(Math.min(c.items.length, 99))}项议题` : ''}。现将会议议定的主要事项纪要如下：`;
  blocks.push({ kind: 'paragraph', text: opening });
  for (const l of lines(c.summary)) blocks.push({ kind: 'paragraph', text: l });

  let section = 0;
  if (c.items.length) {
    blocks.push({ kind: 'heading', level: 1, text: `${chineseNumber(++section)}、会议议题` });
    c.items.forEach((item, i) => {
      blocks.push({ kind: 'heading', level: 2, text: `（${chineseNumber(Math.min(i + 1, 99))}）${item.title}` });
      if (item.presenter) blocks.push({ kind: 'paragraph', text: [label('汇报：'), item.presenter] });
      for (const l of lines(item.minutes)) blocks.push({ kind: 'paragraph', text: l });
    });
  }
  if (c.decisions.length) {
    blocks.push({ kind: 'heading', level: 1, text: `${chineseNumber(++section)}、会议议定事项` });
    c.decisions.forEach((d, i) => {
      blocks.push({ kind: 'paragraph', text: [label(`（${chineseNumber(Math.min(i + 1, 99))}）`), d.text] });
      const cooperating = d.cooperatingUnitNames.filter(Boolean);
      blocks.push({
        kind: 'paragraph',
        text: [
          label('牵头单位：'),
          d.leadUnitName,
          '；',
          label('配合单位：'),
          cooperating.length ? cooperating.join('、') : '无',
          '；',
          label('完成时限：'),
          numericDate(d.deadline),
          ...(d.problemCode ? ['；', label('问题编号：'), d.problemCode] : []),
          '。',
        ],
      });
    });
  }

  const foot: string[] = [];
  const to = recipients(c);
  if (to.length) foot.push(`分送：${to.join('、')}。`);
  if (e.issued) {
    foot.push(`${c.issuingBody}　　${numericDate(e.issued.issuedAt)}印发`);
    if (e.issued.minutesVersion > 1) foot.push(`本纪要为第${e.issued.minutesVersion}版${e.issued.reason ? `，修订原因：${e.issued.reason}` : ''}。`);
  } else {
    foot.push('本纪要为征求意见稿（草稿），尚未印发，内容以正式印发的版本为准。');
  }
  blocks.push({ kind: 'note', text: foot.join('\n') });

  return {
    title: `${c.title}纪要`,
    subject: draft ? `${c.title}纪要（征求意见稿）` : `${c.documentNumber} ${c.title}纪要`,
    author: c.issuingBody,
    masthead: {
      text: `${c.issuingBody}会议纪要`,
      number: draft ? '征求意见稿' : c.documentNumber,
      left: c.issuingBody,
      right: draft ? '草稿　未印发' : chineseDate(e.issued!.issuedAt),
    },
    blocks,
  };
}

/** A frozen version's content, read defensively: versions issued before a field existed still print. */
function frozen(raw: Record<string, unknown>): MinutesContent {
  const c = raw as Partial<MinutesContent>;
  return {
    ...(c as MinutesContent),
    attendees: (c.attendees ?? []).map((g) => ({ ...g, people: g.people ?? [] })),
    items: c.items ?? [],
    decisions: (c.decisions ?? []).map((d) => ({ ...d, cooperatingUnitNames: d.cooperatingUnitNames ?? [], problemCode: d.problemCode ?? null })),
    summary: c.summary ?? null,
    place: c.place ?? null,
    chairName: c.chairName ?? null,
  };
}

/**
 * The minutes to print: `version` (an issued one, 404 if there is none such), `draft` (the current content), or
 * by default the latest issued version — the current content as a draft while none has been issued.
 */
export async function minutesEdition(s: AppServices, caller: Caller, m: MeetingRow, opts: { version?: number; draft?: boolean }): Promise<MinutesEdition> {
  if (opts.draft && opts.version !== undefined) throw fieldError('draft', 'field.minutes_draft_or_version');
  if (opts.draft || (m.minutesVersion === 0 && opts.version === undefined)) {
    return { content: await minutesContent(s.db, caller.zoneId, m, ''), issued: null };
  }
  const wanted = opts.version ?? m.minutesVersion;
  const [row] = await s.db
    .select()
    .from(meetingMinutesVersions)
    .where(and(eq(meetingMinutesVersions.zoneId, caller.zoneId), eq(meetingMinutesVersions.meetingId, m.id), eq(meetingMinutesVersions.minutesVersion, wanted)));
  if (!row) throw notFound();
  return {
    content: frozen(row.content),
    issued: { minutesVersion: row.minutesVersion, issuedAt: row.issuedAt, reason: row.reason },
  };
}

// ---- the sign-in sheet ----------------------------------------------------------------------------------------

export interface SheetPerson {
  unitName: string;
  name: string;
  /** 出席 / 缺席（reason）/ 代会（who）; empty when not recorded yet. */
  status: string;
}

export interface AttendanceSheetFacts {
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  chairName: string | null;
  people: SheetPerson[];
}

const hhmm = (d: Date) => d.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** 签到表: the meeting, then one row per expected person with a blank column to sign in. */
export function attendanceSheetSpec(f: AttendanceSheetFacts): DocumentSpec {
  const when = `${numericDate(f.startsAt)} ${hhmm(f.startsAt)}—${hhmm(f.endsAt)}`;
  return {
    title: `${f.title}签到表`,
    subject: `${f.title}签到表`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          [
            { label: '会议时间', value: when },
            { label: '会议地点', value: f.place ?? '' },
          ],
          [
            { label: '主持人', value: f.chairName ?? '' },
            { label: '应到人数', value: `${f.people.length}人` },
          ],
        ],
      },
      { kind: 'spacer', lines: 1 },
      {
        kind: 'table',
        columns: [
          { header: '序号', weight: 0.8, align: 'center' },
          { header: '单位', weight: 2.2 },
          { header: '姓名', weight: 1.4 },
          { header: '状态', weight: 1.8, align: 'center' },
          { header: '签名', weight: 2.4 },
        ],
        // The blank signature cell holds two lines: room to sign by hand.
        rows: f.people.map((p, i) => [String(i + 1), p.unitName, p.name, p.status, ' \n ']),
      },
      { kind: 'note', text: '请参会人员在“签名”栏本人签名；代会人员签本人姓名并注明“代某某”。' },
    ],
  };
}

const ADMIN_ROLES = ['sys_admin', 'sec_admin', 'audit_admin'];

function statusText(a: { status: string; reason: string | null; substituteName: string | null }): string {
  const base = ATTENDANCE_LABELS[a.status as AttendanceStatus]?.zh ?? a.status;
  if (a.status === 'absent' && a.reason) return `${base}（${a.reason}）`;
  if (a.status === 'substitute' && a.substituteName) return `${base}（${a.substituteName}）`;
  return base;
}

/**
 * Who is expected: the people of the invited units (not the system's administrators), the members of the HQ
 * holding it and of invited HQs (or of the leading group), the chair, and anyone whose attendance is recorded.
 */
export async function attendanceSheetFacts(s: AppServices, caller: Caller, m: MeetingRow): Promise<AttendanceSheetFacts> {
  const db = s.db;
  const zoneId = caller.zoneId;
  const invitees = await db.select().from(meetingInvitees).where(and(eq(meetingInvitees.zoneId, zoneId), eq(meetingInvitees.meetingId, m.id)));
  const unitIds = invitees.filter((i) => i.kind === 'unit').map((i) => i.refId);
  const commandIds = [...(m.commandId ? [m.commandId] : []), ...invitees.filter((i) => i.kind === 'command').map((i) => i.refId)];
  const recorded = await db.select().from(meetingAttendance).where(and(eq(meetingAttendance.zoneId, zoneId), eq(meetingAttendance.meetingId, m.id)));

  const ids = new Set<string>(recorded.map((r) => r.userId));
  if (m.chairUserId) ids.add(m.chairUserId);
  if (commandIds.length) {
    for (const r of await db.select({ userId: commandMembers.userId }).from(commandMembers).where(and(eq(commandMembers.zoneId, zoneId), inArray(commandMembers.commandId, commandIds)))) ids.add(r.userId);
  }
  if (m.groupId) {
    for (const r of await db.select({ userId: orgGroupMembers.userId }).from(orgGroupMembers).where(and(eq(orgGroupMembers.zoneId, zoneId), eq(orgGroupMembers.groupId, m.groupId)))) ids.add(r.userId);
  }
  if (unitIds.length) {
    const admins = db.select({ userId: userRoles.userId }).from(userRoles).where(and(eq(userRoles.zoneId, zoneId), inArray(userRoles.role, ADMIN_ROLES)));
    const staff = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.zoneId, zoneId), inArray(users.unitId, unitIds), eq(users.disabled, false), notInArray(users.id, admins)));
    for (const r of staff) ids.add(r.id);
  }
  const people = ids.size
    ? await db
        .select({ id: users.id, name: users.displayName, unitId: users.unitId, disabled: users.disabled })
        .from(users)
        .where(and(eq(users.zoneId, zoneId), inArray(users.id, [...ids])))
    : [];
  const recordedBy = new Map(recorded.map((r) => [r.userId, r]));
  // Disabled accounts stay off the sheet unless their attendance was recorded.
  const expected = people.filter((p) => !p.disabled || recordedBy.has(p.id));
  const unitOf = (p: (typeof people)[number]) => recordedBy.get(p.id)?.unitId ?? p.unitId;
  const unitIdsShown = [...new Set(expected.flatMap((p) => (unitOf(p) ? [unitOf(p)!] : [])))];
  const unitNames = new Map(
    unitIdsShown.length ? (await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, zoneId), inArray(units.id, unitIdsShown)))).map((u) => [u.id, u.name]) : [],
  );
  const rows: SheetPerson[] = expected.map((p) => {
    const r = recordedBy.get(p.id);
    const unitId = unitOf(p);
    return { unitName: (unitId && unitNames.get(unitId)) || '', name: p.name, status: r ? statusText(r) : '' };
  });
  rows.sort((a, b) => (a.unitName === b.unitName ? a.name.localeCompare(b.name, 'zh-CN') : !a.unitName ? 1 : !b.unitName ? -1 : a.unitName.localeCompare(b.unitName, 'zh-CN')));
  const body = await bodyName(db, zoneId, m);
  const chairName = m.chairUserId ? (people.find((p) => p.id === m.chairUserId)?.name ?? null) : null;
  return { title: meetingTitle(body.name, m.type as MeetingType, m.number, m.subject), startsAt: m.startsAt, endsAt: m.endsAt, place: m.place, chairName, people: rows };
}

// ---- one document, audited ------------------------------------------------------------------------------------

export interface MinutesQuery {
  version?: number;
  draft?: boolean;
}

/**
 * One document of one meeting in one format (404 when the meeting is out of the caller's scope), audited as
 * `meeting.document.export`.
 */
export async function meetingDocument(
  s: AppServices,
  caller: Caller,
  id: string,
  kind: MeetingDocumentKind,
  format: DocumentFormat,
  q: MinutesQuery = {},
): Promise<{ body: Buffer; fileName: string }> {
  const { meeting: m } = await loadMeetingInScope(s.db, caller, id);
  let spec: DocumentSpec;
  let fileName: string;
  let details: Record<string, unknown>;
  if (kind === 'minutes') {
    const edition = await minutesEdition(s, caller, m, q);
    spec = minutesSpec(edition);
    const suffix = edition.issued ? (edition.issued.minutesVersion > 1 ? `_第${edition.issued.minutesVersion}版` : '') : '_征求意见稿';
    fileName = `${MEETING_DOCUMENTS.minutes.fileLabel}_${edition.content.title}${suffix}`;
    details = edition.issued ? { minutesVersion: edition.issued.minutesVersion, documentNumber: edition.content.documentNumber } : { draft: true };
  } else {
    const facts = await attendanceSheetFacts(s, caller, m);
    spec = attendanceSheetSpec(facts);
    fileName = `${MEETING_DOCUMENTS['attendance-sheet'].fileLabel}_${facts.title}`;
    details = { people: facts.people.length };
  }
  const body = await renderDocument(spec, format);
  await auditEvent(s, caller, {
    action: 'meeting.document.export',
    entityType: 'meeting',
    entityId: id,
    after: { document: MEETING_DOCUMENTS[kind].audit, format, ...details },
  });
  return { body, fileName };
}
