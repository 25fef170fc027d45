import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

/** 工作简报 (src/server/modules/briefings/briefings.api.ts, docs/briefings.md). */

export interface Briefing {
  id: string;
  series: string;
  commandId: string | null;
  scopeName: string;
  issuingBody: string;
  year: number;
  issueNo: number;
  title: string;
  from: string;
  to: string;
  period: string;
  asOf: string;
  kind: 'manual' | 'weekly';
  generatedByName: string;
  createdAt: string;
  docx: string;
  pdf: string;
  figures: {
    projects: number;
    laggingProjects: number;
    investmentRate: string | null;
    problemsRaised: number;
    problemsClosed: number;
    problemsOpen: number;
    problemsOverdue: number;
    onTimeRate: string | null;
    meetingsHeld: number;
    decisionsOpen: number;
  };
}

export interface Series {
  series: string;
  commandId: string | null;
  name: string;
}

export interface BriefingList {
  items: Briefing[];
  total: number;
  page: number;
  pageSize: number;
  series: Series[];
}

export interface Subscriptions {
  items: (Series & { subscribed: boolean })[];
}

export const briefingKeys = {
  all: ['briefings'] as const,
  list: (q: object) => ['briefings', 'list', q] as const,
  one: (id: string) => ['briefings', 'one', id] as const,
  subscriptions: ['briefings', 'subscriptions'] as const,
};

export const briefingsApi = {
  generate: (body: { from?: string; to?: string; commandId?: string }) => api.post<Briefing>('/api/briefings', body),
  subscribe: (series: string[]) => api.put<Subscriptions>('/api/briefings/subscriptions', { series }),
};

export function useBriefings(q: { series?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: briefingKeys.list(q), queryFn: () => api.get<BriefingList>('/api/briefings', q), placeholderData: keepPreviousData });
}

export function useBriefing(id: string | undefined) {
  return useQuery({ queryKey: briefingKeys.one(id ?? ''), queryFn: () => api.get<Briefing>(`/api/briefings/${id}`), enabled: !!id });
}

export function useSubscriptions() {
  return useQuery({ queryKey: briefingKeys.subscriptions, queryFn: () => api.get<Subscriptions>('/api/briefings/subscriptions') });
}
