import { and, eq } from 'drizzle-orm';
import { formatYuan, parseAmountIn } from '../../../shared/money.ts';
import { checkPhaseMove, LEVEL_LABELS, PHASE_LABELS, PROJECT_LEVELS, PROJECT_PHASES, type ProjectLevel, type ProjectPhase } from '../../../shared/project-phase.ts';
import type { Db } from '../../db/client.ts';
import { t } from '../../i18n.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { commands, enterprises, orgGroups, units } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';
import { COLUMN_BY_KEY, headerOf, type ColumnKey } from './import.columns.ts';
import { displayCell, numberText, type Cell, type RawRow } from './import.parse.ts';
import type { ProjectInput } from './projects.dto.ts';
import { canPlaceProject, canWriteProject, type ProjectScope } from './projects.policy.ts';
import type { ProjectRow } from './projects.repository.ts';
import { checkPhaseState, phaseParams, type PhaseState } from './projects.rules.ts';

/**
 * One row of the ledger import → a normalised project input, or the list of its bad cells. Pure apart from
 * loadRefData (the zone's names, read once per import): every rule here runs on values in memory, so 100k rows
 * cost no queries beyond the existing-project lookups the service does per chunk.
 */

type Params = Record<string, string | number>;

export interface CellError {
  row: number;
  /** The Chinese header of the column ('' for a problem with the whole file). */
  column: string;
  value: string;
  /** i18n key and params, so the message can be given in either language. */
  key: string;
  params?: Params;
  /** The zh-CN message. */
  message: string;
}

/** A valid row, ready to apply: a create, or the changes to one existing project (found by 项目编号). */
export interface ValidRow {
  row: number;
  code: string;
  action: 'create' | 'update';
  /** For updates: the project, and the version it had when the file was checked. */
  projectId?: string;
  input: Partial<ProjectInput>;
}

// Reference data ---------------------------------------------------------------------------------------------------

/** Names → ids (several ids: an ambiguous name). Keys are normalised with refKey. */
type NameIndex = Map<string, string[]>;

export interface DictionaryValue {
  code: string;
  label: string;
  active: boolean;
}

export interface RefData {
  enterprises: NameIndex;
  industry: Map<string, DictionaryValue>;
  kind: Map<string, DictionaryValue>;
  clusters: NameIndex;
  areas: NameIndex;
  units: NameIndex;
  commands: NameIndex;
  leaders: NameIndex;
  taskForces: NameIndex;
  /** Every unit's parent, to check an area lies in the cluster named beside it. */
  unitParent: Map<string, string | null>;
  unitKind: Map<string, string>;
  /** For the template's drop-downs: display values in order. */
  lists: Record<'enterprise' | 'industry' | 'kind' | 'cluster' | 'area' | 'command' | 'unit' | 'leader' | 'taskForce', string[]>;
}

/** Full-width → half-width (NFKC), no spaces, lower case: "（演示） ABC" and "(演示)abc" are the same name. */
export function refKey(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function addName(index: NameIndex, name: string | null | undefined, id: string): void {
  if (!name) return;
  const key = refKey(name);
  if (!key) return;
  const ids = index.get(key);
  if (!ids) index.set(key, [id]);
  else if (!ids.includes(id)) ids.push(id);
}

/** Roles whose people are offered as 包挂领导 in the template (anyone of the zone may be named). */
const LEADER_ROLES = ['zone_leader', 'hq_commander'];

export async function loadRefData(db: Db, zoneId: string): Promise<RefData> {
  const [entRows, dictRows, unitRows, commandRows, userRows, roleRows, groupRows] = await Promise.all([
    db.select({ id: enterprises.id, name: enterprises.name, creditCode: enterprises.creditCode }).from(enterprises).where(eq(enterprises.zoneId, zoneId)).orderBy(enterprises.name),
    db
      .select({ dictionary: dictionaryEntries.dictionary, code: dictionaryEntries.code, label: dictionaryEntries.label, active: dictionaryEntries.active })
      .from(dictionaryEntries)
      .where(eq(dictionaryEntries.zoneId, zoneId))
      .orderBy(dictionaryEntries.sortOrder, dictionaryEntries.label),
    db
      .select({ id: units.id, name: units.name, shortName: units.shortName, kind: units.kind, parentId: units.parentId, active: units.active })
      .from(units)
      .where(eq(units.zoneId, zoneId))
      .orderBy(units.sortOrder, units.name),
    db.select({ id: commands.id, name: commands.name, shortName: commands.shortName, active: commands.active }).from(commands).where(eq(commands.zoneId, zoneId)).orderBy(commands.sortOrder, commands.name),
    db.select({ id: users.id, username: users.username, displayName: users.displayName, disabled: users.disabled }).from(users).where(eq(users.zoneId, zoneId)).orderBy(users.displayName),
    db.select({ userId: userRoles.userId, role: userRoles.role }).from(userRoles).where(eq(userRoles.zoneId, zoneId)),
    db
      .select({ id: orgGroups.id, name: orgGroups.name, active: orgGroups.active })
      .from(orgGroups)
      .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.kind, 'task_force')))
      .orderBy(orgGroups.name),
  ]);
  // PGlite runs the queries above one after another anyway; on PostgreSQL they share the pool.

  const refs: RefData = {
    enterprises: new Map(),
    industry: new Map(),
    kind: new Map(),
    clusters: new Map(),
    areas: new Map(),
    units: new Map(),
    commands: new Map(),
    leaders: new Map(),
    taskForces: new Map(),
    unitParent: new Map(),
    unitKind: new Map(),
    lists: { enterprise: [], industry: [], kind: [], cluster: [], area: [], command: [], unit: [], leader: [], taskForce: [] },
  };

  for (const e of entRows) {
    addName(refs.enterprises, e.name, e.id);
    addName(refs.enterprises, e.creditCode, e.id);
  }
  refs.lists.enterprise = uniqueNames(entRows.map((e) => e.name));

  for (const d of dictRows) {
    const target = d.dictionary === 'industry' ? refs.industry : d.dictionary === 'project_kind' ? refs.kind : undefined;
    if (!target) continue;
    const value = { code: d.code, label: d.label, active: d.active };
    target.set(refKey(d.label), value);
    if (!target.has(refKey(d.code))) target.set(refKey(d.code), value);
    if (d.active) (d.dictionary === 'industry' ? refs.lists.industry : refs.lists.kind).push(d.label);
  }

  const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
  const nameCount = new Map<string, number>();
  for (const u of unitRows) nameCount.set(refKey(u.name), (nameCount.get(refKey(u.name)) ?? 0) + 1);
  /** A unit's name as offered in the template: "综合办公室(崔寨街道)" when the bare name is not unique. */
  const offered = (u: (typeof unitRows)[number]) => {
    const parent = u.parentId ? unitName.get(u.parentId) : undefined;
    return (nameCount.get(refKey(u.name)) ?? 0) > 1 && parent ? `${u.name}(${parent})` : u.name;
  };
  for (const u of unitRows) {
    refs.unitParent.set(u.id, u.parentId);
    refs.unitKind.set(u.id, u.kind);
    if (!u.active) continue;
    const parent = u.parentId ? unitName.get(u.parentId) : undefined;
    const names = [u.name, u.shortName, parent ? `${u.name}(${parent})` : null];
    for (const n of names) addName(refs.units, n, u.id);
    if (u.kind === 'cluster') for (const n of names) addName(refs.clusters, n, u.id);
    if (u.kind === 'area') for (const n of names) addName(refs.areas, n, u.id);
    if (u.kind === 'cluster') refs.lists.cluster.push(offered(u));
    if (u.kind === 'area') refs.lists.area.push(offered(u));
    if (u.kind !== 'external') refs.lists.unit.push(offered(u));
  }

  for (const c of commandRows) {
    if (!c.active) continue;
    addName(refs.commands, c.name, c.id);
    addName(refs.commands, c.shortName, c.id);
    refs.lists.command.push(c.name);
  }

  const leaderIds = new Set(roleRows.filter((r) => LEADER_ROLES.includes(r.role)).map((r) => r.userId));
  const displayCount = new Map<string, number>();
  for (const u of userRows) if (!u.disabled) displayCount.set(refKey(u.displayName), (displayCount.get(refKey(u.displayName)) ?? 0) + 1);
  for (const u of userRows) {
    if (u.disabled) continue;
    addName(refs.leaders, u.displayName, u.id);
    addName(refs.leaders, u.username, u.id);
    addName(refs.leaders, `${u.displayName}(${u.username})`, u.id);
    if (leaderIds.has(u.id)) refs.lists.leader.push((displayCount.get(refKey(u.displayName)) ?? 0) > 1 ? `${u.displayName}(${u.username})` : u.displayName);
  }

  for (const g of groupRows) {
    if (!g.active) continue;
    addName(refs.taskForces, g.name, g.id);
    refs.lists.taskForce.push(g.name);
  }
  return refs;
}

function uniqueNames(names: string[]): string[] {
  return [...new Set(names)];
}

// Row validation ---------------------------------------------------------------------------------------------------

export interface ValidateContext {
  refs: RefData;
  scope: ProjectScope;
  /** YYYY-MM-DD in Asia/Shanghai. */
  today: string;
  /** This year, for a plan without a year. */
  year: number;
}

export type RowResult = { ok: true; value: ValidRow } | { ok: false; errors: CellError[] };

const LEVEL_BY_NAME = new Map<string, ProjectLevel>();
for (const level of PROJECT_LEVELS) {
  const zh = LEVEL_LABELS[level].zh; // 省重点
  for (const name of [zh, zh.slice(0, 1), `${zh.slice(0, 1)}级`, `${zh.slice(0, 1)}级重点`, `${zh}项目`, level, LEVEL_LABELS[level].en]) LEVEL_BY_NAME.set(refKey(name), level);
}
const PHASE_BY_NAME = new Map<string, ProjectPhase>();
for (const phase of PROJECT_PHASES) for (const name of [PHASE_LABELS[phase].zh, phase, PHASE_LABELS[phase].en]) PHASE_BY_NAME.set(refKey(name), phase);
for (const [alias, phase] of [
  ['停建', 'suspended'],
  ['缓建', 'suspended'],
  ['停工', 'suspended'],
  ['在建', 'started'],
  ['已开工', 'started'],
  ['已签约', 'signed'],
  ['已投产', 'operating'],
  ['已竣工', 'completed'],
  ['前期', 'pipeline'],
] as const)
  PHASE_BY_NAME.set(refKey(alias), phase);

const FIELD_COLUMN: Record<string, ColumnKey> = {
  signedOn: 'signedOn',
  startedOn: 'startedOn',
  operatingOn: 'operatingOn',
  completedOn: 'completedOn',
  suspendedOn: 'suspendedOn',
  suspendedFrom: 'suspendedFrom',
  plannedStartOn: 'plannedStartOn',
  plannedCompletionOn: 'plannedCompletionOn',
  phase: 'phase',
};

class RowErrors {
  readonly list: CellError[] = [];
  constructor(
    private readonly raw: RawRow,
  ) {}
  add(column: ColumnKey, key: string, params?: Params): void {
    if (this.list.some((e) => e.column === headerOf(column))) return; // one problem per cell is enough
    this.list.push(cellError(this.raw.row, headerOf(column), displayCell(this.raw.cells[column]), key, params));
  }
  has(column: ColumnKey): boolean {
    return this.list.some((e) => e.column === headerOf(column));
  }
}

export function cellError(row: number, column: string, value: string, key: string, params?: Params): CellError {
  return { row, column, value, key, ...(params ? { params } : {}), message: t('zh-CN', key, params) };
}

/** A cell's content as text, or an error key (formula without a cached result, an error value). */
function textOf(cell: Cell): { text: string } | { key: string; params?: Params } {
  switch (cell.t) {
    case 's':
      return { text: cell.v.trim() };
    case 'n':
      return { text: numberText(cell.v) };
    case 'd':
      return { text: cell.v.toISOString().slice(0, 10) };
    case 'b':
      return { text: cell.v ? 'TRUE' : 'FALSE' };
    case 'err':
      return errorCellProblem(cell);
    case 'nofx':
      return { key: 'import.cell.formula_no_result' };
  }
}

function errorCellProblem(cell: Extract<Cell, { t: 'err' }>): { key: string; params?: Params } {
  if (cell.formula) return { key: 'import.cell.formula_error' };
  return { key: 'import.cell.error_value', params: { value: cell.v } };
}

// Dates: Excel dates, 2026-04-25, 2026/4/25, 2026.4.25, 2026年4月25日, and a bare serial number.
const DATE_TEXT = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/;
const FIRST_SERIAL = 18264; // 1950-01-01
const LAST_SERIAL = 73050; // 2099-12-31

export function parseDateCell(cell: Cell): string | null {
  if (cell.t === 'd') {
    // exceljs gives dates at UTC midnight (Excel dates have no zone); a time part is dropped.
    const d = cell.v;
    return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (cell.t === 'n') {
    // A date whose cell style was not available (or was lost by a copy): Excel's serial day number; a time of
    // day (the fraction) is dropped.
    if (cell.v < FIRST_SERIAL || cell.v >= LAST_SERIAL + 1) return null;
    const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(cell.v) * 86_400_000);
    return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (cell.t !== 's') return null;
  const text = cell.v.normalize('NFKC').trim();
  const m = DATE_TEXT.exec(text);
  if (!m) return null;
  return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1950 || y > 2099 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Largest amount numeric(18,2) holds, in fen. */
const MAX_CENTS = 10n ** 18n - 1n;

/** 亿元 with at most 6 decimals (一百元) → yuan string with 2 decimals, or an error key. */
export function parseYiCell(cell: Cell): { yuan: string } | { key: string; params?: Params } {
  let text: string;
  if (cell.t === 'n') {
    text = numberText(cell.v);
    if (/e/i.test(text)) return { key: 'import.cell.money_format' };
  } else if (cell.t === 's') {
    text = cell.v.normalize('NFKC').trim().replace(/\s*(亿元|亿)$/, '');
  } else {
    const asText = textOf(cell);
    return 'key' in asText ? asText : { key: 'import.cell.money_format' };
  }
  const clean = text.replaceAll(',', '');
  if (/^-/.test(clean)) return { key: 'import.cell.money_negative' };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(clean);
  if (!m) return { key: 'import.cell.money_format' };
  if ((m[2] ?? '').length > 6) return { key: 'import.cell.money_precision' };
  if (m[1]!.replace(/^0+/, '').length > 8) return { key: 'import.cell.money_too_large' };
  const cents = parseAmountIn(clean, 'yi');
  if (cents === null) return { key: 'import.cell.money_precision' };
  if (cents > MAX_CENTS) return { key: 'import.cell.money_too_large' };
  return { yuan: formatYuan(cents) };
}

/** Degrees with at most 6 decimals, within ±limit → "117.123400" (the database's numeric(9,6) text form). */
function parseCoordinate(cell: Cell, limit: number): string | null {
  const text = cell.t === 'n' ? numberText(cell.v) : cell.t === 's' ? cell.v.normalize('NFKC').trim() : '';
  const m = /^(-)?(\d{1,3})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return null;
  const value = Number(text);
  if (Math.abs(value) > limit) return null;
  return `${m[1] ?? ''}${Number(m[2])}.${(m[3] ?? '').padEnd(6, '0')}`;
}

function parseYear(cell: Cell): number | null {
  const text = cell.t === 'n' ? String(cell.v) : cell.t === 's' ? cell.v.normalize('NFKC').trim().replace(/年$/, '') : '';
  if (!/^\d{4}$/.test(text)) return null;
  const y = Number(text);
  return y >= 2000 && y <= 2100 ? y : null;
}

const MAX_LENGTH: Partial<Record<ColumnKey, number>> = { code: 50, name: 200, address: 300, notes: 2000 };
const ZERO_WIDTH = /[\u200b-\u200d\ufeff]/g;

/** The phase state a row describes (dates as given; for an update, merged over the project's own). */
function phaseStateOf(base: PhaseState, changes: Partial<ProjectInput>): PhaseState {
  const pick = <K extends keyof PhaseState>(k: K): PhaseState[K] => (k in changes ? ((changes as Record<string, unknown>)[k] as PhaseState[K]) : base[k]);
  return {
    phase: pick('phase'),
    suspendedFrom: pick('suspendedFrom'),
    signedOn: pick('signedOn'),
    startedOn: pick('startedOn'),
    operatingOn: pick('operatingOn'),
    completedOn: pick('completedOn'),
    suspendedOn: pick('suspendedOn'),
    plannedStartOn: pick('plannedStartOn'),
    plannedCompletionOn: pick('plannedCompletionOn'),
  };
}

const EMPTY_STATE: PhaseState = {
  phase: 'pipeline',
  suspendedFrom: null,
  signedOn: null,
  startedOn: null,
  operatingOn: null,
  completedOn: null,
  suspendedOn: null,
  plannedStartOn: null,
  plannedCompletionOn: null,
};

/** Whether the phase machine can get from one phase to another, in one move or several, never backwards. */
export function phaseReachable(from: ProjectPhase, suspendedFrom: ProjectPhase | null, to: ProjectPhase): boolean {
  const seen = new Set<string>();
  const queue: [ProjectPhase, ProjectPhase | null][] = [[from, suspendedFrom]];
  while (queue.length) {
    const [p, sf] = queue.shift()!;
    for (const next of PROJECT_PHASES) {
      if (checkPhaseMove(p, next, sf) !== null) continue;
      if (next === to) return true;
      const nextSf = next === 'suspended' ? p : null;
      const key = `${next}:${nextSf}`;
      if (!seen.has(key)) {
        seen.add(key);
        queue.push([next, nextSf]);
      }
    }
  }
  return false;
}

/** The latest dated phase among the row's dates: what a suspended project without 停缓建前阶段 resumes to. */
function inferSuspendedFrom(s: PhaseState): ProjectPhase | null {
  if (s.operatingOn) return 'operating';
  if (s.startedOn) return 'started';
  if (s.signedOn) return 'signed';
  return null;
}

/**
 * Validates one row. `existing` is the zone's project with the row's code, if any: the row then updates it
 * (only the cells that are filled in; an empty cell keeps the project's value).
 */
export function validateRow(raw: RawRow, ctx: ValidateContext, existing: ProjectRow | undefined): RowResult {
  const errors = new RowErrors(raw);
  const input: Partial<ProjectInput> = {};
  const { refs } = ctx;

  const text = (key: ColumnKey): string | undefined => {
    const cell = raw.cells[key];
    if (!cell) return undefined;
    const r = textOf(cell);
    if ('key' in r) {
      errors.add(key, r.key, r.params);
      return undefined;
    }
    const value = r.text.replace(ZERO_WIDTH, '').trim();
    if (!value) return undefined;
    const max = MAX_LENGTH[key];
    if (max && value.length > max) {
      errors.add(key, 'import.cell.too_long', { max });
      return undefined;
    }
    return value;
  };
  /** Cells that hold an error value or a formula without a result are reported for every type. */
  const usable = (key: ColumnKey): Cell | undefined => {
    const cell = raw.cells[key];
    if (!cell) return undefined;
    if (cell.t === 'err') {
      const p = errorCellProblem(cell);
      errors.add(key, p.key, p.params);
    }
    else if (cell.t === 'nofx') errors.add(key, 'import.cell.formula_no_result');
    else return cell;
    return undefined;
  };
  const required = (key: ColumnKey) => {
    if (!raw.cells[key] && !errors.has(key)) errors.add(key, 'import.cell.required');
  };
  const ref = (key: ColumnKey, index: NameIndex, missingKey: string): string | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const ids = index.get(refKey(value));
    if (!ids?.length) {
      errors.add(key, missingKey, { value });
      return undefined;
    }
    if (ids.length > 1) {
      errors.add(key, key === 'leader' ? 'import.ref.leader_ambiguous' : 'import.ref.ambiguous', { value });
      return undefined;
    }
    return ids[0];
  };
  const dictionary = (key: ColumnKey, index: Map<string, DictionaryValue>): string | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const entry = index.get(refKey(value));
    if (!entry) errors.add(key, 'import.ref.dictionary', { value });
    else if (!entry.active) errors.add(key, 'field.dictionary.inactive');
    else return entry.code;
    return undefined;
  };
  const date = (key: ColumnKey): string | undefined => {
    const cell = usable(key);
    if (!cell) return undefined;
    const value = parseDateCell(cell);
    if (value === null) errors.add(key, 'import.cell.date');
    return value ?? undefined;
  };
  const money = (key: ColumnKey): string | undefined => {
    const cell = usable(key);
    if (!cell) return undefined;
    const r = parseYiCell(cell);
    if ('key' in r) {
      errors.add(key, r.key, r.params);
      return undefined;
    }
    return r.yuan;
  };

  // Code and name.
  required('code');
  const code = text('code');
  required('name');
  const name = text('name');
  if (code !== undefined) input.code = code;
  if (name !== undefined) input.name = name;

  // Lists and references.
  const enterpriseId = ref('enterprise', refs.enterprises, 'import.ref.enterprise');
  if (enterpriseId) input.enterpriseId = enterpriseId;
  const industry = dictionary('industry', refs.industry);
  if (industry) input.industry = industry;
  const kind = dictionary('kind', refs.kind);
  if (kind) input.kind = kind;

  required('level');
  const levelText = text('level');
  if (levelText !== undefined) {
    const level = LEVEL_BY_NAME.get(refKey(levelText));
    if (level) input.level = level;
    else errors.add('level', 'import.ref.level', { value: levelText });
  }

  let clusterUnitId = ref('cluster', refs.clusters, 'import.ref.cluster');
  const areaUnitId = ref('area', refs.areas, 'import.ref.area');
  if (areaUnitId) {
    const clusterOfArea = ancestorOfKind(refs, areaUnitId, 'cluster');
    if (clusterUnitId && clusterOfArea !== clusterUnitId) errors.add('area', 'import.ref.area_not_in_cluster', { value: text('area') ?? '' });
    // The area tells its cluster: filled in when the row leaves 组团 empty.
    else if (!clusterUnitId && !raw.cells.cluster && clusterOfArea) clusterUnitId = clusterOfArea;
    input.areaUnitId = areaUnitId;
  }
  if (clusterUnitId) input.clusterUnitId = clusterUnitId;

  const address = text('address');
  if (address !== undefined) input.address = address;
  for (const [key, limit] of [
    ['longitude', 180],
    ['latitude', 90],
  ] as const) {
    const cell = usable(key);
    if (!cell) continue;
    const value = parseCoordinate(cell, limit);
    if (value === null) errors.add(key, key === 'longitude' ? 'field.project.longitude' : 'field.project.latitude');
    else input[key] = value;
  }

  const commandId = ref('command', refs.commands, 'import.ref.command');
  if (commandId) input.commandId = commandId;
  const leadUnitId = ref('leadUnit', refs.units, 'import.ref.unit');
  if (leadUnitId) input.leadUnitId = leadUnitId;
  const leaderUserId = ref('leader', refs.leaders, 'import.ref.leader');
  if (leaderUserId) input.leaderUserId = leaderUserId;
  const taskForceId = ref('taskForce', refs.taskForces, 'import.ref.task_force');
  if (taskForceId) input.taskForceId = taskForceId;

  // Money.
  required('totalInvestment');
  const total = money('totalInvestment');
  if (total !== undefined) input.totalInvestment = total;
  const planned = money('yearPlannedInvestment');
  const yearCell = usable('year');
  let year: number | undefined;
  if (yearCell) {
    const y = parseYear(yearCell);
    if (y === null) errors.add('year', 'import.cell.year');
    else year = y;
  }
  if (planned !== undefined) {
    input.year = year ?? ctx.year;
    input.yearPlannedInvestment = planned;
  }

  // Phase and dates.
  const phaseText = text('phase');
  if (phaseText !== undefined) {
    const phase = PHASE_BY_NAME.get(refKey(phaseText));
    if (phase) input.phase = phase;
    else errors.add('phase', 'import.ref.phase', { value: phaseText });
  }
  const fromText = text('suspendedFrom');
  if (fromText !== undefined) {
    const phase = PHASE_BY_NAME.get(refKey(fromText));
    if (phase) input.suspendedFrom = phase;
    else errors.add('suspendedFrom', 'import.ref.phase', { value: fromText });
  }
  for (const key of ['signedOn', 'startedOn', 'operatingOn', 'completedOn', 'suspendedOn', 'plannedStartOn', 'plannedCompletionOn'] as const) {
    const value = date(key);
    if (value !== undefined) input[key] = value;
  }
  const notes = text('notes');
  if (notes !== undefined) input.notes = notes;

  // Creates start in the pipeline unless the row says otherwise; updates keep their phase.
  const base: PhaseState = existing ? stateOfRow(existing) : EMPTY_STATE;
  if (!existing && !input.phase) input.phase = 'pipeline';
  const phaseFailed = errors.has('phase') || errors.has('suspendedFrom');
  if (!phaseFailed) {
    const target = input.phase ?? base.phase;
    // Moving out of a suspension, or to another phase: suspension fields follow the phase.
    if (target !== 'suspended' && base.phase === 'suspended' && input.phase) {
      input.suspendedFrom = null;
      input.suspendedOn = null;
    }
    if (target === 'suspended' && !input.suspendedFrom && !(existing && base.phase === 'suspended')) {
      const inferred = inferSuspendedFrom(phaseStateOf(base, input));
      if (inferred) input.suspendedFrom = inferred;
    }
    if (existing && input.phase && input.phase !== base.phase && !phaseReachable(base.phase, base.suspendedFrom, input.phase)) {
      errors.add('phase', 'field.phase.not_allowed', { ...phaseParams('from', base.phase), ...phaseParams('to', input.phase) });
    } else {
      const state = phaseStateOf(base, input);
      const dateErrors = Object.keys(FIELD_COLUMN).some((f) => errors.has(FIELD_COLUMN[f]!));
      if (!dateErrors) {
        for (const p of checkPhaseState(state, ctx.today)) {
          const column = FIELD_COLUMN[p.path] ?? 'phase';
          errors.add(column, p.key, p.params);
        }
      }
    }
  }

  // Who may place the project here, and whether an existing one is theirs to change.
  if (existing && !canWriteProject(ctx.scope, existing)) {
    errors.add('code', 'import.row.no_write', { value: code ?? '' });
  } else if (!errors.has('command') && !errors.has('leadUnit')) {
    const target = {
      commandId: input.commandId !== undefined ? input.commandId : (existing?.commandId ?? null),
      leadUnitId: input.leadUnitId !== undefined ? input.leadUnitId : (existing?.leadUnitId ?? null),
    };
    if (!canPlaceProject(ctx.scope, target)) {
      const hq = ctx.scope.commandIds.length > 0;
      if (!target.commandId && !target.leadUnitId) errors.add(hq ? 'command' : 'leadUnit', 'import.row.place_required');
      else if (raw.cells.command || (hq && !raw.cells.leadUnit)) errors.add('command', 'field.project.place_command');
      else errors.add('leadUnit', 'field.project.place_unit');
    }
  }

  if (errors.list.length) return { ok: false, errors: errors.list };
  return {
    ok: true,
    value: existing
      ? { row: raw.row, code: code!, action: 'update', projectId: existing.id, input }
      : { row: raw.row, code: code!, action: 'create', input },
  };
}

function stateOfRow(p: ProjectRow): PhaseState {
  return {
    phase: p.phase as ProjectPhase,
    suspendedFrom: (p.suspendedFrom as ProjectPhase | null) ?? null,
    signedOn: p.signedOn,
    startedOn: p.startedOn,
    operatingOn: p.operatingOn,
    completedOn: p.completedOn,
    suspendedOn: p.suspendedOn,
    plannedStartOn: p.plannedStartOn,
    plannedCompletionOn: p.plannedCompletionOn,
  };
}

function ancestorOfKind(refs: RefData, unitId: string, kind: string): string | null {
  let at: string | null | undefined = refs.unitParent.get(unitId);
  for (let i = 0; at && i < 50; i++) {
    if (refs.unitKind.get(at) === kind) return at;
    at = refs.unitParent.get(at);
  }
  return null;
}

/** Column header → its key, for the errors report's ordering. */
export function columnOrder(header: string): number {
  let i = 0;
  for (const [, c] of COLUMN_BY_KEY) {
    if (c.header === header) return i;
    i++;
  }
  return -1;
}

// Changes of an update ---------------------------------------------------------------------------------------------

/** The plan of a project for one year, when it has one (yuan string). */
export type PlanLookup = (projectId: string, year: number) => string | null | undefined;

/**
 * The fields of `changes` that differ from the project as it is (and its plan for the row's year): an update
 * whose cells all agree with the ledger changes nothing and is not applied.
 */
export function effectiveChanges(existing: ProjectRow, changes: Partial<ProjectInput>, planOf: PlanLookup): Partial<ProjectInput> {
  const out: Record<string, unknown> = {};
  const row = existing as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'year' || key === 'yearPlannedInvestment') continue;
    if (key === 'code') continue;
    const current = row[key] ?? null;
    if (current !== value) out[key] = value;
  }
  if (changes.yearPlannedInvestment !== undefined && changes.year !== undefined) {
    const current = planOf(existing.id, changes.year);
    if (current !== changes.yearPlannedInvestment) {
      out.year = changes.year;
      out.yearPlannedInvestment = changes.yearPlannedInvestment;
    }
  }
  return out as Partial<ProjectInput>;
}
