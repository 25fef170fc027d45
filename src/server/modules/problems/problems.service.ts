import { and, eq, inArray, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import {
  ACTIONS,
  STATE_LABELS,
  WARN_WORKDAYS,
  checkAction,
  lightOf,
  nextPendingRequest,
  nextState,
  type ProblemAction,
  type Relation,
} from '../../../shared/problem-flow.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, forbidden, notFound } from '../../errors.ts';
import { audit, auditEvent, versionConflict } from '../../lib/audited.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { storedFiles } from '../files/files.schema.ts';
import { commands, units } from '../org/org.schema.ts';
import { canReadProject, projectScope } from '../projects/projects.policy.ts';
import { projects } from '../projects/projects.schema.ts';
import { searchDocument } from '../projects/projects.search.ts';
import type { ActionInput, AssignmentInput, ProblemCreateInput } from './problems.api.ts';
import { notifyAfterAction } from './problems.notices.ts';
import { canReadProblem, problemScope, relationsOf, type ProblemScope } from './problems.policy.ts';
import { problemCooperatingUnits, problemCounters, problemEvents, problems, type PendingRequest } from './problems.schema.ts';
import type { ProblemRow } from './problems.repository.ts';

/**
 * The closed loop's writes: raise, and every action of problem-flow.ts. Each is one transaction holding the state
 * change, its timeline event (with the light right after it), its audit row and its in-app notices.
 */

const ENTITY = 'problem';

export interface LoadedProblem {
  problem: ProblemRow;
  cooperatingUnitIds: string[];
  scope: ProblemScope;
  relations: Set<Relation>;
}

async function cooperatingOf(db: Db, zoneId: string, problemId: string): Promise<string[]> {
  const rows = await db
    .select({ unitId: problemCooperatingUnits.unitId })
    .from(problemCooperatingUnits)
    .where(and(eq(problemCooperatingUnits.zoneId, zoneId), eq(problemCooperatingUnits.problemId, problemId)));
  return rows.map((r) => r.unitId);
}

/** One problem the caller may read with how they relate to it, or 404. `forUpdate` locks the row (in a transaction). */
export async function loadProblemInScope(db: Db, caller: Caller, id: string, opts: { forUpdate?: boolean; scope?: ProblemScope } = {}): Promise<LoadedProblem> {
  const base = db.select().from(problems).where(and(eq(problems.zoneId, caller.zoneId), eq(problems.id, id)));
  const [problem] = opts.forUpdate ? await base.for('update') : await base;
  if (!problem) throw notFound();
  const scope = opts.scope ?? (await problemScope(db, caller));
  const cooperatingUnitIds = await cooperatingOf(db, caller.zoneId, id);
  const ref = { commandId: problem.commandId, leadUnitId: problem.leadUnitId, raisedBy: problem.raisedBy, cooperatingUnitIds };
  if (!canReadProblem(scope, ref)) throw notFound();
  return { problem, cooperatingUnitIds, scope, relations: relationsOf(scope, ref) };
}

// ---- raise ----------------------------------------------------------------------------------------------------

async function nextCode(tx: Db, zoneId: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(problemCounters)
    .values({ zoneId, year, last: 1 })
    .onConflictDoUpdate({ target: [problemCounters.zoneId, problemCounters.year], set: { last: sql`${problemCounters.last} + 1` } })
    .returning({ last: problemCounters.last });
  return `WT-${year}-${String(row!.last).padStart(4, '0')}`;
}

async function requireCategory(tx: Db, zoneId: string, code: string): Promise<void> {
  const [entry] = await tx
    .select({ active: dictionaryEntries.active })
    .from(dictionaryEntries)
    .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.dictionary, 'problem_category'), eq(dictionaryEntries.code, code)));
  if (!entry?.active) throw fieldError('category', 'field.enum');
}

async function requireUnits(tx: Db, zoneId: string, path: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) throw fieldError(path, 'field.duplicate');
  if (!unique.length) return new Map();
  const rows = await tx
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.zoneId, zoneId), inArray(units.id, unique), eq(units.active, true)));
  if (rows.length !== unique.length) throw fieldError(path, 'field.not_found');
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Raises a problem inside the caller's transaction (monthly reports and meeting decisions call this with their
 * own). Returns its id. With `assign`, the caller must be of the problem's HQ (or a leader).
 */
export async function raiseProblem(tx: Db, s: AppServices, caller: Caller, input: ProblemCreateInput): Promise<string> {
  const zoneId = caller.zoneId;
  await requireCategory(tx, zoneId, input.category);
  let project: { id: string; name: string; commandId: string | null } | undefined;
  if (input.projectId) {
    const [p] = await tx.select().from(projects).where(and(eq(projects.zoneId, zoneId), eq(projects.id, input.projectId)));
    if (!p || !canReadProject(await projectScope(tx, caller), p)) throw fieldError('projectId', 'field.not_found');
    project = { id: p.id, name: p.name, commandId: p.commandId };
  }
  const commandId = input.commandId ?? project?.commandId ?? caller.commandIds[0];
  if (!commandId) throw fieldError('commandId', 'field.command_required');
  const [command] = await tx.select({ id: commands.id }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, commandId)));
  if (!command) throw fieldError('commandId', 'field.not_found');
  if (input.placeUnitId) await requireUnits(tx, zoneId, 'placeUnitId', [input.placeUnitId]);

  const now = s.now();
  const today = shanghaiDay(now);
  const code = await nextCode(tx, zoneId, Number(today.slice(0, 4)));
  const title = input.title.trim();
  if (!title) throw fieldError('title', 'field.required');
  const [row] = await tx
    .insert(problems)
    .values({
      zoneId,
      code,
      title,
      description: input.description?.trim() || null,
      source: input.source,
      sourceId: input.sourceId ?? null,
      sourceNote: input.sourceNote?.trim() || null,
      projectId: project?.id ?? null,
      commandId,
      placeUnitId: input.placeUnitId ?? null,
      address: input.address?.trim() || null,
      longitude: input.longitude == null ? null : String(input.longitude),
      latitude: input.latitude == null ? null : String(input.latitude),
      category: input.category,
      priority: input.priority ?? 'normal',
      raisedBy: caller.userId,
      raisedByName: caller.displayName,
      raisedAt: now,
      raisedOn: today,
      searchDoc: searchDocument([code, title, input.description, input.address, project?.name]),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const problem = row!;
  await insertEvent(tx, problem, caller, { action: 'raise', fromState: null, text: problem.description, data: { source: problem.source } }, today, now);
  await audit(tx, s, caller, { action: 'problem.raise', entityType: ENTITY, entityId: problem.id, after: snapshot(problem, []) });

  if (input.assign) {
    const scope = await problemScope(tx, caller);
    const relations = relationsOf(scope, { commandId, leadUnitId: null, raisedBy: caller.userId, cooperatingUnitIds: [] });
    if (checkAction('assign', { state: 'raised', pendingRequest: null }, relations) !== null) throw forbidden();
    await applyAction(tx, s, caller, { problem, cooperatingUnitIds: [], scope, relations }, { action: 'assign', version: problem.version, assignment: input.assign });
  }
  return problem.id;
}

// ---- actions --------------------------------------------------------------------------------------------------

/** Takes one action on a problem (POST /api/problems/{id}/actions). */
export async function actOnProblem(s: AppServices, caller: Caller, id: string, input: ActionInput): Promise<void> {
  const refused = await s.db.transaction(async (tx) => (await actInTransaction(tx, s, caller, id, input)) === 'not_allowed');
  if (refused) {
    // Seen but not theirs to act on: the refusal is on the trail (a 403, not a 404).
    await auditEvent(s, caller, { action: 'access.denied', entityType: ENTITY, entityId: id, result: 'denied', after: { action: input.action } });
    throw forbidden();
  }
}

/**
 * One action inside the caller's transaction (the demo seeding and meeting follow-ups use it). Answers
 * 'not_allowed' instead of throwing when the caller's relation does not allow it, so the refusal can be audited
 * outside the rolled-back transaction.
 */
export async function actInTransaction(tx: Db, s: AppServices, caller: Caller, id: string, input: ActionInput): Promise<'done' | 'not_allowed'> {
  const loaded = await loadProblemInScope(tx, caller, id, { forUpdate: true });
  if (loaded.problem.version !== input.version) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
  const refusal = checkAction(input.action, { state: loaded.problem.state as never, pendingRequest: loaded.problem.pendingRequest?.kind ?? null }, loaded.relations);
  if (refusal === 'not_allowed') return 'not_allowed';
  if (refusal) throw refusalError(refusal, input.action, loaded.problem.state);
  await applyAction(tx, s, caller, loaded, input);
  return 'done';
}

function refusalError(refusal: 'wrong_state' | 'request_pending' | 'no_request', action: ProblemAction, state: string): AppError {
  if (refusal === 'request_pending') return new AppError('action_request_pending');
  if (refusal === 'no_request') return new AppError('action_no_request');
  const label = STATE_LABELS[state as keyof typeof STATE_LABELS];
  return new AppError('action_wrong_state', { params: { state: label.zh, stateEn: label.en, action: ACTIONS[action].label.zh, actionEn: ACTIONS[action].label.en } });
}

type Patch = Partial<typeof problems.$inferInsert>;

interface Step {
  patch: Patch;
  text: string | null;
  data: Record<string, unknown>;
  /** Cooperating units after the action, when it changes them. */
  cooperating?: string[];
}

async function applyAction(tx: Db, s: AppServices, caller: Caller, loaded: LoadedProblem, input: ActionInput): Promise<void> {
  const { problem } = loaded;
  const now = s.now();
  const today = shanghaiDay(now);
  const cal = await loadCalendar(tx, caller.zoneId);
  const step = await stepFor(tx, caller, loaded, input, { now, today, cal });
  const facts = { state: problem.state as never, pendingRequest: problem.pendingRequest?.kind ?? null };
  const toState = nextState(input.action, facts);
  const pending = nextPendingRequest(input.action, facts);
  const patch: Patch = {
    ...step.patch,
    state: toState,
    pendingRequest: pending === null ? null : (step.patch.pendingRequest ?? problem.pendingRequest),
    version: problem.version + 1,
    updatedAt: now,
  };
  const [after] = await tx
    .update(problems)
    .set(patch)
    .where(and(eq(problems.zoneId, caller.zoneId), eq(problems.id, problem.id), eq(problems.version, problem.version)))
    .returning();
  if (!after) throw await versionConflict(tx, caller.zoneId, ENTITY, problem.id);
  let cooperating = loaded.cooperatingUnitIds;
  if (step.cooperating) {
    cooperating = step.cooperating;
    await tx.delete(problemCooperatingUnits).where(and(eq(problemCooperatingUnits.zoneId, caller.zoneId), eq(problemCooperatingUnits.problemId, problem.id)));
    if (cooperating.length) {
      await tx.insert(problemCooperatingUnits).values(cooperating.map((unitId) => ({ zoneId: caller.zoneId, problemId: problem.id, unitId })));
    }
  }
  await insertEvent(tx, after, caller, { action: input.action, fromState: problem.state, text: step.text, data: step.data }, today, now);
  await audit(tx, s, caller, {
    action: `problem.${input.action}`,
    entityType: ENTITY,
    entityId: problem.id,
    before: snapshot(problem, loaded.cooperatingUnitIds),
    after: snapshot(after, cooperating),
  });
  await notifyAfterAction(tx, s, caller, { action: input.action, before: problem, after, cooperatingUnitIds: cooperating, text: step.text });
}

interface Clock {
  now: Date;
  today: string;
  cal: WorkCalendar;
}

/** What one action changes, after the checks that need the database. */
async function stepFor(tx: Db, caller: Caller, loaded: LoadedProblem, input: ActionInput, clock: Clock): Promise<Step> {
  const { problem } = loaded;
  const text = input.text?.trim() || null;
  const reason = input.reason?.trim() || null;
  const need = (path: 'reason' | 'text', v: string | null): string => {
    if (!v) throw fieldError(path, 'field.required');
    return v;
  };
  const fileIds = await requireFiles(tx, caller.zoneId, problem.id, input.fileIds ?? []);
  const withFiles = (data: Record<string, unknown>) => (fileIds.length ? { ...data, fileIds } : data);

  switch (input.action) {
    case 'assign': {
      if (!input.assignment) throw fieldError('assignment', 'field.required');
      return assignmentStep(tx, caller, problem, input.assignment, clock, true, text);
    }
    case 'reassign': {
      if (!input.leadUnitId) throw fieldError('leadUnitId', 'field.required');
      const a: AssignmentInput = { leadUnitId: input.leadUnitId, cooperatingUnitIds: input.cooperatingUnitIds ?? loaded.cooperatingUnitIds.filter((u) => u !== input.leadUnitId) };
      if (input.deadlineWorkdays !== undefined) a.deadlineWorkdays = input.deadlineWorkdays;
      if (input.deadline !== undefined) a.deadline = input.deadline;
      return assignmentStep(tx, caller, problem, a, clock, false, text ?? reason);
    }
    case 'accept':
      return { patch: { acceptedAt: clock.now }, text, data: {} };
    case 'hand_back':
      return { patch: { handBackCount: problem.handBackCount + 1 }, text: need('reason', reason), data: {} };
    case 'insist':
      return { patch: { assignedAt: clock.now }, text: need('reason', reason), data: {} };
    case 'report_progress':
      return { patch: {}, text: need('text', text), data: withFiles({}) };
    case 'request_extension': {
      if (!input.newDeadline) throw fieldError('newDeadline', 'field.required');
      if (input.newDeadline < clock.today) throw fieldError('newDeadline', 'field.date_past');
      if (problem.deadline && input.newDeadline <= problem.deadline) throw fieldError('newDeadline', 'field.deadline_later', { deadline: problem.deadline });
      const r = need('reason', reason);
      return { patch: { pendingRequest: pendingOf(caller, clock.now, 'extension', r, input.newDeadline) }, text: r, data: { newDeadline: input.newDeadline } };
    }
    case 'request_suspension': {
      const r = need('reason', reason);
      return { patch: { pendingRequest: pendingOf(caller, clock.now, 'suspension', r) }, text: r, data: {} };
    }
    case 'approve_request': {
      const req = problem.pendingRequest!;
      if (req.kind === 'suspension') return { patch: { suspendedOn: clock.today }, text, data: { request: 'suspension' } };
      const d = deadlineFields(clock.cal, req.newDeadline!);
      return {
        patch: { ...d, deadlineWorkdays: null, remindedAt: null, extensionCount: problem.extensionCount + 1 },
        text,
        data: { request: 'extension', fromDeadline: problem.deadline, newDeadline: req.newDeadline },
      };
    }
    case 'refuse_request':
      return { patch: {}, text: need('reason', reason), data: { request: problem.pendingRequest?.kind } };
    case 'resume': {
      const paused = problem.suspendedOn ? clock.cal.workdaysBetween(problem.suspendedOn, clock.today) : 0;
      const moved: Patch = problem.deadline && paused > 0 ? deadlineFields(clock.cal, clock.cal.addWorkdays(problem.deadline, paused).date) : {};
      return { patch: { ...moved, suspendedOn: null }, text, data: { pausedWorkdays: paused, fromDeadline: problem.deadline, newDeadline: moved.deadline ?? problem.deadline } };
    }
    case 'submit':
      return { patch: { submittedAt: clock.now }, text: need('text', text), data: withFiles({}) };
    case 'close': {
      const submittedOn = problem.submittedAt ? shanghaiDay(problem.submittedAt) : clock.today;
      return {
        patch: {
          closedAt: clock.now,
          closedOn: clock.today,
          closedBy: caller.userId,
          closedOnTime: problem.deadline ? submittedOn <= problem.deadline : null,
          workdaysToClose: clock.cal.workdaysBetween(problem.raisedOn, clock.today),
        },
        text,
        data: withFiles({}),
      };
    }
    case 'return':
      return { patch: { returnCount: problem.returnCount + 1, submittedAt: null }, text: need('reason', reason), data: withFiles({}) };
    case 'reopen': {
      const moved = input.newDeadline ? deadlineFields(clock.cal, futureDay('newDeadline', input.newDeadline, clock.today)) : {};
      return {
        patch: { closedAt: null, closedOn: null, closedBy: null, closedOnTime: null, workdaysToClose: null, submittedAt: null, ...moved },
        text: need('reason', reason),
        data: input.newDeadline ? { newDeadline: input.newDeadline } : {},
      };
    }
    case 'merge':
      return mergeStep(tx, caller, loaded, input.targetId, clock, text ?? reason);
    case 'remind':
      return { patch: { remindedAt: clock.now }, text, data: {} };
    case 'supervise':
      return { patch: { supervisedAt: clock.now, supervisionLevel: Math.max(problem.supervisionLevel, 2) }, text: need('text', text), data: {} };
    default:
      throw fieldError('action', 'field.enum');
  }
}

function pendingOf(caller: Caller, now: Date, kind: PendingRequest['kind'], reason: string, newDeadline?: string): PendingRequest {
  return { kind, reason, ...(newDeadline ? { newDeadline } : {}), byUserId: caller.userId, byName: caller.displayName, at: now.toISOString() };
}

function futureDay(path: string, day: string, today: string): string {
  if (day < today) throw fieldError(path, 'field.date_past');
  return day;
}

/** The deadline and what follows from it: the day the light turns yellow, and whether the calendar knew the year. */
function deadlineFields(cal: WorkCalendar, deadline: string) {
  return {
    deadline,
    warnOn: cal.addWorkdays(deadline, -WARN_WORKDAYS).date,
    deadlineProvisional: !cal.isKnownYear(Number(deadline.slice(0, 4))),
  };
}

async function assignmentStep(tx: Db, caller: Caller, problem: ProblemRow, a: AssignmentInput, clock: Clock, deadlineRequired: boolean, text: string | null): Promise<Step> {
  const prefix = deadlineRequired ? 'assignment.' : '';
  const names = await requireUnits(tx, caller.zoneId, `${prefix}leadUnitId`, [a.leadUnitId]);
  const cooperating = a.cooperatingUnitIds ?? [];
  if (cooperating.includes(a.leadUnitId)) throw fieldError(`${prefix}cooperatingUnitIds`, 'field.lead_not_cooperating');
  await requireUnits(tx, caller.zoneId, `${prefix}cooperatingUnitIds`, cooperating);
  const both = a.deadlineWorkdays !== undefined && a.deadline !== undefined;
  const neither = a.deadlineWorkdays === undefined && a.deadline === undefined;
  if (both || (neither && deadlineRequired)) throw fieldError(`${prefix}deadlineWorkdays`, 'field.deadline_one');
  let deadline: Patch = {};
  if (a.deadlineWorkdays !== undefined) {
    const d = clock.cal.addWorkdays(clock.today, a.deadlineWorkdays);
    deadline = { ...deadlineFields(clock.cal, d.date), deadlineProvisional: d.provisional, deadlineWorkdays: a.deadlineWorkdays, remindedAt: null };
  } else if (a.deadline !== undefined) {
    deadline = { ...deadlineFields(clock.cal, futureDay(`${prefix}deadline`, a.deadline, clock.today)), deadlineWorkdays: null, remindedAt: null };
  }
  const escalation: Patch = {};
  if (a.escalation !== undefined) escalation.escalation = a.escalation;
  if (a.externalUnit !== undefined) escalation.externalUnit = a.externalUnit?.trim() || null;
  if (a.instruction !== undefined) escalation.instruction = a.instruction?.trim() || null;
  return {
    patch: { leadUnitId: a.leadUnitId, assignedAt: clock.now, assignedOn: clock.today, acceptedAt: null, ...deadline, ...escalation },
    text: text ?? (a.instruction?.trim() || null),
    data: {
      leadUnitId: a.leadUnitId,
      leadUnitName: names.get(a.leadUnitId),
      cooperatingUnitIds: cooperating,
      deadline: deadline.deadline ?? problem.deadline,
      deadlineWorkdays: a.deadlineWorkdays ?? null,
      fromLeadUnitId: problem.leadUnitId,
    },
    cooperating,
  };
}

async function mergeStep(tx: Db, caller: Caller, loaded: LoadedProblem, targetId: string | undefined, clock: Clock, text: string | null): Promise<Step> {
  if (!targetId) throw fieldError('targetId', 'field.required');
  if (targetId === loaded.problem.id) throw fieldError('targetId', 'field.merge_target');
  let target: LoadedProblem;
  try {
    target = await loadProblemInScope(tx, caller, targetId, { forUpdate: true, scope: loaded.scope });
  } catch {
    throw fieldError('targetId', 'field.merge_target');
  }
  const open = ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended', 'submitted'].includes(target.problem.state);
  if (!open || !target.relations.has('hq')) throw fieldError('targetId', 'field.merge_target');
  await insertEvent(
    tx,
    target.problem,
    caller,
    { action: 'merged_in', fromState: target.problem.state, text, data: { fromId: loaded.problem.id, fromCode: loaded.problem.code } },
    clock.today,
    clock.now,
  );
  return { patch: { mergedIntoId: targetId }, text, data: { targetId, targetCode: target.problem.code } };
}

/** Files named in an action must be this problem's own (uploaded to it first). */
async function requireFiles(tx: Db, zoneId: string, problemId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ id: storedFiles.id })
    .from(storedFiles)
    .where(and(eq(storedFiles.zoneId, zoneId), inArray(storedFiles.id, unique), eq(storedFiles.ownerType, 'problem'), eq(storedFiles.ownerId, problemId)));
  if (rows.length !== unique.length) throw fieldError('fileIds', 'field.not_this_problem');
  return unique;
}

async function insertEvent(
  tx: Db,
  after: ProblemRow,
  caller: Caller,
  e: { action: string; fromState: string | null; text: string | null; data: Record<string, unknown> },
  today: string,
  now: Date,
): Promise<void> {
  const light = lightOf(
    { state: after.state as never, deadline: after.deadline, warnOn: after.warnOn, reminded: after.remindedAt !== null, suspendedOn: after.suspendedOn },
    today,
  );
  await tx.insert(problemEvents).values({
    zoneId: after.zoneId,
    problemId: after.id,
    at: now,
    actorId: caller.userId,
    actorName: caller.displayName,
    actorUnitId: hasRole(caller, 'unit_staff') ? caller.unitId : null,
    action: e.action,
    fromState: e.fromState,
    toState: after.state,
    text: e.text,
    data: e.data,
    light,
  });
}

/** What the audit trail keeps of a problem (no personal data). */
function snapshot(p: ProblemRow, cooperatingUnitIds: readonly string[]) {
  return {
    code: p.code,
    title: p.title,
    state: p.state,
    category: p.category,
    priority: p.priority,
    commandId: p.commandId,
    projectId: p.projectId,
    leadUnitId: p.leadUnitId,
    cooperatingUnitIds: [...cooperatingUnitIds],
    deadline: p.deadline,
    escalation: p.escalation,
    pendingRequest: p.pendingRequest?.kind ?? null,
    supervisionLevel: p.supervisionLevel,
    mergedIntoId: p.mergedIntoId,
    version: p.version,
  };
}
