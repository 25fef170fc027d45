import { and, asc, eq, inArray } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import {
  ESCALATION_LABELS,
  PRIORITY_LABELS,
  SOURCE_LABELS,
  STATE_LABELS,
  type EscalationLevel,
  type ProblemPriority,
  type ProblemSource,
  type ProblemState,
} from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { auditEvent } from '../../lib/audited.ts';
import { numericDate, numericDateTime, qrPng, renderDocument, type Block, type DocumentFormat, type DocumentSpec, type FieldRow } from '../../lib/documents/index.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { commands, units } from '../org/org.schema.ts';
import { projects } from '../projects/projects.schema.ts';
import { workdaysLeft } from './problems.read.ts';
import type { ProblemRow } from './problems.repository.ts';
import { problemEvents } from './problems.schema.ts';
import { loadProblemInScope } from './problems.service.ts';

/**
 * The closed loop's printable documents (docs/documents.md): 交办单 (assignment notice) and 督办单 (supervision
 * notice) of one problem, as Word or PDF, with a QR code to the problem. Data comes straight from the tables;
 * the layout is src/server/lib/documents.
 */

export const PROBLEM_DOCUMENTS = {
  'assignment-notice': { title: '问题交办单', fileLabel: '交办单', audit: 'assignment_notice' },
  'supervision-notice': { title: '问题督办单', fileLabel: '督办单', audit: 'supervision_notice' },
} as const;
export type ProblemDocumentKind = keyof typeof PROBLEM_DOCUMENTS;

/** Working days the lead unit has to answer a 督办单, counted from the last supervision (unless it names a date). */
export const SUPERVISION_REPLY_WORKDAYS = 3;

export interface TimelineEntry {
  at: Date;
  action: string;
  actorName: string;
  actorUnitName: string | null;
  text: string | null;
  data: Record<string, unknown>;
}

/** Everything the two notices show, read once. */
export interface ProblemFacts {
  problem: ProblemRow;
  commandName: string;
  leadUnitName: string | null;
  cooperatingUnitNames: string[];
  placeUnitName: string | null;
  projectName: string | null;
  categoryLabel: string | null;
  timeline: TimelineEntry[];
  today: string;
  calendar: WorkCalendar;
}

/** The problem (404 when out of the caller's scope), its names and its timeline, oldest first. */
export async function loadProblemFacts(s: AppServices, caller: Caller, id: string): Promise<ProblemFacts> {
  const db = s.db;
  const zoneId = caller.zoneId;
  const { problem: p, cooperatingUnitIds } = await loadProblemInScope(db, caller, id);
  const events = await db
    .select()
    .from(problemEvents)
    .where(and(eq(problemEvents.zoneId, zoneId), eq(problemEvents.problemId, p.id)))
    .orderBy(asc(problemEvents.at), asc(problemEvents.id));
  const names = await unitNames(db, zoneId, [p.leadUnitId, p.placeUnitId, ...cooperatingUnitIds, ...events.map((e) => e.actorUnitId)]);
  const [command] = await db.select({ name: commands.name }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, p.commandId)));
  const [project] = p.projectId ? await db.select({ name: projects.name }).from(projects).where(and(eq(projects.zoneId, zoneId), eq(projects.id, p.projectId))) : [];
  const [category] = await db
    .select({ label: dictionaryEntries.label })
    .from(dictionaryEntries)
    .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.dictionary, 'problem_category'), eq(dictionaryEntries.code, p.category)));
  const name = (uid: string | null) => (uid ? (names.get(uid) ?? null) : null);
  return {
    problem: p,
    commandName: command?.name ?? '',
    leadUnitName: name(p.leadUnitId),
    cooperatingUnitNames: cooperatingUnitIds.map((u) => names.get(u) ?? '').filter(Boolean),
    placeUnitName: name(p.placeUnitId),
    projectName: project?.name ?? null,
    categoryLabel: category?.label ?? null,
    timeline: events.map((e) => ({ at: e.at, action: e.action, actorName: e.actorName, actorUnitName: name(e.actorUnitId), text: e.text, data: e.data })),
    today: shanghaiDay(s.now()),
    calendar: await loadCalendar(db, zoneId),
  };
}

async function unitNames(db: Db, zoneId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, zoneId), inArray(units.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---- what the notices say ---------------------------------------------------------------------------------------

const NONE = '无';

const who = (e: TimelineEntry) => (e.actorUnitName ? `${e.actorUnitName} ${e.actorName}` : e.actorName);
const line = (e: TimelineEntry, text: string | null) => `${numericDateTime(e.at)}  ${who(e)}${text ? `：${text}` : ''}`;
const lastOf = (f: ProblemFacts, ...actions: string[]) => [...f.timeline].reverse().find((e) => actions.includes(e.action));

function deadlineText(p: ProblemRow): string | null {
  if (!p.deadline) return null;
  const parts = [numericDate(p.deadline)];
  if (p.deadlineWorkdays) parts.push(`（${p.deadlineWorkdays}个工作日）`);
  if (p.deadlineProvisional) parts.push('（暂定）');
  return parts.join('');
}

function escalationText(p: ProblemRow): string {
  const label = ESCALATION_LABELS[p.escalation as EscalationLevel]?.zh ?? p.escalation;
  return p.externalUnit ? `${label}（${p.externalUnit}）` : label;
}

function placeText(f: ProblemFacts): string | null {
  const parts = [f.placeUnitName, f.problem.address].filter((x): x is string => !!x);
  return parts.length ? parts.join(' ') : null;
}

function sourceText(p: ProblemRow): string {
  const label = SOURCE_LABELS[p.source as ProblemSource]?.zh ?? p.source;
  return p.sourceNote ? `${label}（${p.sourceNote}）` : label;
}

/** 已超期3个工作日 / 剩余2个工作日 / 今日到期, or the state when the clock no longer runs. */
function timeLeftText(f: ProblemFacts): string {
  const p = f.problem;
  const left = workdaysLeft(f.calendar, p, f.today);
  if (left === null) return p.deadline ? STATE_LABELS[p.state as ProblemState].zh : '未设定时限';
  const paused = p.state === 'suspended' ? '（挂起中，计时暂停）' : '';
  if (left < 0) return `已超期${-left}个工作日${paused}`;
  if (left === 0) return `${p.deadline === f.today ? '今日' : numericDate(p.deadline!)}到期${paused}`;
  return `剩余${left}个工作日${paused}`;
}

const SUPERVISION_LEVELS = ['未提级', '指挥长督办', '区领导督办'];

/** 崔寨街道 孙晓燕 2026年11月27日 10:05 签收 — from the last 'accept' since the problem was (re)assigned. */
function signedFor(f: ProblemFacts): string | null {
  const accept = lastOf(f, 'accept', 'assign', 'reassign', 'insist');
  if (!accept || accept.action !== 'accept') return null;
  return `${who(accept)}  ${numericDateTime(accept.at)} 签收`;
}

function progress(f: ProblemFacts): string[] {
  return f.timeline.filter((e) => e.action === 'report_progress').map((e) => line(e, e.text));
}

function result(f: ProblemFacts): string[] {
  const submit = lastOf(f, 'submit');
  return submit ? [line(submit, submit.text)] : [];
}

function opinions(f: ProblemFacts): string[] {
  return f.timeline
    .filter((e) => e.action === 'close' || e.action === 'return')
    .map((e) => (e.action === 'close' ? line(e, `核验通过，予以销号。${e.text ?? ''}`) : line(e, `退回重办。${e.text ?? ''}`)));
}

function corner(qr: Buffer) {
  return { png: qr, widthMm: 20, caption: '扫码查看问题详情' };
}

function header(f: ProblemFacts, kind: ProblemDocumentKind, qr: Buffer): Omit<DocumentSpec, 'blocks'> {
  return {
    title: PROBLEM_DOCUMENTS[kind].title,
    subject: `${f.problem.code} ${f.problem.title}`,
    author: f.commandName,
    masthead: { text: f.commandName, number: `编号：${f.problem.code}` },
    corner: corner(qr),
  };
}

/** 交办单: what is assigned to whom by when, with the sign-for, progress, result and verification so far. */
export function assignmentNoticeSpec(f: ProblemFacts, qr: Buffer): DocumentSpec {
  const p = f.problem;
  // The number is in the masthead; rows with nothing to say (no project, no place) are left out.
  const rows: FieldRow[] = [
    { label: '问题名称', value: p.title },
    [
      { label: '问题类别', value: f.categoryLabel ?? p.category },
      { label: '紧急程度', value: PRIORITY_LABELS[p.priority as ProblemPriority]?.zh ?? p.priority },
    ],
    [
      { label: '问题来源', value: sourceText(p) },
      { label: '提出人', value: p.raisedByName },
    ],
    ...(f.projectName ? [{ label: '所属项目', value: f.projectName }] : []),
    ...(placeText(f) ? [{ label: '问题位置', value: placeText(f) }] : []),
    { label: '问题描述', value: p.description ?? NONE },
    { label: '牵头单位', value: f.leadUnitName },
    { label: '协办单位', value: f.cooperatingUnitNames.length ? f.cooperatingUnitNames.join('、') : NONE },
    [
      { label: '交办日期', value: p.assignedOn ? numericDate(p.assignedOn) : null },
      { label: '协调层级', value: escalationText(p) },
    ],
    { label: '办理时限', value: deadlineText(p) },
    { label: '交办要求', value: p.instruction ?? '请牵头单位按时限办结并在平台反馈办理结果，协办单位积极配合。' },
    { label: '签收情况', value: signedFor(f), minLines: 2 },
    { label: '办理进展', value: progress(f), minLines: 2 },
    { label: '办理结果', value: result(f), minLines: 2 },
    { label: '核验意见', value: opinions(f), minLines: 2 },
  ];
  // One page for a usual problem: the QR code's caption points to the details, so no note at the foot.
  const blocks: Block[] = [
    { kind: 'fields', rows },
    { kind: 'closing', issuer: f.commandName, date: p.assignedOn ?? f.today },
  ];
  return { ...header(f, 'assignment-notice', qr), blocks };
}

/** 督办单: the supervisions (leaders' 督办 and automatic escalations), how overdue it is, and when to reply. */
export function supervisionNoticeSpec(f: ProblemFacts, qr: Buffer): DocumentSpec {
  const p = f.problem;
  const supervisions = f.timeline.filter((e) => e.action === 'supervise' || e.action === 'escalate');
  const reminders = f.timeline.filter((e) => e.action === 'remind' || e.action === 'auto_remind').length;
  const last = supervisions.at(-1);
  const named = typeof last?.data.replyBy === 'string' ? last.data.replyBy : null;
  const replyBy = named ?? f.calendar.addWorkdays(last ? shanghaiDay(last.at) : f.today, SUPERVISION_REPLY_WORKDAYS).date;
  const rows: FieldRow[] = [
    { label: '问题名称', value: p.title },
    [
      { label: '牵头单位', value: f.leadUnitName },
      { label: '协办单位', value: f.cooperatingUnitNames.length ? f.cooperatingUnitNames.join('、') : NONE },
    ],
    [
      { label: '交办日期', value: p.assignedOn ? numericDate(p.assignedOn) : null },
      { label: '当前状态', value: STATE_LABELS[p.state as ProblemState]?.zh ?? p.state },
    ],
    { label: '办理时限', value: deadlineText(p) },
    [
      { label: '超期情况', value: timeLeftText(f) },
      { label: '督办级别', value: SUPERVISION_LEVELS[p.supervisionLevel] ?? `${p.supervisionLevel}` },
    ],
    [
      { label: '催办次数', value: `${reminders}次` },
      { label: '协调层级', value: escalationText(p) },
    ],
    { label: '问题描述', value: p.description ?? NONE },
    { label: '交办要求', value: p.instruction ?? NONE },
    {
      label: '督办记录',
      value: supervisions.length ? supervisions.map((e) => line(e, e.text)) : '尚无督办记录',
      minLines: 2,
    },
    { label: '反馈时限', value: `请于${numericDate(replyBy)}前将办理情况在平台反馈（或书面报送${f.commandName}）` },
    { label: '办理情况', value: null, minLines: 4 },
  ];
  const blocks: Block[] = [
    { kind: 'fields', rows },
    { kind: 'signature', items: [{ label: '签收人' }, { label: '签收时间' }] },
    { kind: 'closing', issuer: f.commandName, date: f.today },
  ];
  return { ...header(f, 'supervision-notice', qr), blocks };
}

/** The link a notice's QR code opens: the problem's page in the web app. */
export function problemLink(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/problems/${id}`;
}

/**
 * One notice of one problem in one format, audited as `problem.document.export`. `baseUrl` is where users open
 * Qibu (config `publicUrl`, else the address the request came to).
 */
export async function problemDocument(
  s: AppServices,
  caller: Caller,
  id: string,
  kind: ProblemDocumentKind,
  format: DocumentFormat,
  baseUrl: string,
): Promise<{ body: Buffer; fileName: string }> {
  const facts = await loadProblemFacts(s, caller, id);
  const qr = await qrPng(problemLink(baseUrl, id));
  const spec = kind === 'assignment-notice' ? assignmentNoticeSpec(facts, qr) : supervisionNoticeSpec(facts, qr);
  const body = await renderDocument(spec, format);
  await auditEvent(s, caller, {
    action: 'problem.document.export',
    entityType: 'problem',
    entityId: id,
    after: { document: PROBLEM_DOCUMENTS[kind].audit, format, code: facts.problem.code },
  });
  return { body, fileName: `${PROBLEM_DOCUMENTS[kind].fileLabel}_${facts.problem.code}` };
}
