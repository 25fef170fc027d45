import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Items, LiveSession, LockedUser, SecuritySettings } from './types.ts';

export const securityKeys = {
  settings: ['security', 'settings'] as const,
  locked: ['security', 'locked'] as const,
  sessions: ['security', 'sessions'] as const,
};

export function useSecuritySettings() {
  return useQuery({ queryKey: securityKeys.settings, queryFn: () => api.get<SecuritySettings>('/api/security/settings') });
}

export function useLockedUsers() {
  return useQuery({ queryKey: securityKeys.locked, queryFn: () => api.get<Items<LockedUser>>('/api/security/locked-users').then((r) => r.items) });
}

export function useSessions() {
  return useQuery({ queryKey: securityKeys.sessions, queryFn: () => api.get<Items<LiveSession>>('/api/security/sessions').then((r) => r.items) });
}

export const securityApi = {
  updateSettings: (body: Partial<SecuritySettings> & { version: number }) => api.patch<SecuritySettings>('/api/security/settings', body),
  unlock: (userId: string) => api.post<unknown>(`/api/security/users/${userId}/unlock`),
  revoke: (sessionId: string) => api.post<unknown>(`/api/security/sessions/${sessionId}/revoke`),
};
