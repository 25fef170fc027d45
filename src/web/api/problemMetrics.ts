import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { currentLang } from '../i18n/index.ts';
import { api } from './client.ts';

/**
 * GET /api/problems/metrics (src/server/modules/problems/metrics.api.ts). Every figure carries `query`: the
 * GET /api/problems query whose list holds exactly the problems it counts; `problemsLink(query)` is the list page's
 * URL for it (the list page reads the same names from its URL).
 */

export interface ListQuery {
  state?: string[];
  light?: string[];
  commandId?: string[];
  leadUnitId?: string[];
  category?: string[];
  raisedFrom?: string;
  raisedTo?: string;
  closedFrom?: string;
  closedTo?: string;
  deadlineFrom?: string;
  deadlineTo?: string;
  late?: boolean;
  returned?: boolean;
}

export interface Figure {
  n: number;
  query: ListQuery;
}

export interface OnTime {
  closedOnTime: Figure;
  closedLate: Figure;
  closedWithDeadline: number;
  /** 4 decimals ("0.8125"); null when nothing was closed. */
  rate: string | null;
  query: ListQuery;
}

export interface Median {
  /** Working days, one decimal ("7.5"). */
  value: string | null;
  count: number;
  query: ListQuery;
}

export interface Figures {
  open: Figure;
  red: Figure;
  yellow: Figure;
  green: Figure;
  raised: Figure;
  closed: Figure;
  onTime: OnTime;
  medianWorkdaysToClose: Median;
  returns: Figure;
}

export interface GroupRow extends Figures {
  key: { id: string; name: string };
}

export interface RankItem {
  rank: number;
  unit: { id: string; name: string };
  /** Two decimals. */
  score: string;
  onTime: OnTime;
  overdueOpen: Figure;
  returns: Figure;
}

export interface Week {
  week: string;
  from: string;
  to: string;
  raised: Figure;
  closed: Figure;
  overdueOpen: Figure;
}

export interface ProblemMetrics {
  from: string;
  to: string;
  today: string;
  commandId: string | null;
  leadUnitId: string | null;
  totals: Figures;
  lights: { red: Figure; yellow: Figure; green: Figure; none: number };
  byUnit: GroupRow[];
  byCommand: GroupRow[];
  byCategory: GroupRow[];
  ranking: { formula: { zh: string; en: string }; weights: { onTimeRate: number; overdueOpen: number; returns: number }; items: RankItem[] };
  weekly: Week[];
  definitions: { zh: string; en: string };
}

export interface MetricsFilters {
  from?: string;
  to?: string;
  commandId?: string;
  leadUnitId?: string;
}

export const METRICS_FILTER_KEYS: readonly (keyof MetricsFilters)[] = ['from', 'to', 'commandId', 'leadUnitId'];

/** `/problems?state=a&state=b&light=red…`: the list page showing exactly the problems behind a figure. */
export function problemsLink(query: ListQuery): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const one of v) sp.append(k, String(one));
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `/problems?${s}` : '/problems';
}

export function useProblemMetrics(filters: MetricsFilters) {
  return useQuery({
    queryKey: ['problems', 'metrics', filters, currentLang()],
    queryFn: () => api.get<ProblemMetrics>('/api/problems/metrics', { ...filters }),
    placeholderData: keepPreviousData,
  });
}
