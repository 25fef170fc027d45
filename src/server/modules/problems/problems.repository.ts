import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { OPEN_STATES, type Light } from '../../../shared/problem-flow.ts';
import type { Db } from '../../db/client.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { commands, units } from '../org/org.schema.ts';
import { projects } from '../projects/projects.schema.ts';
import { searchMatches } from '../projects/projects.search.ts';
import type { ProblemQueryInput } from './problems.api.ts';
import { cooperatesWhere, problemReadWhere, todoWhere, type ProblemScope } from './problems.policy.ts';
import { problems } from './problems.schema.ts';

/**
 * The closed loop's queries. The light is computed in SQL by the same rule as `lightOf` (problem-flow.ts), so
 * filters, counts and pages agree with what a problem's page shows.
 */

export type ProblemRow = typeof problems.$inferSelect;

const OPEN = OPEN_STATES.map((s) => `'${s}'`).join(',');

/** The light on `today` (YYYY-MM-DD) as SQL: 'red' | 'yellow' | 'green' | null. Mirrors lightOf(). */
export function lightSql(today: string): SQL<Light | null> {
  const ref = sql`(case when ${problems.state} = 'suspended' and ${problems.suspendedOn} is not null then ${problems.suspendedOn} else ${today}::date end)`;
  return sql<Light | null>`(case
    when ${problems.state} not in (${sql.raw(OPEN)}) or ${problems.deadline} is null then null
    when ${ref} > ${problems.deadline} then 'red'
    when ${problems.remindedAt} is not null or ${ref} >= ${problems.warnOn} then 'yellow'
    else 'green' end)`;
}

const leadUnit = alias(units, 'lead_unit');
const categoryEntry = alias(dictionaryEntries, 'category_entry');

export interface ProblemListRecord {
  row: ProblemRow;
  light: Light | null;
  commandName: string;
  leadUnitName: string | null;
  projectName: string | null;
  categoryLabel: string | null;
}

/** The conditions of a list query (scope, zone and every filter). */
export async function problemFilterWhere(db: Db, zoneId: string, scope: ProblemScope, q: ProblemQueryInput, today: string): Promise<SQL> {
  const parts: (SQL | undefined)[] = [eq(problems.zoneId, zoneId), problemReadWhere(scope)];
  if (q.state?.length) parts.push(inArray(problems.state, q.state));
  if (q.light?.length) parts.push(inArray(lightSql(today), q.light));
  if (q.commandId?.length) parts.push(inArray(problems.commandId, q.commandId));
  if (q.leadUnitId?.length) parts.push(inArray(problems.leadUnitId, await unitSubtreeIds(db, zoneId, q.leadUnitId)));
  if (q.cooperatingUnitId) parts.push(cooperatesWhere([q.cooperatingUnitId]));
  if (q.category?.length) parts.push(inArray(problems.category, q.category));
  if (q.priority?.length) parts.push(inArray(problems.priority, q.priority));
  if (q.source?.length) parts.push(inArray(problems.source, q.source));
  if (q.sourceId) parts.push(eq(problems.sourceId, q.sourceId));
  if (q.projectId) parts.push(eq(problems.projectId, q.projectId));
  if (q.escalation?.length) parts.push(inArray(problems.escalation, q.escalation));
  if (q.raisedFrom) parts.push(gte(problems.raisedOn, q.raisedFrom));
  if (q.raisedTo) parts.push(lte(problems.raisedOn, q.raisedTo));
  if (q.closedFrom) parts.push(gte(problems.closedOn, q.closedFrom));
  if (q.closedTo) parts.push(lte(problems.closedOn, q.closedTo));
  if (q.deadlineFrom) parts.push(gte(problems.deadline, q.deadlineFrom));
  if (q.deadlineTo) parts.push(lte(problems.deadline, q.deadlineTo));
  if (q.overdue !== undefined) parts.push(q.overdue ? sql`${lightSql(today)} = 'red'` : sql`${lightSql(today)} is distinct from 'red'`);
  if (q.open !== undefined) parts.push(q.open ? inArray(problems.state, [...OPEN_STATES]) : sql`${problems.state} not in (${sql.raw(OPEN)})`);
  if (q.todo) parts.push(todoWhere(scope));
  if (q.supervised !== undefined) parts.push(q.supervised ? sql`${problems.supervisionLevel} > 0` : eq(problems.supervisionLevel, 0));
  if (q.late !== undefined) parts.push(eq(problems.closedOnTime, !q.late));
  if (q.returned !== undefined) parts.push(q.returned ? sql`${problems.returnCount} > 0` : eq(problems.returnCount, 0));
  if (q.q) parts.push(searchMatches(problems.searchDoc, q.q) ?? sql`false`);
  return and(...parts.filter((p): p is SQL => p !== undefined)) as SQL;
}

function orderOf(q: ProblemQueryInput): SQL[] {
  const dir = q.order === 'desc' ? desc : asc;
  switch (q.sort ?? 'deadline') {
    case 'raisedAt':
      return [dir(problems.raisedAt), asc(problems.code)];
    case 'code':
      return [dir(problems.code)];
    case 'priority':
      return [dir(sql`(case ${problems.priority} when 'urgent' then 0 when 'high' then 1 else 2 end)`), asc(problems.deadline), asc(problems.code)];
    case 'closedAt':
      return [dir(problems.closedAt), asc(problems.code)];
    default:
      // Deadline first; without a deadline last; then the oldest.
      return [sql`${problems.deadline} ${sql.raw(q.order === 'desc' ? 'desc' : 'asc')} nulls last`, asc(problems.raisedAt)];
  }
}

export async function selectProblems(db: Db, where: SQL, q: ProblemQueryInput, today: string, limit: number, offset: number): Promise<ProblemListRecord[]> {
  const rows = await db
    .select({
      row: problems,
      light: lightSql(today),
      commandName: commands.name,
      leadUnitName: leadUnit.name,
      projectName: projects.name,
      categoryLabel: categoryEntry.label,
    })
    .from(problems)
    .innerJoin(commands, and(eq(commands.zoneId, problems.zoneId), eq(commands.id, problems.commandId)))
    .leftJoin(leadUnit, and(eq(leadUnit.zoneId, problems.zoneId), eq(leadUnit.id, problems.leadUnitId)))
    .leftJoin(projects, and(eq(projects.zoneId, problems.zoneId), eq(projects.id, problems.projectId)))
    .leftJoin(
      categoryEntry,
      and(eq(categoryEntry.zoneId, problems.zoneId), eq(categoryEntry.dictionary, 'problem_category'), eq(categoryEntry.code, problems.category)),
    )
    .where(where)
    .orderBy(...orderOf(q))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ ...r, light: r.light ?? null }));
}

export async function countProblems(db: Db, where: SQL): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(problems).where(where);
  return Number(row?.n ?? 0);
}
