import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { currentLang } from '../i18n/index.ts';
import { ApiError, api, fileNameFrom } from './client.ts';
import { uploadFile } from './projects.ts';

/**
 * Economic indicators (src/server/modules/indicators/indicators.api.ts, docs/api-indicators.md). Figures are decimal
 * strings: values in the indicator's unit, growths in percent with 2 decimals ("11.57").
 */

export type DistrictKind = 'self' | 'district' | 'city';

export interface Indicator {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  unit: string;
  publishesValue: boolean;
  sortOrder: number;
  active: boolean;
  version: number;
}

export interface District {
  id: string;
  name: string;
  kind: DistrictKind;
  sortOrder: number;
  active: boolean;
  version: number;
}

export interface Definitions {
  indicators: Indicator[];
  districts: District[];
  can: { edit: boolean };
}

export interface Rank {
  rank: number | null;
  of: number;
  missing: number;
}

export interface DistrictFigure {
  id: string;
  name: string;
  kind: DistrictKind;
  value: string | null;
  growth: string | null;
  growthSource: string | null;
  growthRank: number | null;
  valueRank: number | null;
}

export interface SeriesPoint {
  month: number;
  period: string;
  value: string | null;
  growth: string | null;
  growthRank: number | null;
  cityGrowth: string | null;
}

export interface OverviewItem {
  indicator: { id: string; code: string; name: string; nameEn: string | null; unit: string; publishesValue: boolean };
  month: number | null;
  period: string | null;
  value: string | null;
  growth: string | null;
  growthSource: 'entered' | 'computed' | null;
  growthRank: Rank;
  valueRank: Rank | null;
  city: { value: string | null; growth: string | null } | null;
  series: SeriesPoint[];
  districts: DistrictFigure[];
}

export interface Overview {
  year: number;
  month: number;
  period: string;
  periodEn: string;
  latest: { year: number; month: number } | null;
  self: { id: string; name: string } | null;
  districtCount: number;
  items: OverviewItem[];
  can: { edit: boolean };
}

export interface Figure {
  id: string;
  indicatorId: string;
  districtId: string;
  year: number;
  month: number;
  value: string | null;
  growth: string | null;
  growthSource: 'entered' | 'computed' | null;
  source: 'manual' | 'import';
  updatedBy: { id: string; displayName: string } | null;
  updatedAt: string;
  version: number;
}

export interface EntryItem {
  indicatorId: string;
  districtId: string;
  year: number;
  month: number;
  value?: string | null;
  growth?: string | null;
  version?: number;
}

export interface ImportErrorItem {
  sheet: string;
  row: number;
  column: string;
  header: string;
  value: string;
  message: string;
}

export interface ImportReport {
  layout: 'wide' | 'long' | 'mixed' | null;
  sheets: { name: string; layout: 'wide' | 'long' | 'skipped'; period: string | null; figures: number }[];
  figures: number;
  valid: number;
  invalid: number;
  errorCount: number;
  errors: ImportErrorItem[];
  dryRun: boolean;
  applied: { created: number; updated: number; unchanged: number; recomputed: number } | null;
}

export const indicatorsKey = ['indicators'] as const;

export interface Period {
  year?: number | undefined;
  month?: number | undefined;
}

export function useIndicators(period: Period) {
  return useQuery({
    queryKey: [...indicatorsKey, 'overview', period.year ?? null, period.month ?? null, currentLang()],
    queryFn: () => api.get<Overview>('/api/indicators', { year: period.year, month: period.month }),
    placeholderData: keepPreviousData,
  });
}

export function useIndicatorDefinitions() {
  return useQuery({ queryKey: [...indicatorsKey, 'definitions'], queryFn: () => api.get<Definitions>('/api/indicators/definitions') });
}

export function useIndicatorValues(year: number, month: number, enabled = true) {
  return useQuery({
    queryKey: [...indicatorsKey, 'values', year, month],
    queryFn: () => api.get<{ year: number; month: number; period: string; items: Figure[] }>('/api/indicators/values', { year, month }),
    enabled,
  });
}

export const indicatorsApi = {
  save: (entries: EntryItem[]) => api.post<{ saved: Figure[]; deleted: number; recomputed: number }>('/api/indicators', { entries }),
  createIndicator: (body: { code: string; name: string; nameEn?: string | null; unit: string; publishesValue?: boolean; sortOrder?: number }) => api.post<Indicator>('/api/indicators/definitions', body),
  updateIndicator: (id: string, body: { version: number; name?: string; nameEn?: string | null; unit?: string; publishesValue?: boolean; sortOrder?: number; active?: boolean }) =>
    api.patch<Indicator>(`/api/indicators/definitions/${id}`, body),
  createDistrict: (body: { name: string; kind?: DistrictKind; sortOrder?: number }) => api.post<District>('/api/indicators/districts', body),
  updateDistrict: (id: string, body: { version: number; name?: string; kind?: DistrictKind; sortOrder?: number; active?: boolean }) => api.patch<District>(`/api/indicators/districts/${id}`, body),
  importFile: (file: File, opts: { dryRun?: boolean; applyValid?: boolean }, onProgress?: (p: number) => void) =>
    uploadFile<ImportReport>('/api/indicators/import', file, onProgress, { dryRun: opts.dryRun ? 'true' : undefined, applyValid: opts.applyValid ? 'true' : undefined }),
  templatePath: '/api/indicators/template.xlsx',
  exportPath: '/api/indicators/export.xlsx',
};

/** Sends the file again and saves the report of its bad cells (a workbook) under the server's file name. */
export async function downloadImportErrors(file: File): Promise<string> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch('/api/indicators/import/errors.xlsx', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Accept-Language': currentLang() },
    body: form,
  });
  if (!res.ok) {
    let message = res.statusText;
    let code = `http_${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      message = body.error?.message ?? message;
      code = body.error?.code ?? code;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, code, message);
  }
  const name = fileNameFrom(res.headers.get('Content-Disposition'), 'errors.xlsx');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
