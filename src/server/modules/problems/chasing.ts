import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import { lightOf, type ProblemState } from '../../../shared/problem-flow.ts';
import { writeAudit, type AuditActor } from '../../audit/audit.ts';
import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { notify } from '../notifications/notifications.service.ts';
import { commandPeople, unitStaff, zoneLeaders } from '../notifications/recipients.ts';
import { problemEvents, problemReminders, problems, problemSettings } from './problems.schema.ts';

/**
 * Automatic chasing (催办 / 督办), run once a day per zone by the scheduler at the zone's digest hour
 * (Asia/Shanghai), on working days only: a holiday or weekend sends nothing, and the next working day catches up
 * (every rule below is "on or after", never "exactly on").
 *
 * For each open problem (assigned / in progress) with a deadline:
 *  - `before_deadline`: from `remind_before_workdays` working days before the deadline up to the deadline, remind
 *    the lead unit;
 *  - `overdue`: on the first run after the deadline, remind the lead unit (the light is red);
 *  - `escalate_commander`: after `escalate_commander_after` working days overdue, to the HQ's commander and
 *    deputies (supervision level 1);
 *  - `escalate_leader`: after `escalate_leader_after`, to the zone leaders (level 2).
 * Each is claimed once per problem, kind and deadline by inserting into `problem_reminders` (only the inserter
 * goes on), so re-runs and concurrent instances never send one twice; a moved deadline starts afresh. The claim,
 * the problem's update (version + 1), the timeline events, the audit row and the in-app notices are one
 * transaction per problem.
 */

export const CHASING_KINDS = ['before_deadline', 'overdue', 'escalate_commander', 'escalate_leader'] as const;
export type ChasingKind = (typeof CHASING_KINDS)[number];

export const KIND_LABELS: Record<ChasingKind, { zh: string; en: string }> = {
  before_deadline: { zh: '临期催办', en: 'Reminder before the deadline' },
  overdue: { zh: '逾期催办', en: 'Overdue reminder' },
  escalate_commander: { zh: '提级督办（指挥长）', en: 'Escalated to the HQ commander' },
  escalate_leader: { zh: '提级督办（区领导）', en: 'Escalated to the zone leaders' },
};

/** Defaults when a zone has no settings row (the same as the table's column defaults). */
export const DEFAULT_SETTINGS = { remindBeforeWorkdays: 1, escalateCommanderAfter: 1, escalateLeaderAfter: 3, digestHour: 9 } as const;

export interface ChasingSettings {
  remindBeforeWorkdays: number;
  escalateCommanderAfter: number;
  escalateLeaderAfter: number;
  digestHour: number;
  version: number;
}

export async function loadSettings(db: Db, zoneId: string): Promise<ChasingSettings> {
  const [row] = await db.select().from(problemSettings).where(eq(problemSettings.zoneId, zoneId));
  return row
    ? { remindBeforeWorkdays: row.remindBeforeWorkdays, escalateCommanderAfter: row.escalateCommanderAfter, escalateLeaderAfter: row.escalateLeaderAfter, digestHour: row.digestHour, version: row.version }
    : { ...DEFAULT_SETTINGS, version: 0 };
}

/** The first `hour`:00 Asia/Shanghai (UTC+8 all year, no daylight saving) strictly after `now`. */
export function nextDigestAt(now: Date, hour: number): Date {
  const day = shanghaiDay(now);
  const at = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + (hour - 8) * 3_600_000);
  const today = at(day);
  if (today.getTime() > now.getTime()) return today;
  return at(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
}

/** The scheduler's actor in the audit trail (as for the demo seed and the CLI). */
export function systemActor(zoneId: string): AuditActor {
  return { zoneId, actorId: null, actorName: 'qibu', actorRole: 'system', ip: null, requestId: null };
}

/** The timeline's actor name for what the scheduler does. */
export const SYSTEM_ACTOR_NAME = '系统';

interface Candidate {
  id: string;
  deadline: string;
  supervisionLevel: number;
}

/** Which reminders are due today for one problem (before claims are checked). Pure, for tests and the run. */
export function dueKinds(p: { deadline: string; supervisionLevel: number }, today: string, cal: WorkCalendar, set: ChasingSettings): { kinds: ChasingKind[]; workdaysLeft: number; workdaysOverdue: number } {
  const kinds: ChasingKind[] = [];
  const workdaysOverdue = today > p.deadline ? cal.workdaysBetween(p.deadline, today) : 0;
  const workdaysLeft = today <= p.deadline ? cal.workdaysBetween(today, p.deadline) : -workdaysOverdue;
  if (today <= p.deadline) {
    const remindOn = cal.addWorkdays(p.deadline, -set.remindBeforeWorkdays).date;
    if (today >= remindOn) kinds.push('before_deadline');
  } else {
    kinds.push('overdue');
    if (workdaysOverdue >= set.escalateCommanderAfter && p.supervisionLevel < 1) kinds.push('escalate_commander');
    if (workdaysOverdue >= set.escalateLeaderAfter && p.supervisionLevel < 2) kinds.push('escalate_leader');
  }
  return { kinds, workdaysLeft, workdaysOverdue };
}

export interface ChasedProblem {
  problemId: string;
  code: string;
  title: string;
  commandId: string;
  kinds: ChasingKind[];
  deadline: string;
  workdaysOverdue: number;
}

export interface ChasingResult {
  today: string;
  /** False on a weekend or holiday: nothing was looked at. */
  workday: boolean;
  chased: ChasedProblem[];
}

/** One chasing run of a zone on `now`'s day. Safe to run again the same day, and from two instances at once. */
export async function runChasing(s: AppServices, zoneId: string, now: Date): Promise<ChasingResult> {
  const today = shanghaiDay(now);
  const cal = await loadCalendar(s.db, zoneId);
  if (!cal.isWorkday(today)) return { today, workday: false, chased: [] };
  const set = await loadSettings(s.db, zoneId);
  const open = await s.db
    .select({ id: problems.id, deadline: problems.deadline, supervisionLevel: problems.supervisionLevel })
    .from(problems)
    .where(and(eq(problems.zoneId, zoneId), inArray(problems.state, ['assigned', 'in_progress']), isNotNull(problems.deadline)));
  const todo = new Map<string, { c: Candidate; kinds: ChasingKind[] }>();
  for (const r of open) {
    const c = { id: r.id, deadline: r.deadline!, supervisionLevel: r.supervisionLevel };
    const { kinds } = dueKinds(c, today, cal, set);
    if (kinds.length) todo.set(c.id, { c, kinds });
  }
  // Leave out what earlier runs already claimed, so a quiet day costs one query, not a transaction per problem.
  if (todo.size) {
    const ids = [...todo.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const claimed = await s.db
        .select({ problemId: problemReminders.problemId, kind: problemReminders.kind, deadline: problemReminders.deadline })
        .from(problemReminders)
        .where(and(eq(problemReminders.zoneId, zoneId), inArray(problemReminders.problemId, ids.slice(i, i + 500))));
      for (const c of claimed) {
        const t = todo.get(c.problemId);
        if (t && t.c.deadline === c.deadline) t.kinds = t.kinds.filter((k) => k !== c.kind);
      }
    }
  }
  const chased: ChasedProblem[] = [];
  for (const { c, kinds } of todo.values()) {
    if (!kinds.length) continue;
    const done = await chaseOne(s, zoneId, c.id, now, today, cal, set);
    if (done) chased.push(done);
  }
  return { today, workday: true, chased };
}

/** One problem's reminders in one transaction; null when nothing was (still) due or another run claimed it. */
async function chaseOne(s: AppServices, zoneId: string, problemId: string, now: Date, today: string, cal: WorkCalendar, set: ChasingSettings): Promise<ChasedProblem | null> {
  return s.db.transaction(async (tx) => {
    const [p] = await tx.select().from(problems).where(and(eq(problems.zoneId, zoneId), eq(problems.id, problemId))).for('update');
    if (!p || !p.deadline || !['assigned', 'in_progress'].includes(p.state)) return null;
    const due = dueKinds({ deadline: p.deadline, supervisionLevel: p.supervisionLevel }, today, cal, set);
    if (!due.kinds.length) return null;
    const claimed = await tx
      .insert(problemReminders)
      .values(due.kinds.map((kind) => ({ zoneId, problemId, kind, deadline: p.deadline!, sentAt: now })))
      .onConflictDoNothing()
      .returning({ kind: problemReminders.kind });
    const kinds = CHASING_KINDS.filter((k) => claimed.some((c) => c.kind === k));
    if (!kinds.length) return null;

    const reminded = kinds.includes('before_deadline') || kinds.includes('overdue');
    const level = kinds.includes('escalate_leader') ? 2 : kinds.includes('escalate_commander') ? 1 : p.supervisionLevel;
    const escalated = level > p.supervisionLevel;
    const [after] = await tx
      .update(problems)
      .set({
        ...(reminded ? { remindedAt: now } : {}),
        ...(escalated ? { supervisionLevel: level, supervisedAt: now } : {}),
        version: p.version + 1,
        updatedAt: now,
      })
      .where(and(eq(problems.zoneId, zoneId), eq(problems.id, problemId)))
      .returning();
    const a = after!;
    const light = lightOf(
      { state: a.state as ProblemState, deadline: a.deadline, warnOn: a.warnOn, reminded: a.remindedAt !== null, suspendedOn: a.suspendedOn },
      today,
    );
    const leadStaff = a.leadUnitId ? await unitStaff(tx, zoneId, [a.leadUnitId]) : [];
    const link = `/problems/${a.id}`;
    for (const kind of kinds) {
      const text = eventText(kind, a.deadline!, due.workdaysLeft, due.workdaysOverdue);
      await tx.insert(problemEvents).values({
        zoneId,
        problemId,
        at: now,
        actorId: null,
        actorName: SYSTEM_ACTOR_NAME,
        action: kind === 'before_deadline' || kind === 'overdue' ? 'auto_remind' : 'escalate',
        fromState: a.state,
        toState: a.state,
        text,
        data: { kind, workdaysOverdue: due.workdaysOverdue, workdaysLeft: due.workdaysLeft, deadline: a.deadline },
        light,
      });
      const title = `【${KIND_LABELS[kind].zh}】${a.code} ${a.title}`;
      if (kind === 'before_deadline' || kind === 'overdue') {
        await notify(tx, s, { zoneId, userIds: leadStaff, kind: 'problem.auto_remind', title, body: text, link, problemId });
      } else {
        const up = kind === 'escalate_commander' ? await commandPeople(tx, zoneId, a.commandId, 'leads') : await zoneLeaders(tx, zoneId);
        await notify(tx, s, { zoneId, userIds: up, kind: 'problem.escalate', title, body: text, link, problemId });
        await notify(tx, s, { zoneId, userIds: leadStaff.filter((u) => !up.includes(u)), kind: 'problem.escalate', title, body: `${text}（已提级督办，请抓紧办理）`, link, problemId });
      }
    }
    await writeAudit(tx, s.keys.auditKey, systemActor(zoneId), {
      action: kinds.some((k) => k.startsWith('escalate')) ? 'problem.escalate' : 'problem.auto_remind',
      entityType: 'problem',
      entityId: problemId,
      before: { state: p.state, deadline: p.deadline, reminded: p.remindedAt !== null, supervisionLevel: p.supervisionLevel, version: p.version },
      after: { state: a.state, deadline: a.deadline, reminded: a.remindedAt !== null, supervisionLevel: a.supervisionLevel, version: a.version, kinds, workdaysOverdue: due.workdaysOverdue, light },
    });
    return { problemId, code: a.code, title: a.title, commandId: a.commandId, kinds, deadline: a.deadline!, workdaysOverdue: due.workdaysOverdue };
  });
}

function eventText(kind: ChasingKind, deadline: string, left: number, overdue: number): string {
  switch (kind) {
    case 'before_deadline':
      return left > 0 ? `距办理时限（${deadline}）还有${left}个工作日，请抓紧办理。` : `今天（${deadline}）是办理时限，请抓紧办理。`;
    case 'overdue':
      return `已超过办理时限（${deadline}）${overdue}个工作日，请尽快办结。`;
    case 'escalate_commander':
      return `已超过办理时限（${deadline}）${overdue}个工作日，提请指挥长督办。`;
    case 'escalate_leader':
      return `已超过办理时限（${deadline}）${overdue}个工作日，提请区领导督办。`;
  }
}
