import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import { allowedActions, isOpen, lightOf, type Light, type ProblemAction, type ProblemState } from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError } from '../../errors.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { storedFiles } from '../files/files.schema.ts';
import { commands, units } from '../org/org.schema.ts';
import { monthlyReports, projects } from '../projects/projects.schema.ts';
import { users } from '../users/users.schema.ts';
import type { ProblemDetailDto, ProblemListItemDto, ProblemQueryInput } from './problems.api.ts';
import {
  countProblems,
  isPlainTodo,
  pageIdsWithTotal,
  problemFilterWhere,
  selectProblems,
  todoPageIds,
  type ProblemListRecord,
  type ProblemRow,
} from './problems.repository.ts';
import { problemScope, relationsOf, type ProblemScope } from './problems.policy.ts';
import { problemCooperatingUnits, problemEvents, problems } from './problems.schema.ts';
import { loadProblemInScope } from './problems.service.ts';

/** The closed loop's reads: list, export rows, and one problem with its timeline and the caller's actions. */

/** Working days after `ref` up to the deadline; negative: working days past it. */
export function workdaysLeft(cal: WorkCalendar, p: Pick<ProblemRow, 'state' | 'deadline' | 'suspendedOn'>, today: string): number | null {
  if (!isOpen(p.state as ProblemState) || !p.deadline) return null;
  const ref = p.state === 'suspended' && p.suspendedOn ? p.suspendedOn : today;
  return ref <= p.deadline ? cal.workdaysBetween(ref, p.deadline) : -cal.workdaysBetween(p.deadline, ref);
}

function listItem(r: ProblemListRecord, cal: WorkCalendar, today: string, actions: ProblemAction[] = []): ProblemListItemDto {
  const p = r.row;
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    state: p.state as ProblemState,
    light: r.light,
    priority: p.priority,
    category: p.category,
    categoryLabel: r.categoryLabel,
    source: p.source,
    command: { id: p.commandId, name: r.commandName },
    leadUnit: p.leadUnitId ? { id: p.leadUnitId, name: r.leadUnitName ?? '' } : null,
    project: p.projectId ? { id: p.projectId, name: r.projectName ?? '' } : null,
    deadline: p.deadline,
    deadlineProvisional: p.deadlineProvisional,
    workdaysLeft: workdaysLeft(cal, p, today),
    raisedOn: p.raisedOn,
    raisedByName: p.raisedByName,
    closedOn: p.closedOn,
    supervisionLevel: p.supervisionLevel,
    pendingRequest: p.pendingRequest?.kind ?? null,
    returnCount: p.returnCount,
    version: p.version,
    actions,
  };
}

/** What the caller may do now with each listed problem (one query for the page's cooperating units). */
async function actionsOf(db: Db, zoneId: string, scope: ProblemScope, rows: ProblemListRecord[]): Promise<Map<string, ProblemAction[]>> {
  const ids = rows.map((r) => r.row.id);
  const coop = ids.length
    ? await db
        .select({ problemId: problemCooperatingUnits.problemId, unitId: problemCooperatingUnits.unitId })
        .from(problemCooperatingUnits)
        .where(and(eq(problemCooperatingUnits.zoneId, zoneId), inArray(problemCooperatingUnits.problemId, ids)))
    : [];
  const coopOf = new Map<string, string[]>();
  for (const c of coop) coopOf.set(c.problemId, [...(coopOf.get(c.problemId) ?? []), c.unitId]);
  return new Map(
    rows.map(({ row: p }) => {
      const relations = relationsOf(scope, { commandId: p.commandId, leadUnitId: p.leadUnitId, raisedBy: p.raisedBy, cooperatingUnitIds: coopOf.get(p.id) ?? [] });
      return [p.id, allowedActions({ state: p.state as ProblemState, pendingRequest: p.pendingRequest?.kind ?? null }, relations)];
    }),
  );
}

export async function listProblems(s: AppServices, caller: Caller, q: ProblemQueryInput) {
  checkRanges(q);
  const today = shanghaiDay(s.now());
  const scope = await problemScope(s.db, caller);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const offset = (page - 1) * pageSize;
  let rows: ProblemListRecord[];
  let total: number;
  if (isPlainTodo(q) || q.q) {
    // The page's ids and the total in one pass (the to-do from its own indexes; a search reads its hits once), then
    // the page's rows with their names by id, in the same order.
    const picked = isPlainTodo(q)
      ? await todoPageIds(s.db, scope, q.order === 'desc' ? 'desc' : 'asc', pageSize, offset)
      : await pageIdsWithTotal(s.db, await problemFilterWhere(s.db, caller.zoneId, scope, q, today), q, pageSize, offset);
    rows = picked.ids.length ? await selectProblems(s.db, and(eq(problems.zoneId, caller.zoneId), inArray(problems.id, picked.ids))!, q, today, pageSize, 0) : [];
    total = picked.total ?? (await countProblems(s.db, await problemFilterWhere(s.db, caller.zoneId, scope, q, today)));
  } else {
    const where = await problemFilterWhere(s.db, caller.zoneId, scope, q, today);
    rows = await selectProblems(s.db, where, q, today, pageSize, offset);
    total = await countProblems(s.db, where);
  }
  const cal = await loadCalendar(s.db, caller.zoneId);
  const actions = await actionsOf(s.db, caller.zoneId, scope, rows);
  return { items: rows.map((r) => listItem(r, cal, today, actions.get(r.row.id))), total, page, pageSize };
}

/** Every row of a filtered list, for the Excel export (bounded by the caller). */
export async function problemsForExport(s: AppServices, caller: Caller, q: ProblemQueryInput, max: number) {
  checkRanges(q);
  const today = shanghaiDay(s.now());
  const scope = await problemScope(s.db, caller);
  const where = await problemFilterWhere(s.db, caller.zoneId, scope, q, today);
  const total = await countProblems(s.db, where);
  if (total > max) throw fieldError('q', 'field.export_too_large', { max });
  const cal = await loadCalendar(s.db, caller.zoneId);
  return (await selectProblems(s.db, where, q, today, max, 0)).map((r) => listItem(r, cal, today));
}

function checkRanges(q: ProblemQueryInput): void {
  for (const [from, to, path] of [
    [q.raisedFrom, q.raisedTo, 'raisedTo'],
    [q.closedFrom, q.closedTo, 'closedTo'],
    [q.deadlineFrom, q.deadlineTo, 'deadlineTo'],
  ] as const) {
    if (from && to && to < from) throw fieldError(path, 'field.date_range');
  }
}

const nameOf = async (db: Db, zoneId: string, ids: (string | null)[]) => {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map<string, string>();
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, zoneId), inArray(units.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** One problem with its timeline and what the caller may do now (GET /api/problems/{id}). */
export async function getProblem(s: AppServices, caller: Caller, id: string): Promise<ProblemDetailDto> {
  const db = s.db;
  const { problem: p, cooperatingUnitIds, relations } = await loadProblemInScope(db, caller, id);
  const zoneId = caller.zoneId;
  const today = shanghaiDay(s.now());
  const cal = await loadCalendar(db, zoneId);
  const unitNames = await nameOf(db, zoneId, [p.leadUnitId, p.placeUnitId, ...cooperatingUnitIds]);
  const [command] = await db.select({ name: commands.name }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, p.commandId)));
  const [project] = p.projectId ? await db.select({ name: projects.name }).from(projects).where(and(eq(projects.zoneId, zoneId), eq(projects.id, p.projectId))) : [];
  const [category] = await db
    .select({ label: dictionaryEntries.label })
    .from(dictionaryEntries)
    .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.dictionary, 'problem_category'), eq(dictionaryEntries.code, p.category)));
  const [raiser] = p.raisedBy ? await db.select({ name: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), eq(users.id, p.raisedBy))) : [];
  const [mergedInto] = p.mergedIntoId
    ? await db.select({ id: problems.id, code: problems.code }).from(problems).where(and(eq(problems.zoneId, zoneId), eq(problems.id, p.mergedIntoId)))
    : [];
  const mergedFrom = await db
    .select({ id: problems.id, code: problems.code })
    .from(problems)
    .where(and(eq(problems.zoneId, zoneId), eq(problems.mergedIntoId, p.id)))
    .orderBy(asc(problems.code));
  const light = lightOf({ state: p.state as ProblemState, deadline: p.deadline, warnOn: p.warnOn, reminded: p.remindedAt !== null, suspendedOn: p.suspendedOn }, today);
  const unit = (uid: string | null) => (uid ? { id: uid, name: unitNames.get(uid) ?? '' } : null);
  const pr = p.pendingRequest;
  return {
    ...listItem(
      {
        row: p,
        light,
        commandName: command?.name ?? '',
        leadUnitName: p.leadUnitId ? (unitNames.get(p.leadUnitId) ?? null) : null,
        projectName: project?.name ?? null,
        categoryLabel: category?.label ?? null,
      },
      cal,
      today,
    ),
    description: p.description,
    sourceId: p.sourceId,
    sourceNote: p.sourceNote,
    sourceTitle: await sourceTitle(db, zoneId, p),
    placeUnit: unit(p.placeUnitId),
    address: p.address,
    longitude: p.longitude,
    latitude: p.latitude,
    cooperatingUnits: cooperatingUnitIds.map((u) => unit(u)!),
    escalation: p.escalation,
    externalUnit: p.externalUnit,
    instruction: p.instruction,
    deadlineWorkdays: p.deadlineWorkdays,
    warnOn: p.warnOn,
    reminded: p.remindedAt !== null,
    supervisedAt: p.supervisedAt?.toISOString() ?? null,
    suspendedOn: p.suspendedOn,
    pendingRequestDetail: pr ? { kind: pr.kind, reason: pr.reason, ...(pr.newDeadline ? { newDeadline: pr.newDeadline } : {}), byName: pr.byName, at: pr.at } : null,
    mergedInto: mergedInto ?? null,
    mergedFrom,
    raisedBy: p.raisedBy ? { id: p.raisedBy, name: raiser?.name ?? p.raisedByName } : null,
    raisedAt: p.raisedAt.toISOString(),
    assignedOn: p.assignedOn,
    acceptedAt: p.acceptedAt?.toISOString() ?? null,
    submittedAt: p.submittedAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
    closedOnTime: p.closedOnTime,
    workdaysToClose: p.workdaysToClose,
    handBackCount: p.handBackCount,
    extensionCount: p.extensionCount,
    actions: allowedActions({ state: p.state as ProblemState, pendingRequest: pr?.kind ?? null }, relations),
    timeline: await timelineOf(db, zoneId, p.id),
  };
}

/** A readable name of where the problem came from (a monthly report's project and month; meetings add theirs). */
async function sourceTitle(db: Db, zoneId: string, p: ProblemRow): Promise<string | null> {
  if (p.source === 'report' && p.sourceId) {
    const [r] = await db
      .select({ month: monthlyReports.month, project: projects.name })
      .from(monthlyReports)
      .innerJoin(projects, and(eq(projects.zoneId, monthlyReports.zoneId), eq(projects.id, monthlyReports.projectId)))
      .where(and(eq(monthlyReports.zoneId, zoneId), eq(monthlyReports.id, p.sourceId)));
    return r ? `${r.project} ${r.month.slice(0, 7)} 月报` : p.sourceNote;
  }
  return p.sourceNote;
}

async function timelineOf(db: Db, zoneId: string, problemId: string) {
  const events = await db
    .select()
    .from(problemEvents)
    .where(and(eq(problemEvents.zoneId, zoneId), eq(problemEvents.problemId, problemId)))
    // A problem raised and assigned in one request has both events at one instant: the raise comes first.
    .orderBy(asc(problemEvents.at), sql`(${problemEvents.action} = 'raise') desc`, asc(problemEvents.id));
  const fileIds = events.flatMap((e) => (Array.isArray(e.data.fileIds) ? (e.data.fileIds as string[]) : []));
  const files = fileIds.length
    ? await db
        .select({ id: storedFiles.id, originalName: storedFiles.originalName, mime: storedFiles.mime, kind: storedFiles.kind })
        .from(storedFiles)
        .where(and(eq(storedFiles.zoneId, zoneId), inArray(storedFiles.id, fileIds)))
    : [];
  const byId = new Map(files.map((f) => [f.id, f]));
  return events.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    actorName: e.actorName,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    text: e.text,
    data: e.data,
    light: e.light as Light | null,
    files: (Array.isArray(e.data.fileIds) ? (e.data.fileIds as string[]) : []).flatMap((fid) => {
      const f = byId.get(fid);
      return f ? [{ id: f.id, originalName: f.originalName, mime: f.mime, kind: String(f.kind) }] : [];
    }),
  }));
}
