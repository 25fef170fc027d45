/**
 * Project phases (储备 → 签约 → 开工 → 投产 / 竣工, and 停缓建 and back): one state machine shared by server and web.
 * A suspended project resumes to the phase it was suspended from.
 */
export const PROJECT_PHASES = ['pipeline', 'signed', 'started', 'operating', 'completed', 'suspended'] as const;
export type ProjectPhase = (typeof PROJECT_PHASES)[number];

export const PHASE_LABELS: Record<ProjectPhase, { zh: string; en: string }> = {
  pipeline: { zh: '储备', en: 'Pipeline' },
  signed: { zh: '签约', en: 'Signed' },
  started: { zh: '开工', en: 'Started' },
  operating: { zh: '投产', en: 'Operating' },
  completed: { zh: '竣工', en: 'Completed' },
  suspended: { zh: '停缓建', en: 'Suspended' },
};

/** Forward moves. Infrastructure goes 开工 → 竣工; industry 开工 → 投产 → 竣工. Not every project is signed first. */
const FORWARD: Record<ProjectPhase, readonly ProjectPhase[]> = {
  pipeline: ['signed', 'started'],
  signed: ['started'],
  started: ['operating', 'completed'],
  operating: ['completed'],
  completed: [],
  suspended: [],
};

const SUSPENDABLE: readonly ProjectPhase[] = ['signed', 'started', 'operating'];

export type PhaseMoveProblem = 'same_phase' | 'not_allowed' | 'not_suspended_from';

/**
 * Whether a project in `from` (suspended from `suspendedFrom`, when suspended) may move to `to`.
 * Returns null when allowed.
 */
export function checkPhaseMove(from: ProjectPhase, to: ProjectPhase, suspendedFrom: ProjectPhase | null): PhaseMoveProblem | null {
  if (from === to) return 'same_phase';
  if (to === 'suspended') return SUSPENDABLE.includes(from) ? null : 'not_allowed';
  if (from === 'suspended') return to === suspendedFrom ? null : 'not_suspended_from';
  return FORWARD[from].includes(to) ? null : 'not_allowed';
}

export function nextPhases(from: ProjectPhase, suspendedFrom: ProjectPhase | null): ProjectPhase[] {
  return PROJECT_PHASES.filter((to) => checkPhaseMove(from, to, suspendedFrom) === null);
}

/** Phases at or beyond the start of construction, for the 开工率. */
export const STARTED_OR_LATER: readonly ProjectPhase[] = ['started', 'operating', 'completed'];

export const PROJECT_LEVELS = ['province', 'city', 'district'] as const;
export type ProjectLevel = (typeof PROJECT_LEVELS)[number];
export const LEVEL_LABELS: Record<ProjectLevel, { zh: string; en: string }> = {
  province: { zh: '省重点', en: 'Provincial key' },
  city: { zh: '市重点', en: 'City key' },
  district: { zh: '区重点', en: 'District key' },
};
