import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { AuditRow, AuditVerifyResult, Paged } from './types.ts';

export interface AuditFilters {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  result?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function useAudit(filters: AuditFilters) {
  return useQuery({ queryKey: ['audit', filters], queryFn: () => api.get<Paged<AuditRow>>('/api/audit', { ...filters }), placeholderData: keepPreviousData });
}

export const auditApi = {
  verify: () => api.post<AuditVerifyResult>('/api/audit/verify'),
  exportPath: '/api/audit/export.xlsx',
};
