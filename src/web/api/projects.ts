import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ProjectLevel, ProjectPhase } from '../../shared/project-phase.ts';
import { currentLang } from '../i18n/index.ts';
import { ApiError, api, type Query } from './client.ts';
import type { Items, Paged, Ref } from './types.ts';

/** Shapes from docs/api-projects.md (the ledger contract). Money is a yuan decimal string ("48650000000.00"), never a number. */
export type Money = string;
export type Schedule = 'ahead' | 'on_track' | 'lagging' | 'no_plan';

export interface Coded {
  code: string;
  label: string;
}

export interface Project {
  id: string;
  code: string;
  name: string;
  enterprise: Ref | null;
  industry: Coded | null;
  kind: Coded | null;
  level: ProjectLevel;
  clusterUnit: Ref | null;
  areaUnit: Ref | null;
  address: string | null;
  longitude: string | null;
  latitude: string | null;
  command: Ref | null;
  leadUnit: Ref | null;
  leader: { id: string; displayName: string } | null;
  taskForce: Ref | null;
  totalInvestment: Money;
  year: number;
  yearPlannedInvestment: Money | null;
  yearCompletedInvestment: Money;
  yearFundsInPlace: Money;
  cumulativeInvestment: Money;
  cumulativeFundsInPlace: Money;
  lastReportMonth: string | null;
  schedule: Schedule;
  phase: ProjectPhase;
  suspendedFrom: ProjectPhase | null;
  signedOn: string | null;
  startedOn: string | null;
  operatingOn: string | null;
  completedOn: string | null;
  suspendedOn: string | null;
  plannedStartOn: string | null;
  plannedCompletionOn: string | null;
  nextPhases: ProjectPhase[];
  notes: string | null;
  batches: Ref[];
  version: number;
  updatedAt: string;
  can: { update: boolean; movePhase: boolean; report: boolean; delete: boolean };
}

/** The list filters, exactly as the API and the page URL name them. */
export interface ProjectFilters {
  q?: string;
  phase?: string;
  level?: string;
  commandId?: string;
  clusterUnitId?: string;
  areaUnitId?: string;
  industry?: string;
  kind?: string;
  leaderUserId?: string;
  leadUnitId?: string;
  enterpriseId?: string;
  batchId?: string;
  minInvestment?: string;
  maxInvestment?: string;
  lagging?: string;
  year?: string;
}

export const FILTER_KEYS: readonly (keyof ProjectFilters)[] = [
  'q',
  'phase',
  'level',
  'commandId',
  'clusterUnitId',
  'areaUnitId',
  'industry',
  'kind',
  'leaderUserId',
  'leadUnitId',
  'enterpriseId',
  'batchId',
  'minInvestment',
  'maxInvestment',
  'lagging',
  'year',
];

export type ProjectSort = 'code' | 'name' | 'totalInvestment' | 'phase' | 'updatedAt' | 'startedOn';

export interface ProjectListQuery extends ProjectFilters {
  sort?: ProjectSort;
  order?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface ProjectInput {
  code: string;
  name: string;
  enterpriseId?: string | null;
  industry?: string | null;
  kind?: string | null;
  level: ProjectLevel;
  clusterUnitId?: string | null;
  areaUnitId?: string | null;
  address?: string | null;
  longitude?: string | null;
  latitude?: string | null;
  commandId?: string | null;
  leadUnitId?: string | null;
  leaderUserId?: string | null;
  taskForceId?: string | null;
  totalInvestment: Money;
  year?: number;
  yearPlannedInvestment?: Money | null;
  plannedStartOn?: string | null;
  plannedCompletionOn?: string | null;
  notes?: string | null;
}

export interface PhaseChange {
  fromPhase: ProjectPhase;
  toPhase: ProjectPhase;
  onDate: string;
  reason: string | null;
  actor: { id: string; displayName: string } | null;
  at: string;
}

export interface TimelineEntry {
  at: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: string | null;
  before: unknown;
  after: unknown;
}

export type MilestoneStatus = 'done' | 'done_late' | 'pending' | 'overdue';

export interface Milestone {
  id: string;
  name: string;
  plannedOn: string;
  actualOn: string | null;
  status: MilestoneStatus;
  notes: string | null;
  sortOrder: number;
  version: number;
  can?: { update?: boolean; delete?: boolean };
}

export interface MilestoneInput {
  name: string;
  plannedOn: string;
  actualOn?: string | null;
  notes?: string | null;
  sortOrder?: number;
}

export interface GanttRow {
  project: {
    id: string;
    code: string;
    name: string;
    phase: ProjectPhase;
    startedOn: string | null;
    plannedStartOn: string | null;
    plannedCompletionOn: string | null;
    completedOn: string | null;
  };
  milestones: Milestone[];
}

export interface Report {
  id: string;
  month: string;
  completedInvestment: Money;
  fundsInPlace: Money;
  cumulativeInvestment: Money;
  cumulativeFundsInPlace: Money;
  progress: string;
  unit: Ref | null;
  reportedBy: { id: string; displayName: string } | null;
  createdAt: string;
  version: number;
  can: { update: boolean };
}

export interface ReportInput {
  month: string;
  completedInvestment: Money;
  fundsInPlace: Money;
  progress: string;
}

export interface MissingReports {
  month: string;
  items: { unit: Ref; projects: { id: string; code: string; name: string }[] }[];
}

export interface Rate {
  numerator: string;
  denominator: string;
  rate: string | null;
  formula: string;
}

export type RateKey = 'start' | 'investment' | 'funds' | 'onTimeCompletion';

export interface LaggingProject {
  project: { id: string; code: string; name: string };
  leader: { id: string; displayName: string } | null;
  leadUnit: Ref | null;
  command: Ref | null;
  yearPlannedInvestment: Money;
  expectedByNow: Money;
  yearCompletedInvestment: Money;
  gap: Money;
}

export interface Metrics {
  year: number;
  asOf: string;
  timeElapsed: string;
  projectCount: number;
  totalInvestment: Money;
  byPhase: Partial<Record<ProjectPhase, number>>;
  byLevel: Partial<Record<ProjectLevel, number>>;
  rates: Record<RateKey, Rate>;
  yearPlannedInvestment: Money;
  yearCompletedInvestment: Money;
  yearFundsInPlace: Money;
  /** The largest gaps first (at most 200); `laggingCount` counts them all. */
  lagging: LaggingProject[];
  laggingCount?: number;
}

export type BatchKind = 'groundbreaking' | 'signing';

export interface Batch {
  id: string;
  kind: BatchKind;
  name: string;
  heldOn: string;
  location: string | null;
  notes: string | null;
  projectCount: number;
  totalInvestment: Money;
  version: number;
  can?: { update?: boolean; delete?: boolean };
}

export interface BatchDetail extends Batch {
  projects: { id: string; code: string; name: string; phase: ProjectPhase; totalInvestment: Money }[];
}

export type ImportStatus = 'validating' | 'ready' | 'failed' | 'applied';

export interface ImportError {
  row: number;
  column: string;
  value: string | null;
  message: string;
}

export interface ImportJob {
  id: string;
  fileName?: string;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  /** `invalid` counts rows, `errorCount` bad cells; `unchanged` valid update rows that change nothing. */
  summary: { valid: number; invalid: number; creates: number; updates: number; unchanged?: number; errorCount?: number } | null;
  /** The first 200 bad cells (a failed file has its reason here, row 0). */
  errors: ImportError[];
}

export interface ImportApplied {
  created: number;
  updated: number;
  unchanged?: number;
}

export interface ProjectFile {
  id: string;
  originalName: string;
  mime: string;
  kind: 'image' | 'document' | string;
  size: number;
  uploadedBy: { id: string; displayName: string } | null;
  createdAt: string;
  can: { delete: boolean };
}

export type DictionaryName = 'industry' | 'project_kind' | 'problem_category';

export interface DictionaryEntry {
  id: string;
  code: string;
  label: string;
  labelEn: string | null;
  sortOrder: number;
  active: boolean;
  version: number;
}

// ---------------------------------------------------------------- queries

export const projectsKey = ['projects'] as const;
export const projectKey = (id: string) => ['projects', 'one', id] as const;

/** Drops empty values so the query key and the URL stay the same for the same list. */
export function cleanFilters<T extends object>(f: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== null && v !== '') out[k] = v;
  return out as Partial<T>;
}

export function useProjects(query: ProjectListQuery) {
  return useQuery({
    queryKey: [...projectsKey, 'list', query],
    queryFn: () => api.get<Paged<Project>>('/api/projects', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useProjectMetrics(filters: ProjectFilters) {
  return useQuery({
    queryKey: [...projectsKey, 'metrics', filters],
    queryFn: () => api.get<Metrics>('/api/projects/metrics', { ...filters }),
    placeholderData: keepPreviousData,
  });
}

export function useProject(id: string) {
  return useQuery({ queryKey: projectKey(id), queryFn: () => api.get<Project>(`/api/projects/${id}`) });
}

export function usePhaseChanges(id: string) {
  return useQuery({ queryKey: [...projectKey(id), 'phases'], queryFn: () => api.get<Items<PhaseChange>>(`/api/projects/${id}/phases`).then((r) => r.items) });
}

export function useMilestones(id: string) {
  return useQuery({ queryKey: [...projectKey(id), 'milestones'], queryFn: () => api.get<Items<Milestone>>(`/api/projects/${id}/milestones`).then((r) => r.items) });
}

export function useReports(id: string) {
  return useQuery({ queryKey: [...projectKey(id), 'reports'], queryFn: () => api.get<Items<Report>>(`/api/projects/${id}/reports`).then((r) => r.items) });
}

export function useTimeline(id: string, enabled = true) {
  return useQuery({
    queryKey: [...projectKey(id), 'timeline'],
    queryFn: () => api.get<Items<TimelineEntry>>(`/api/projects/${id}/timeline`).then((r) => r.items),
    enabled,
  });
}

export function useGantt(filters: ProjectFilters) {
  return useQuery({
    queryKey: [...projectsKey, 'gantt', filters],
    queryFn: () => api.get<Items<GanttRow>>('/api/projects/gantt', { ...filters }).then((r) => r.items),
    placeholderData: keepPreviousData,
  });
}

export function useMissingReports(month: string) {
  return useQuery({
    queryKey: [...projectsKey, 'missing', month],
    queryFn: () => api.get<MissingReports>('/api/projects/reports/missing', { month }),
    placeholderData: keepPreviousData,
  });
}

export function useBatches() {
  return useQuery({ queryKey: ['batches'], queryFn: () => api.get<Items<Batch>>('/api/batches').then((r) => r.items) });
}

export function useBatch(id: string) {
  return useQuery({ queryKey: ['batches', id], queryFn: () => api.get<BatchDetail>(`/api/batches/${id}`) });
}

export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: ['projectImport', id],
    queryFn: () => api.get<ImportJob>(`/api/projects/import/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data?.status === 'validating' || !q.state.data ? 700 : false),
  });
}

export const dictionaryKey = (name: DictionaryName) => ['dictionaries', name] as const;

export function useDictionary(name: DictionaryName, enabled = true) {
  return useQuery({
    queryKey: dictionaryKey(name),
    queryFn: () => api.get<Items<DictionaryEntry>>(`/api/dictionaries/${name}`).then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

// ---------------------------------------------------------------- changes

export const projectsApi = {
  create: (body: ProjectInput) => api.post<Project>('/api/projects', body),
  update: (id: string, body: Partial<ProjectInput> & { version: number }) => api.patch<Project>(`/api/projects/${id}`, body),
  remove: (id: string, version: number) => api.del<unknown>(`/api/projects/${id}`, { version }),
  movePhase: (id: string, body: { version: number; to: ProjectPhase; on: string; reason?: string | null }) => api.post<Project>(`/api/projects/${id}/phase`, body),
  addMilestone: (id: string, body: MilestoneInput) => api.post<Milestone>(`/api/projects/${id}/milestones`, body),
  updateMilestone: (id: string, mid: string, body: Partial<MilestoneInput> & { version: number }) => api.patch<Milestone>(`/api/projects/${id}/milestones/${mid}`, body),
  removeMilestone: (id: string, mid: string, version: number) => api.del<unknown>(`/api/projects/${id}/milestones/${mid}`, { version }),
  addReport: (id: string, body: ReportInput) => api.post<Report>(`/api/projects/${id}/reports`, body),
  updateReport: (id: string, rid: string, body: Partial<Omit<ReportInput, 'month'>> & { version: number }) => api.patch<Report>(`/api/projects/${id}/reports/${rid}`, body),
  removeFile: (fileId: string) => api.del<unknown>(`/api/files/${fileId}`),
  confirmImport: (importId: string) => api.post<ImportApplied>(`/api/projects/import/${importId}/confirm`, {}),
  exportPath: '/api/projects/export.xlsx',
  templatePath: '/api/projects/import/template.xlsx',
  importPath: '/api/projects/import',
  errorsPath: (importId: string) => `/api/projects/import/${importId}/errors.xlsx`,
  filesPath: (id: string) => `/api/projects/${id}/files`,
  filePath: (fileId: string) => `/api/files/${fileId}`,
};

export const dictionariesApi = {
  create: (name: DictionaryName, body: { code: string; label: string; labelEn?: string | null; sortOrder?: number }) => api.post<DictionaryEntry>(`/api/dictionaries/${name}`, body),
  update: (name: DictionaryName, id: string, body: { version: number; label?: string; labelEn?: string | null; sortOrder?: number; active?: boolean }) =>
    api.patch<DictionaryEntry>(`/api/dictionaries/${name}/${id}`, body),
};

/**
 * Uploads one file as multipart `file` with progress (fetch cannot report upload progress; XHR can).
 * Resolves with the parsed JSON answer; rejects with an ApiError carrying the server's message.
 */
export function uploadFile<T>(path: string, file: Blob & { name?: string }, onProgress?: (percent: number) => void, query?: Query, idempotencyKey?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)])).toString() : '';
    xhr.open('POST', qs ? `${path}?${qs}` : path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLang());
    // A retry with the same key (the offline sender's) gets the first upload's answer instead of a second copy.
    if (idempotencyKey) xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      const err = (body as { error?: { code?: string; message?: string; fields?: { path: string; message: string }[] } } | undefined)?.error;
      reject(new ApiError(xhr.status, err?.code ?? `http_${xhr.status}`, err?.message ?? (xhr.statusText || `HTTP ${xhr.status}`), err?.fields ?? []));
    };
    const form = new FormData();
    form.append('file', file, file.name ?? 'upload');
    xhr.send(form);
  });
}
