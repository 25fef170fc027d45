import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Enterprise, Paged } from './types.ts';

export interface EnterpriseFilters {
  q?: string;
  unitId?: string;
  industry?: string;
  page: number;
  pageSize: number;
}

export function useEnterprises(filters: EnterpriseFilters, enabled = true) {
  return useQuery({
    queryKey: ['enterprises', filters],
    queryFn: () => api.get<Paged<Enterprise>>('/api/enterprises', { ...filters }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export interface EnterpriseInput {
  name: string;
  creditCode: string;
  legalRepresentative?: string | null;
  legalRepIdNumber?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  industry?: string | null;
  address?: string | null;
  unitId?: string | null;
}

export type RevealField = 'contactPhone' | 'legalRepIdNumber';

export const enterprisesApi = {
  create: (body: EnterpriseInput) => api.post<Enterprise>('/api/enterprises', body),
  update: (id: string, body: Partial<EnterpriseInput> & { version: number }) => api.patch<Enterprise>(`/api/enterprises/${id}`, body),
  remove: (id: string, version: number) => api.del<unknown>(`/api/enterprises/${id}`, { version }),
  reveal: (id: string, field: RevealField) => api.post<{ value: string | null }>(`/api/enterprises/${id}/reveal`, { field }).then((r) => r.value ?? '—'),
  exportPath: '/api/enterprises/export.xlsx',
};
