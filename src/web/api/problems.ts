import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { EscalationLevel, Light, PendingRequestKind, ProblemAction, ProblemPriority, ProblemSource, ProblemState } from '../../shared/problem-flow.ts';
import { ApiError, api, request } from './client.ts';
import { uploadFile, type ProjectFile } from './projects.ts';
import type { Paged, Ref } from './types.ts';

/** Shapes from docs/api-problems.md (the closed loop) and src/server/modules/problems/problems.api.ts. */

export interface ProblemListItem {
  id: string;
  code: string;
  title: string;
  state: ProblemState;
  light: Light | null;
  priority: ProblemPriority;
  category: string;
  categoryLabel: string | null;
  source: ProblemSource;
  command: Ref;
  leadUnit: Ref | null;
  project: Ref | null;
  deadline: string | null;
  deadlineProvisional: boolean;
  workdaysLeft: number | null;
  raisedOn: string;
  raisedByName: string;
  closedOn: string | null;
  supervisionLevel: number;
  pendingRequest: PendingRequestKind | null;
  returnCount: number;
  version: number;
}

export interface TimelineFile {
  id: string;
  originalName: string;
  mime: string;
  kind: string;
}

export interface ProblemEvent {
  id: string;
  at: string;
  actorName: string;
  action: string;
  fromState: ProblemState | null;
  toState: ProblemState;
  text: string | null;
  data: Record<string, unknown>;
  light: Light | null;
  files: TimelineFile[];
}

export interface PendingRequestDetail {
  kind: PendingRequestKind;
  reason: string;
  newDeadline?: string;
  byName: string;
  at: string;
}

export interface ProblemDetail extends ProblemListItem {
  description: string | null;
  sourceId: string | null;
  sourceNote: string | null;
  sourceTitle: string | null;
  placeUnit: Ref | null;
  address: string | null;
  longitude: string | null;
  latitude: string | null;
  cooperatingUnits: Ref[];
  escalation: EscalationLevel;
  externalUnit: string | null;
  instruction: string | null;
  deadlineWorkdays: number | null;
  warnOn: string | null;
  reminded: boolean;
  supervisedAt: string | null;
  suspendedOn: string | null;
  pendingRequestDetail: PendingRequestDetail | null;
  mergedInto: { id: string; code: string } | null;
  mergedFrom: { id: string; code: string }[];
  raisedBy: Ref | null;
  raisedAt: string;
  assignedOn: string | null;
  acceptedAt: string | null;
  submittedAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  workdaysToClose: number | null;
  handBackCount: number;
  extensionCount: number;
  actions: ProblemAction[];
  timeline: ProblemEvent[];
}

export interface Assignment {
  leadUnitId: string;
  cooperatingUnitIds?: string[];
  deadlineWorkdays?: number;
  deadline?: string;
  escalation?: EscalationLevel;
  externalUnit?: string | null;
  instruction?: string | null;
}

export interface ProblemCreate {
  title: string;
  description?: string | null;
  category: string;
  priority?: ProblemPriority;
  source: ProblemSource;
  sourceId?: string | null;
  sourceNote?: string | null;
  projectId?: string | null;
  commandId?: string | null;
  placeUnitId?: string | null;
  address?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  assign?: Assignment;
}

export interface ActionBody {
  action: ProblemAction;
  version: number;
  reason?: string;
  text?: string;
  fileIds?: string[];
  assignment?: Assignment;
  leadUnitId?: string;
  cooperatingUnitIds?: string[];
  deadlineWorkdays?: number;
  deadline?: string;
  newDeadline?: string;
  targetId?: string;
}

// ---------------------------------------------------------------- the list's filters

/** Filters that take several values (repeated keys in the API's and the page's query string). */
export const MULTI_KEYS = ['state', 'light', 'commandId', 'leadUnitId', 'category', 'priority', 'source', 'escalation'] as const;
/** Filters with one value. */
export const SINGLE_KEYS = [
  'q',
  'cooperatingUnitId',
  'sourceId',
  'projectId',
  'raisedFrom',
  'raisedTo',
  'closedFrom',
  'closedTo',
  'deadlineFrom',
  'deadlineTo',
  'overdue',
  'open',
  'todo',
  'supervised',
  'late',
  'returned',
] as const;
export type MultiKey = (typeof MULTI_KEYS)[number];
export type SingleKey = (typeof SINGLE_KEYS)[number];

/** The list filters, exactly as the API and the page URL name them (booleans as 'true'). */
export type ProblemFilters = { [K in MultiKey]?: string[] } & { [K in SingleKey]?: string };

export const PROBLEM_SORTS = ['deadline', 'raisedAt', 'code', 'priority', 'closedAt'] as const;
export type ProblemSort = (typeof PROBLEM_SORTS)[number];

export interface ProblemListQuery extends ProblemFilters {
  sort?: ProblemSort;
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

type QueryValue = string | number | boolean | readonly string[] | null | undefined;

/** `?a=1&b=x&b=y`: arrays as repeated keys, empty values left out. */
export function problemQueryString(q: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const one of v) sp.append(k, one);
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** The filters in a URL query string (the same names as the API's). */
export function filtersFromParams(sp: URLSearchParams): ProblemFilters {
  const out: ProblemFilters = {};
  for (const k of MULTI_KEYS) {
    const v = sp.getAll(k).flatMap((x) => x.split(',')).filter(Boolean);
    if (v.length) out[k] = v;
  }
  for (const k of SINGLE_KEYS) {
    const v = sp.get(k);
    if (v) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- queries

export const problemsKey = ['problems'] as const;
export const problemKey = (id: string) => ['problems', 'one', id] as const;

export function fetchProblems(query: ProblemListQuery) {
  return api.get<Paged<ProblemListItem>>(`/api/problems${problemQueryString(query as Record<string, QueryValue>)}`);
}

export function useProblems(query: ProblemListQuery, enabled = true) {
  return useQuery({
    queryKey: [...problemsKey, 'list', query],
    queryFn: () => fetchProblems(query),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useProblem(id: string) {
  return useQuery({ queryKey: problemKey(id), queryFn: () => api.get<ProblemDetail>(`/api/problems/${id}`) });
}


export interface AddWorkdays {
  from: string;
  days: number;
  date: string;
  provisional: boolean;
}

/** The date N working days after `from` on the zone's calendar (the live preview of an assignment's deadline). */
export function useAddWorkdays(from: string, days: number | null | undefined) {
  const ok = typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 250;
  return useQuery({
    queryKey: ['calendar', 'add', from, days],
    queryFn: () => api.get<AddWorkdays>('/api/calendar/add-workdays', { from, days: days! }),
    enabled: ok,
    staleTime: 600_000,
  });
}

// ---------------------------------------------------------------- changes

/** A POST carrying an Idempotency-Key (the server answers a retry with the first answer, never a duplicate). */
/** A POST the server may see twice (a retry after a lost answer): the same key answers the first result. */
export function postWithKey<T>(path: string, body: unknown, key: string): Promise<T> {
  return request<T>('POST', path, body, undefined, { 'Idempotency-Key': key });
}

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** True when the request never reached the server (offline, DNS, connection reset): worth keeping and retrying. */
export function isNetworkError(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
}

/** The columns the export knows (PROBLEM_COLUMNS in problems.routes.ts): list-item keys. */
export const EXPORT_COLUMNS: readonly string[] = [
  'code',
  'title',
  'state',
  'light',
  'priority',
  'category',
  'source',
  'command',
  'leadUnit',
  'project',
  'deadline',
  'workdaysLeft',
  'raisedOn',
  'raisedByName',
  'closedOn',
  'supervisionLevel',
  'returnCount',
];

export const problemsApi = {
  raise: (body: ProblemCreate, idempotencyKey: string) => postWithKey<ProblemDetail>('/api/problems', body, idempotencyKey),
  act: (id: string, body: ActionBody, idempotencyKey = newIdempotencyKey()) => postWithKey<ProblemDetail>(`/api/problems/${id}/actions`, body, idempotencyKey),
  upload: (id: string, file: Blob & { name?: string }, onProgress?: (percent: number) => void, idempotencyKey?: string) =>
    uploadFile<ProjectFile>(`/api/problems/${id}/files`, file, onProgress, undefined, idempotencyKey),
  get: (id: string) => api.get<ProblemDetail>(`/api/problems/${id}`),
  exportPath: (filters: ProblemListQuery, columns: readonly string[]) => {
    const { page: _p, pageSize: _s, ...rest } = filters;
    const exportable = columns.filter((c) => EXPORT_COLUMNS.includes(c));
    return `/api/problems/export.xlsx${problemQueryString({ ...(rest as Record<string, QueryValue>), columns: exportable.join(',') })}`;
  },
  filePath: (fileId: string) => `/api/files/${fileId}`,
  documentPath: (id: string, doc: 'assignment-notice' | 'supervision-notice', format: 'pdf' | 'docx') => `/api/problems/${id}/${doc}.${format}`,
};
