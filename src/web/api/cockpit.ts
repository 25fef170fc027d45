import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ProjectLevel, ProjectPhase } from '../../shared/project-phase.ts';
import { api } from './client.ts';

/**
 * GET /api/cockpit/overview and /api/cockpit/map (src/server/modules/cockpit/cockpit.api.ts). Every figure carries
 * `link`: the web path and query of the list behind it, ready for navigate().
 */

export interface Ref {
  id: string;
  name: string;
}

export interface Count {
  n: number;
  link: string;
}

export interface Amount {
  /** yuan, decimal string */
  value: string;
  link: string;
}

export interface CockpitRate {
  numerator: string;
  denominator: string;
  /** 4 decimals; null when the denominator is 0 */
  rate: string | null;
  formula: string;
  link: string;
}

export interface LaggingItem {
  project: { id: string; code: string; name: string };
  leader: { id: string; displayName: string } | null;
  leadUnit: Ref | null;
  command: Ref | null;
  yearPlannedInvestment: string;
  expectedByNow: string;
  yearCompletedInvestment: string;
  gap: string;
  link: string;
}

export interface RankItem {
  rank: number;
  unit: Ref;
  score: string;
  onTimeRate: string | null;
  closedOnTime: Count;
  closedWithDeadline: number;
  overdueOpen: Count;
  returns: Count;
  link: string;
}

export interface RedItem {
  id: string;
  code: string;
  title: string;
  command: Ref;
  leadUnit: Ref | null;
  deadline: string | null;
  workdaysLeft: number | null;
  supervisionLevel: number;
  link: string;
}

export interface CockpitOverview {
  from: string;
  to: string;
  today: string;
  commandId: string | null;
  commands: Ref[];
  projects: {
    year: number;
    asOf: string;
    timeElapsed: string;
    count: Count;
    byPhase: { phase: ProjectPhase; n: number; link: string }[];
    byLevel: { level: ProjectLevel; n: number; link: string }[];
    totalInvestment: Amount;
    yearPlannedInvestment: Amount;
    yearCompletedInvestment: Amount;
    yearFundsInPlace: Amount;
    rates: { start: CockpitRate; investment: CockpitRate; funds: CockpitRate; onTimeCompletion: CockpitRate };
    laggingCount: Count;
    lagging: LaggingItem[];
  };
  problems: {
    open: Count;
    overdue: Count;
    lights: { red: Count; yellow: Count; green: Count; none: number };
    raised: Count;
    closed: Count;
    closedThisWeek: Count & { from: string; to: string };
    onTime: { rate: string | null; closedOnTime: Count; closedWithDeadline: Count; formula: string };
    ranking: { formula: { zh: string; en: string }; items: RankItem[] };
    redList: RedItem[];
    weekly: { week: string; from: string; to: string; raised: Count; closed: Count }[];
  };
  meetings: {
    held: Count;
    planned: Count;
    decisionsMade: Count;
    decisionsOpen: Count;
    byBody: { body: Ref; held: Count; decisionsOpen: number }[];
  };
  indicators: {
    available: boolean;
    /** the period shown (2023年1-5月), or why there is none */
    note: string;
    period: string | null;
    link: string;
    items: {
      key: string;
      name: string;
      value: string | null;
      unit: string | null;
      /** growth in percent, 2 decimals ("11.57") */
      yoy: string | null;
      rank: number | null;
      of: number;
      period: string | null;
      link: string;
    }[];
  };
}

export interface CockpitQuery {
  from?: string | undefined;
  to?: string | undefined;
  commandId?: string | undefined;
}

export interface MapPoint {
  id: string;
  code: string;
  name: string;
  phase: ProjectPhase;
  longitude: number;
  latitude: number;
  totalInvestment: string;
}

export interface CockpitMap {
  boundary: string;
  tileUrl: string | null;
  total: number;
  points: MapPoint[];
}

export const cockpitKey = ['cockpit'] as const;

export function useCockpit(query: CockpitQuery, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [...cockpitKey, 'overview', query],
    queryFn: () => api.get<CockpitOverview>('/api/cockpit/overview', { ...query }),
    placeholderData: keepPreviousData,
    refetchInterval: opts.refetchInterval,
  });
}

export function useCockpitMap(commandId: string | undefined, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [...cockpitKey, 'map', commandId ?? null],
    queryFn: () => api.get<CockpitMap>('/api/cockpit/map', { commandId }),
    placeholderData: keepPreviousData,
    refetchInterval: opts.refetchInterval,
  });
}

/** The zone outline (GeoJSON FeatureCollection), fetched once. */
export function useGeoJson(url: string | undefined) {
  return useQuery({
    queryKey: ['geojson', url],
    queryFn: async () => {
      const res = await fetch(url!, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      return (await res.json()) as GeoJsonCollection;
    },
    enabled: !!url,
    staleTime: Infinity,
  });
}

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { name: string; kind: 'zone' | 'cluster' | string }; geometry: { type: string; coordinates: unknown } }[];
}
