import { sql, type SQL } from 'drizzle-orm';
import type { AppServices } from '../../context.ts';
import { queryRows, type Db } from '../../db/client.ts';
import type { FieldProblem } from '../../errors.ts';

/**
 * Checks the records a project refers to (enterprise, dictionary codes, units, HQ, leader, task force) exist in
 * the caller's zone, in one round trip. Inside a transaction other than `s.db` (an Excel import applies thousands
 * of rows in one), answers are remembered for the rest of that transaction, so a large import asks once per
 * distinct value; outside one nothing is cached.
 */

/** `unit`: any unit of the zone's own tree (省市部门, the external units, cannot lead a zone project). */
export type RefKind = 'enterprise' | 'industry' | 'project_kind' | 'cluster' | 'area' | 'unit' | 'command' | 'user' | 'task_force';

export interface RefCheck {
  path: string;
  kind: RefKind;
  value: string;
}

interface RefAnswer {
  /** null when the record does not exist in the zone (or is of the wrong kind). */
  name: string | null;
  /** false for an inactive dictionary entry. */
  active: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_KINDS = new Set<RefKind>(['enterprise', 'cluster', 'area', 'unit', 'command', 'user', 'task_force']);
const cacheByTx = new WeakMap<object, Map<string, RefAnswer>>();

function lookup(zoneId: string, kind: RefKind, value: string): SQL {
  switch (kind) {
    case 'enterprise':
      return sql`(select json_build_object('name', name, 'active', true) from enterprises where zone_id = ${zoneId} and id = ${value}::uuid)`;
    case 'industry':
    case 'project_kind':
      return sql`(select json_build_object('name', label, 'active', active) from dictionary_entries where zone_id = ${zoneId} and dictionary = ${kind} and code = ${value})`;
    case 'cluster':
    case 'area':
      return sql`(select json_build_object('name', name, 'active', true) from units where zone_id = ${zoneId} and id = ${value}::uuid and kind = ${kind})`;
    case 'unit':
      return sql`(select json_build_object('name', name, 'active', true) from units where zone_id = ${zoneId} and id = ${value}::uuid and kind <> 'external')`;
    case 'command':
      return sql`(select json_build_object('name', name, 'active', true) from commands where zone_id = ${zoneId} and id = ${value}::uuid)`;
    case 'user':
      return sql`(select json_build_object('name', display_name, 'active', true) from users where zone_id = ${zoneId} and id = ${value}::uuid)`;
    case 'task_force':
      return sql`(select json_build_object('name', name, 'active', true) from org_groups where zone_id = ${zoneId} and id = ${value}::uuid and kind = 'task_force')`;
  }
}

/** The answers for each check (by `kind:value`), asking the database only for what is not cached. */
export async function resolveRefs(tx: Db, s: AppServices, zoneId: string, all: RefCheck[]): Promise<Map<string, RefAnswer>> {
  // Something that is not an id cannot name a record (and must never reach a ::uuid cast).
  const checks = all.filter((c) => !UUID_KINDS.has(c.kind) || UUID.test(c.value));
  const cache = tx === s.db ? new Map<string, RefAnswer>() : (cacheByTx.get(tx) ?? new Map<string, RefAnswer>());
  if (tx !== s.db) cacheByTx.set(tx, cache);
  const missing = [...new Map(checks.filter((c) => !cache.has(`${zoneId}:${c.kind}:${c.value}`)).map((c) => [`${c.kind}:${c.value}`, c])).values()];
  if (missing.length) {
    const columns = sql.join(
      missing.map((c, i) => sql`${lookup(zoneId, c.kind, c.value)} as ${sql.raw(`r${i}`)}`),
      sql`, `,
    );
    const [row] = await queryRows<Record<string, RefAnswer | string | null>>(tx, sql`select ${columns}`);
    missing.forEach((c, i) => {
      const raw = row?.[`r${i}`] ?? null;
      const answer = typeof raw === 'string' ? (JSON.parse(raw) as RefAnswer) : raw;
      cache.set(`${zoneId}:${c.kind}:${c.value}`, answer ?? { name: null, active: false });
    });
  }
  return new Map(all.map((c) => [`${c.kind}:${c.value}`, cache.get(`${zoneId}:${c.kind}:${c.value}`) ?? { name: null, active: false }]));
}

const WRONG_KIND: Partial<Record<RefKind, string>> = { cluster: 'field.project.not_cluster', area: 'field.project.not_area' };

/** Field problems for references that do not resolve: missing → field.not_found, an inactive dictionary value → field.dictionary.inactive. */
export async function checkRefs(tx: Db, s: AppServices, zoneId: string, checks: RefCheck[]): Promise<{ problems: FieldProblem[]; names: Map<string, string> }> {
  const answers = await resolveRefs(tx, s, zoneId, checks);
  const problems: FieldProblem[] = [];
  const names = new Map<string, string>();
  for (const c of checks) {
    const a = answers.get(`${c.kind}:${c.value}`)!;
    if (a.name === null) {
      // A unit of the wrong kind exists but is not a cluster / area: say which kind is wanted.
      const kindKey = WRONG_KIND[c.kind];
      const exists = kindKey ? (await resolveRefs(tx, s, zoneId, [{ ...c, kind: 'unit' }])).get(`unit:${c.value}`)!.name !== null : false;
      problems.push({ path: c.path, key: exists && kindKey ? kindKey : 'field.not_found' });
    } else if (!a.active) problems.push({ path: c.path, key: 'field.dictionary.inactive' });
    else names.set(c.path, a.name);
  }
  return { problems, names };
}
