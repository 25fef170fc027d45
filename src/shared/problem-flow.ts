/**
 * The closed loop (问题管理闭环) as one state machine, shared by server and web: the states, the actions, who may
 * take each, what each needs. The server decides with `checkAction`; the web shows the actions the API lists for
 * the signed-in user and builds each action's form from `ACTIONS[action].needs`.
 */
export const PROBLEM_STATES = ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended', 'submitted', 'closed', 'merged'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export const STATE_LABELS: Record<ProblemState, { zh: string; en: string }> = {
  raised: { zh: '已提报', en: 'Raised' },
  assigned: { zh: '已交办', en: 'Assigned' },
  handed_back: { zh: '已退单', en: 'Handed back' },
  in_progress: { zh: '办理中', en: 'In progress' },
  suspended: { zh: '已挂起', en: 'Suspended' },
  submitted: { zh: '申请办结', en: 'Resolution submitted' },
  closed: { zh: '已销号', en: 'Closed' },
  merged: { zh: '已并单', en: 'Merged' },
};

/** States in which the problem still needs work (the clock runs, except while suspended). */
export const OPEN_STATES: readonly ProblemState[] = ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended', 'submitted'];
export const isOpen = (s: ProblemState) => OPEN_STATES.includes(s);

/**
 * How a caller relates to one problem; several can hold at once. `hq`: a member of the problem's HQ, or a zone
 * leader. `commander`: leads (or deputises for) the problem's HQ, or a zone leader. `lead_unit` / `cooperating`:
 * unit staff of the lead unit / a cooperating unit (or a unit above it). `verifier`: HQ, or the raiser when the
 * raiser is not of the lead unit (nobody verifies their own work).
 */
export const RELATIONS = ['hq', 'commander', 'leader', 'lead_unit', 'cooperating', 'verifier'] as const;
export type Relation = (typeof RELATIONS)[number];

/** What an action's request must carry (the web builds its form from this). */
export type Need = 'reason' | 'text' | 'assignment' | 'leadUnit' | 'newDeadline' | 'target';

export interface ActionDef {
  from: readonly ProblemState[];
  /** The state after the action; `same` keeps it. `approve_request` depends on the request (see `nextState`). */
  to: ProblemState | 'same';
  by: readonly Relation[];
  needs: readonly Need[];
  /** Optional fields the form offers. */
  offers?: readonly ('photos' | 'text' | 'deadline')[];
  /** A pending extension/suspension request must be present (`pending`) or absent (`none`). */
  request?: 'pending' | 'none';
  label: { zh: string; en: string };
}

export const ACTIONS = {
  assign: {
    from: ['raised'], to: 'assigned', by: ['hq'], needs: ['assignment'], label: { zh: '交办', en: 'Assign' },
  },
  accept: { from: ['assigned'], to: 'in_progress', by: ['lead_unit'], needs: [], label: { zh: '签收', en: 'Accept' } },
  hand_back: {
    from: ['assigned', 'in_progress'], to: 'handed_back', by: ['lead_unit'], needs: ['reason'], label: { zh: '退单', en: 'Hand back' },
  },
  reassign: {
    from: ['handed_back'], to: 'assigned', by: ['hq'], needs: ['leadUnit'], offers: ['deadline', 'text'], label: { zh: '改派', en: 'Reassign' },
  },
  insist: { from: ['handed_back'], to: 'assigned', by: ['hq'], needs: ['reason'], label: { zh: '维持交办', en: 'Insist' } },
  report_progress: {
    from: ['in_progress'], to: 'same', by: ['lead_unit', 'cooperating'], needs: ['text'], offers: ['photos'], label: { zh: '报告进展', en: 'Report progress' },
  },
  request_extension: {
    from: ['in_progress'], to: 'same', by: ['lead_unit'], needs: ['newDeadline', 'reason'], request: 'none', label: { zh: '申请延期', en: 'Ask for extension' },
  },
  request_suspension: {
    from: ['in_progress'], to: 'same', by: ['lead_unit'], needs: ['reason'], request: 'none', label: { zh: '申请挂起', en: 'Ask for suspension' },
  },
  approve_request: {
    from: ['in_progress'], to: 'same', by: ['hq'], needs: [], offers: ['text'], request: 'pending', label: { zh: '同意申请', en: 'Approve request' },
  },
  refuse_request: {
    from: ['in_progress'], to: 'same', by: ['hq'], needs: ['reason'], request: 'pending', label: { zh: '不同意申请', en: 'Refuse request' },
  },
  resume: { from: ['suspended'], to: 'in_progress', by: ['hq', 'lead_unit'], needs: [], offers: ['text'], label: { zh: '恢复办理', en: 'Resume' } },
  submit: {
    from: ['in_progress'], to: 'submitted', by: ['lead_unit'], needs: ['text'], offers: ['photos'], label: { zh: '申请办结', en: 'Submit resolution' },
  },
  close: { from: ['submitted'], to: 'closed', by: ['verifier'], needs: [], offers: ['text'], label: { zh: '核验销号', en: 'Verify and close' } },
  return: { from: ['submitted'], to: 'in_progress', by: ['verifier'], needs: ['reason'], label: { zh: '退回', en: 'Return for rework' } },
  reopen: { from: ['closed'], to: 'in_progress', by: ['commander'], needs: ['reason'], label: { zh: '重新打开', en: 'Reopen' } },
  merge: {
    from: ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended'], to: 'merged', by: ['hq'], needs: ['target'], label: { zh: '并单', en: 'Merge into' },
  },
  remind: {
    from: ['assigned', 'in_progress'], to: 'same', by: ['hq'], needs: [], offers: ['text'], label: { zh: '催办', en: 'Remind' },
  },
  supervise: {
    from: ['assigned', 'in_progress', 'suspended', 'handed_back'], to: 'same', by: ['leader'], needs: ['text'], label: { zh: '督办', en: 'Supervise' },
  },
} as const satisfies Record<string, ActionDef>;

export type ProblemAction = keyof typeof ACTIONS;
export const PROBLEM_ACTIONS = Object.keys(ACTIONS) as ProblemAction[];

export type PendingRequestKind = 'extension' | 'suspension';

/** The facts of a problem the machine looks at. */
export interface FlowFacts {
  state: ProblemState;
  pendingRequest: PendingRequestKind | null;
}

export type ActionRefusal = 'wrong_state' | 'not_allowed' | 'request_pending' | 'no_request';

/** Whether a caller with `relations` may take `action` now; null when allowed. */
export function checkAction(action: ProblemAction, facts: FlowFacts, relations: ReadonlySet<Relation>): ActionRefusal | null {
  const def: ActionDef = ACTIONS[action];
  if (!def.from.includes(facts.state)) return 'wrong_state';
  if (!def.by.some((r) => relations.has(r))) return 'not_allowed';
  if (def.request === 'none' && facts.pendingRequest) return 'request_pending';
  if (def.request === 'pending' && !facts.pendingRequest) return 'no_request';
  return null;
}

/** The actions a caller may take now, in the order the web shows them. */
export function allowedActions(facts: FlowFacts, relations: ReadonlySet<Relation>): ProblemAction[] {
  return PROBLEM_ACTIONS.filter((a) => checkAction(a, facts, relations) === null);
}

/** The state after an allowed action. */
export function nextState(action: ProblemAction, facts: FlowFacts): ProblemState {
  if (action === 'approve_request') return facts.pendingRequest === 'suspension' ? 'suspended' : facts.state;
  const to: ProblemState | 'same' = ACTIONS[action].to;
  return to === 'same' ? facts.state : to;
}

/** The request an action leaves pending: asking sets it; deciding, submitting, handing back or merging clears it. */
export function nextPendingRequest(action: ProblemAction, facts: FlowFacts): PendingRequestKind | null {
  if (action === 'request_extension') return 'extension';
  if (action === 'request_suspension') return 'suspension';
  if (action === 'report_progress' || action === 'remind' || action === 'supervise') return facts.pendingRequest;
  return null;
}

// ---- Sources, categories, priorities, escalation ----

export const PROBLEM_SOURCES = ['meeting', 'report', 'field', 'service', 'hotline', 'instruction', 'other'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];
export const SOURCE_LABELS: Record<ProblemSource, { zh: string; en: string }> = {
  meeting: { zh: '会议议定', en: 'Meeting decision' },
  report: { zh: '项目月报', en: 'Monthly report' },
  field: { zh: '现场发现', en: 'Field' },
  service: { zh: '企业服务', en: 'Service request' },
  hotline: { zh: '12345工单', en: 'Hotline order' },
  instruction: { zh: '领导批示', en: "Leader's instruction" },
  other: { zh: '其他', en: 'Other' },
};

export const PROBLEM_PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type ProblemPriority = (typeof PROBLEM_PRIORITIES)[number];
export const PRIORITY_LABELS: Record<ProblemPriority, { zh: string; en: string }> = {
  normal: { zh: '一般', en: 'Normal' },
  high: { zh: '重要', en: 'High' },
  urgent: { zh: '紧急', en: 'Urgent' },
};

export const ESCALATION_LEVELS = ['zone', 'city', 'province'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
export const ESCALATION_LABELS: Record<EscalationLevel, { zh: string; en: string }> = {
  zone: { zh: '区级协调', en: 'Zone' },
  city: { zh: '需市级协调', en: 'Needs the city' },
  province: { zh: '需省级协调', en: 'Needs the province' },
};

// ---- Lights (红黄绿灯): computed from dates, never stored by hand ----

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
export const LIGHT_LABELS: Record<Light, { zh: string; en: string }> = {
  green: { zh: '绿灯', en: 'Green' },
  yellow: { zh: '黄灯', en: 'Yellow' },
  red: { zh: '红灯', en: 'Red' },
};

export interface LightFacts {
  state: ProblemState;
  /** YYYY-MM-DD, or null while no deadline is set. */
  deadline: string | null;
  /** The day from which at most 2 working days are left (2 working days before the deadline). */
  warnOn: string | null;
  /** Reminded (催办) since the deadline was last set. */
  reminded: boolean;
  /** The day the clock stopped, while suspended. */
  suspendedOn: string | null;
}

/**
 * The light on `today` (YYYY-MM-DD, Asia/Shanghai). Red: past the deadline. Yellow: at most 2 working days left,
 * or reminded. Green otherwise. A suspended problem keeps the light of the day its clock stopped. Closed and
 * merged problems, and problems without a deadline, have none.
 */
export function lightOf(p: LightFacts, today: string): Light | null {
  if (!isOpen(p.state) || !p.deadline) return null;
  const ref = p.state === 'suspended' && p.suspendedOn ? p.suspendedOn : today;
  if (ref > p.deadline) return 'red';
  if (p.reminded || (p.warnOn !== null && ref >= p.warnOn)) return 'yellow';
  return 'green';
}

/** Working days before the deadline at which the light turns yellow. */
export const WARN_WORKDAYS = 2;
