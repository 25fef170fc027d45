import { checkPhaseMove, PHASE_LABELS, PROJECT_PHASES, type ProjectPhase } from '../../../shared/project-phase.ts';
import type { FieldProblem } from '../../errors.ts';

/**
 * Pure rules of a project's phase state (no database): which phase dates a phase needs and allows, their order,
 * and whether a phase move may happen on a given day. Messages name phases in both languages through params
 * (`{{fromZh}}` in the zh-CN template, `{{fromEn}}` in the English one).
 */

export type PhaseDateField = 'signedOn' | 'startedOn' | 'operatingOn' | 'completedOn';
export const PHASE_DATE_FIELD: Record<Exclude<ProjectPhase, 'pipeline' | 'suspended'>, PhaseDateField> = {
  signed: 'signedOn',
  started: 'startedOn',
  operating: 'operatingOn',
  completed: 'completedOn',
};
/** The dated phases in the order a project passes them. */
const DATED: readonly (keyof typeof PHASE_DATE_FIELD)[] = ['signed', 'started', 'operating', 'completed'];
const SUSPENDABLE: readonly ProjectPhase[] = ['signed', 'started', 'operating'];

export interface PhaseState {
  phase: ProjectPhase;
  suspendedFrom: ProjectPhase | null;
  signedOn: string | null;
  startedOn: string | null;
  operatingOn: string | null;
  completedOn: string | null;
  suspendedOn: string | null;
  plannedStartOn: string | null;
  plannedCompletionOn: string | null;
}

/** Message params naming a phase in both languages: phaseParams('from', 'signed') → {fromZh:'签约', fromEn:'Signed'}. */
export function phaseParams(prefix: string, phase: ProjectPhase): Record<string, string> {
  return { [`${prefix}Zh`]: PHASE_LABELS[phase].zh, [`${prefix}En`]: PHASE_LABELS[phase].en };
}

/** The phase whose dates count: a suspended project keeps the dates of the phase it was suspended from. */
function effectivePhase(s: Pick<PhaseState, 'phase' | 'suspendedFrom'>): ProjectPhase {
  return s.phase === 'suspended' ? (s.suspendedFrom ?? 'pipeline') : s.phase;
}

/** The date of the phase a project is in (for a suspended project: the day it was suspended). */
export function currentPhaseDate(s: PhaseState): string | null {
  if (s.phase === 'suspended') return s.suspendedOn;
  return s.phase === 'pipeline' ? null : s[PHASE_DATE_FIELD[s.phase]];
}

/**
 * Whether the phase and its dates agree, as field problems (empty when they do):
 * - the date of the phase the project is in is required (started needs startedOn); a suspended project needs
 *   suspendedFrom (签约/开工/投产) and suspendedOn, and the date of the phase it was suspended from;
 * - dates of phases not reached are refused (a signed project has no startedOn), as are suspendedFrom and
 *   suspendedOn on a project that is not suspended;
 * - no date is after `today`; signedOn ≤ startedOn ≤ operatingOn ≤ completedOn, and suspendedOn is not before them;
 * - plannedStartOn ≤ plannedCompletionOn.
 */
export function checkPhaseState(s: PhaseState, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (s.phase === 'suspended') {
    if (!s.suspendedFrom) problems.push({ path: 'suspendedFrom', key: 'field.required' });
    else if (!SUSPENDABLE.includes(s.suspendedFrom)) problems.push({ path: 'suspendedFrom', key: 'field.project.not_suspendable', params: phaseParams('phase', s.suspendedFrom) });
    if (!s.suspendedOn) problems.push({ path: 'suspendedOn', key: 'field.project.date_for_phase', params: phaseParams('phase', 'suspended') });
  } else {
    if (s.suspendedFrom) problems.push({ path: 'suspendedFrom', key: 'field.project.only_when_suspended' });
    if (s.suspendedOn) problems.push({ path: 'suspendedOn', key: 'field.project.only_when_suspended' });
  }
  const reached = effectivePhase(s);
  const reachedIndex = reached === 'pipeline' ? -1 : DATED.indexOf(reached as (typeof DATED)[number]);
  DATED.forEach((phase, i) => {
    const field = PHASE_DATE_FIELD[phase];
    if (i > reachedIndex && s[field]) problems.push({ path: field, key: 'field.project.date_beyond_phase', params: phaseParams('phase', phase) });
  });
  if (reachedIndex >= 0) {
    const phase = DATED[reachedIndex]!;
    const field = PHASE_DATE_FIELD[phase];
    if (!s[field] && !problems.some((p) => p.path === field)) problems.push({ path: field, key: 'field.project.date_for_phase', params: phaseParams('phase', phase) });
  }
  const dated: [string, string | null][] = [...DATED.map((p): [string, string | null] => [PHASE_DATE_FIELD[p], s[PHASE_DATE_FIELD[p]]]), ['suspendedOn', s.suspendedOn]];
  for (const [field, value] of dated) {
    if (value && value > today) problems.push({ path: field, key: 'field.project.future_date' });
  }
  // Order: each present date is not before any present date of an earlier phase.
  let latest: { field: string; value: string } | null = null;
  for (const [field, value] of dated) {
    if (!value) continue;
    if (latest && value < latest.value && !problems.some((p) => p.path === field)) {
      problems.push({ path: field, key: 'field.project.date_order', params: { date: latest.value } });
    }
    if (!latest || value > latest.value) latest = { field, value };
  }
  if (s.plannedStartOn && s.plannedCompletionOn && s.plannedCompletionOn < s.plannedStartOn) {
    problems.push({ path: 'plannedCompletionOn', key: 'field.date_range' });
  }
  return problems;
}

/** The phase columns after a move on `on` (the caller has checked the move with checkPhaseMove). */
export function phaseAfterMove(s: PhaseState, to: ProjectPhase, on: string): Partial<PhaseState> {
  if (to === 'suspended') return { phase: 'suspended', suspendedFrom: s.phase, suspendedOn: on };
  if (s.phase === 'suspended') return { phase: to, suspendedFrom: null, suspendedOn: null };
  return { phase: to, [PHASE_DATE_FIELD[to as keyof typeof PHASE_DATE_FIELD]]: on };
}

/**
 * Whether a project may move to `to` on `on` (YYYY-MM-DD), as field problems: the move itself (state machine, a
 * message naming both phases), the day (not before the date of the phase it is in, not after today), and the
 * reason a suspension needs.
 */
export function checkMove(s: PhaseState, to: ProjectPhase, on: string, reason: string | null, today: string): FieldProblem[] {
  const problem = checkPhaseMove(s.phase, to, s.suspendedFrom);
  if (problem) {
    const params = { ...phaseParams('from', s.phase), ...phaseParams('to', to), ...(s.suspendedFrom ? phaseParams('resume', s.suspendedFrom) : {}) };
    return [{ path: 'to', key: `field.phase.${problem}`, params }];
  }
  const problems: FieldProblem[] = [];
  const since = currentPhaseDate(s);
  if (on > today) problems.push({ path: 'on', key: 'field.project.future_date' });
  else if (since && on < since) problems.push({ path: 'on', key: 'field.phase.on_before', params: { ...phaseParams('from', s.phase), date: since } });
  if (to === 'suspended' && !reason) problems.push({ path: 'reason', key: 'field.phase.reason_required' });
  return problems;
}

/** A phase read from the database (a checked text column) as its union type. */
export function asPhase(value: string): ProjectPhase {
  const found = PROJECT_PHASES.find((p) => p === value);
  if (!found) throw new Error(`unexpected phase ${value}`);
  return found;
}

/** The phase columns of a project row, typed. */
export function phaseStateOf(row: PhaseColumns): PhaseState {
  return {
    phase: asPhase(row.phase),
    suspendedFrom: row.suspendedFrom ? asPhase(row.suspendedFrom) : null,
    signedOn: row.signedOn,
    startedOn: row.startedOn,
    operatingOn: row.operatingOn,
    completedOn: row.completedOn,
    suspendedOn: row.suspendedOn,
    plannedStartOn: row.plannedStartOn,
    plannedCompletionOn: row.plannedCompletionOn,
  };
}


type PhaseColumns = { phase: string; suspendedFrom: string | null } & Omit<PhaseState, 'phase' | 'suspendedFrom'>;
