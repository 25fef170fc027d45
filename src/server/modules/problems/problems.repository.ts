import { and, asc, desc, eq, getTableColumns, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { OPEN_STATES, type Light } from '../../../shared/problem-flow.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { commands, units } from '../org/org.schema.ts';
import { projects } from '../projects/projects.schema.ts';
import { searchMatches } from '../projects/projects.search.ts';
import type { ProblemQueryInput } from './problems.api.ts';
import { cooperatesWhere, problemReadWhere, todoSets, todoWhere, type ProblemScope } from './problems.policy.ts';
import { problems } from './problems.schema.ts';

/**
 * The closed loop's queries. The light is computed in SQL by the same rule as `lightOf` (problem-flow.ts), so
 * filters, counts and pages agree with what a problem's page shows.
 */

export type ProblemRow = typeof problems.$inferSelect;
/** A row as lists read it: without the search document (about two thirds of a row's bytes, never shown). */
export type ProblemListRow = Omit<ProblemRow, 'searchDoc'>;

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
  row: ProblemListRow;
  light: Light | null;
  commandName: string;
  leadUnitName: string | null;
  projectName: string | null;
  categoryLabel: string | null;
}

/**
 * The conditions of a list query (scope, zone and every filter). My to-do is inside the read scope (todoSets), so
 * with `todo` the scope is not repeated; with a search the scope filters the search's hits (problemReadWhere 'rows').
 */
export async function problemFilterWhere(db: Db, zoneId: string, scope: ProblemScope, q: ProblemQueryInput, today: string): Promise<SQL> {
  const parts: (SQL | undefined)[] = [eq(problems.zoneId, zoneId), q.todo ? undefined : problemReadWhere(scope, q.q ? 'rows' : 'union')];
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

/**
 * The list's order. Each ends on a unique key (code, or the id after the deadline order), so pages never overlap or
 * skip rows, and the page picked by ids (pageIdsWithTotal, todoPageIds) comes back in the same order.
 */
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
      // Deadline first; without a deadline last; then the oldest (todoPageIds sorts the same way).
      return [sql`${problems.deadline} ${sql.raw(q.order === 'desc' ? 'desc' : 'asc')} nulls last`, asc(problems.raisedAt), asc(problems.id)];
  }
}

const { searchDoc: _searchDoc, ...listColumns } = getTableColumns(problems);

export async function selectProblems(db: Db, where: SQL, q: ProblemQueryInput, today: string, limit: number, offset: number): Promise<ProblemListRecord[]> {
  const rows = await db
    .select({
      row: listColumns,
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

/**
 * One page's ids in the list's order and the total, in one statement: `count(*) over ()` is taken before the limit,
 * so the rows that match are read once, not once for the page and again for the count. For a search, where both
 * must read every hit anyway. `total` is null when the page is past the end (no row to carry it).
 */
export async function pageIdsWithTotal(db: Db, where: SQL, q: ProblemQueryInput, limit: number, offset: number): Promise<{ ids: string[]; total: number | null }> {
  const rows = await db
    .select({ id: problems.id, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(problems)
    .where(where)
    .orderBy(...orderOf(q))
    .limit(limit)
    .offset(offset);
  return { ids: rows.map((r) => r.id), total: rows.length ? rows[0]!.total : offset === 0 ? 0 : null };
}

/**
 * My to-do without other filters, in the default order (deadline, then raised, then id): the page's ids and the total
 * straight from the to-do sets (todoSets), each answered from its partial index, without reading problem rows.
 */
export async function todoPageIds(db: Db, scope: ProblemScope, order: 'asc' | 'desc', limit: number, offset: number): Promise<{ ids: string[]; total: number }> {
  const sets = sql.join(todoSets(scope), sql` union `);
  const rows = await queryRows<{ id: string; total: number }>(
    db,
    sql`select id, count(*) over ()::int as total from (${sets}) todo
        order by deadline ${sql.raw(order === 'desc' ? 'desc' : 'asc')} nulls last, raised_at asc, id asc limit ${limit} offset ${offset}`,
  );
  if (rows.length || offset === 0) return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
  const [n] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${sets}) todo`);
  return { ids: [], total: Number(n?.n ?? 0) };
}

/** Whether a list query is my to-do and nothing else, in the default order (todoPageIds answers it). */
export function isPlainTodo(q: ProblemQueryInput): boolean {
  if (q.todo !== true || (q.sort ?? 'deadline') !== 'deadline') return false;
  const listKeys = new Set(['todo', 'sort', 'order', 'page', 'pageSize']);
  return Object.entries(q).every(([k, v]) => listKeys.has(k) || v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
}
