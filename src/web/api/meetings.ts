import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AgendaKind, AttendanceStatus, DecisionKind, MeetingStatus, MeetingType } from '../../shared/meetings.ts';
import type { Light, ProblemPriority, ProblemState } from '../../shared/problem-flow.ts';
import { api } from './client.ts';
import type { Items, Ref } from './types.ts';

/** Shapes from src/server/modules/meetings/meetings.api.ts (the meetings contract). */

export interface MeetingBody {
  kind: 'command' | 'group';
  id: string;
  name: string;
}

export interface MeetingListItem {
  id: string;
  /** 崔寨片区建设指挥部第二次例会 (with the subject of a special meeting). */
  title: string;
  type: MeetingType;
  number: number;
  subject: string | null;
  body: MeetingBody;
  startsAt: string;
  endsAt: string;
  /** The day it is held, in Asia/Shanghai. */
  heldOn: string;
  place: string | null;
  chair: Ref | null;
  status: MeetingStatus;
  minutesVersion: number;
  seriesId: string | null;
  decisionCount: number;
  openDecisionCount: number;
  version: number;
}

export interface Decision {
  id: string;
  meetingId: string;
  seq: number;
  text: string;
  kind: DecisionKind;
  leadUnit: Ref;
  cooperatingUnits: Ref[];
  deadline: string;
  deadlineWorkdays: number | null;
  agendaItemId: string | null;
  problem: { id: string; code: string; state: ProblemState; light: Light | null; closedOn: string | null } | null;
  taskStatus: 'open' | 'done' | null;
  taskResult: string | null;
  taskDoneAt: string | null;
  /** Still needs work: an open problem or an open task. */
  open: boolean;
  version: number;
}

export interface AgendaItem {
  id: string;
  sortOrder: number;
  kind: AgendaKind;
  refId: string | null;
  title: string;
  presenterUser: Ref | null;
  presenterUnit: Ref | null;
  minutesAllowed: number | null;
  minutes: string | null;
}

export interface Suggestion {
  kind: AgendaKind;
  refId: string;
  title: string;
  reason: string;
  presenterUnit: Ref | null;
}

export interface AttendanceRow {
  user: Ref;
  unit: Ref | null;
  status: AttendanceStatus;
  reason: string | null;
  substituteName: string | null;
}

export interface MinutesVersion {
  minutesVersion: number;
  documentNumber: string;
  issuedAt: string;
  issuedByName: string;
  reason: string | null;
}

export interface MeetingDetail extends MeetingListItem {
  invitees: { units: Ref[]; commands: Ref[] };
  summary: string | null;
  agenda: AgendaItem[];
  attendance: AttendanceRow[];
  attendanceByUnit: { unit: Ref | null; present: number; absent: number; substitute: number }[];
  decisions: Decision[];
  followUp: { meeting: { id: string; title: string; heldOn: string }; decision: Decision }[];
  suggestions: Suggestion[];
  minutesVersions: MinutesVersion[];
  /** Minutes changed since the last issue (a revision waiting to be issued). */
  minutesChanged: boolean;
  can: { update: boolean; decide: boolean; issue: boolean };
}

export interface MeetingQuery {
  from?: string;
  to?: string;
  commandId?: string;
  groupId?: string;
  type?: MeetingType[];
  status?: MeetingStatus[];
}

export interface MeetingCreate {
  commandId?: string;
  groupId?: string;
  type: MeetingType;
  subject?: string | null;
  /** ISO date-time with offset: 2026-05-12T14:30:00+08:00 */
  startsAt: string;
  durationMinutes?: number;
  place?: string | null;
  chairUserId?: string | null;
  invitees?: { unitIds?: string[]; commandIds?: string[] };
  repeat?: { untilOn: string; intervalWeeks?: number };
}

export interface AgendaItemInput {
  id?: string;
  kind: AgendaKind;
  refId?: string | null;
  title: string;
  presenterUserId?: string | null;
  presenterUnitId?: string | null;
  minutesAllowed?: number | null;
  minutes?: string | null;
}

export interface AttendanceInput {
  userId: string;
  status: AttendanceStatus;
  reason?: string | null;
  substituteName?: string | null;
}

export interface MeetingPatch {
  version: number;
  subject?: string | null;
  startsAt?: string;
  durationMinutes?: number;
  place?: string | null;
  chairUserId?: string | null;
  status?: 'planned' | 'held' | 'cancelled';
  invitees?: { unitIds?: string[]; commandIds?: string[] };
  summary?: string | null;
  /** The whole agenda in order (items without id are new; items left out are removed). */
  agenda?: AgendaItemInput[];
  /** Attendance of the people listed (others unchanged). */
  attendance?: AttendanceInput[];
  /** Required to change issued minutes. */
  revisionReason?: string;
}

export interface DecisionCreate {
  text: string;
  kind: DecisionKind;
  leadUnitId: string;
  cooperatingUnitIds?: string[];
  deadlineWorkdays?: number;
  deadline?: string;
  agendaItemId?: string;
  category?: string;
  priority?: ProblemPriority;
  projectId?: string;
  /** Leading-group meetings: the HQ that will own the problem. */
  commandId?: string;
  title?: string;
  revisionReason?: string;
}

// ---------------------------------------------------------------- queries

export const meetingsKey = ['meetings'] as const;
export const meetingKey = (id: string) => ['meetings', 'one', id] as const;

type QueryValue = string | number | boolean | readonly string[] | null | undefined;

/** `?a=1&b=x&b=y`: arrays as repeated keys, empty values left out. */
function qs(q: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const one of v) sp.append(k, one);
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export function useMeetings(query: MeetingQuery, enabled = true) {
  return useQuery({
    queryKey: [...meetingsKey, 'list', query],
    queryFn: () => api.get<Items<MeetingListItem>>(`/api/meetings${qs(query as Record<string, QueryValue>)}`).then((r) => r.items),
    enabled,
  });
}

export function useMeeting(id: string) {
  return useQuery({ queryKey: meetingKey(id), queryFn: () => api.get<MeetingDetail>(`/api/meetings/${id}`) });
}

/** The iCal subscription of an HQ's meetings (a secret URL for Outlook / phone calendars). */
export function useMeetingsFeed(commandId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...meetingsKey, 'feed', commandId],
    queryFn: () => api.get<{ url: string }>(`/api/hqs/${commandId}/meetings-feed`),
    enabled: enabled && !!commandId,
    retry: false,
    staleTime: 600_000,
  });
}

/** After a change: the meeting as the server answered it, and the calendar lists again. */
export function useMeetingUpdated() {
  const qc = useQueryClient();
  return (m: MeetingDetail) => {
    qc.setQueryData(meetingKey(m.id), m);
    void qc.invalidateQueries({ queryKey: meetingsKey, predicate: (q) => q.queryKey[1] !== 'one' || q.queryKey[2] !== m.id });
    // a decision became a problem, or a task was done: the problem lists change too
    void qc.invalidateQueries({ queryKey: ['problems'] });
  };
}

export type MinutesFormat = 'pdf' | 'docx';

export const meetingsApi = {
  create: (body: MeetingCreate) => api.post<MeetingDetail>('/api/meetings', body),
  get: (id: string) => api.get<MeetingDetail>(`/api/meetings/${id}`),
  update: (id: string, body: MeetingPatch) => api.patch<MeetingDetail>(`/api/meetings/${id}`, body),
  decide: (id: string, body: DecisionCreate) => api.post<{ decision: Decision; problem: { id: string; code: string } | null }>(`/api/meetings/${id}/decisions`, body),
  taskDone: (id: string, decisionId: string, version: number, result: string) => api.post<MeetingDetail>(`/api/meetings/${id}/decisions/${decisionId}/done`, { version, result }),
  issue: (id: string, version: number, reason?: string) => api.post<MeetingDetail>(`/api/meetings/${id}/issue`, reason ? { version, reason } : { version }),
  /** 会议纪要 as PDF or Word; without a version the latest issued one. */
  minutesPath: (id: string, format: MinutesFormat, version?: number) => `/api/meetings/${id}/minutes.${format}${version ? `?version=${version}` : ''}`,
  /** 签到表 (the attendance sheet) as PDF or Word. */
  attendanceSheetPath: (id: string, format: MinutesFormat) => `/api/meetings/${id}/attendance-sheet.${format}`,
};

// ---------------------------------------------------------------- helpers

/** The agenda as the PATCH takes it (every field, so nothing is cleared by leaving it out). */
export function agendaInput(items: readonly AgendaItem[]): AgendaItemInput[] {
  return items.map((a) => ({
    id: a.id,
    kind: a.kind,
    refId: a.refId,
    title: a.title,
    presenterUserId: a.presenterUser?.id ?? null,
    presenterUnitId: a.presenterUnit?.id ?? null,
    minutesAllowed: a.minutesAllowed,
    minutes: a.minutes,
  }));
}

/** "2026-05-12" + "14:30" → "2026-05-12T14:30:00+08:00" (meetings are planned in the zone's time, whatever the browser's). */
export function zoneDateTime(day: string, time: string): string {
  return `${day}T${time}:00+08:00`;
}
