import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from './client.ts';
import type { Me } from './types.ts';

export const meKey = ['me'] as const;

/** The signed-in user, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: 1 });
}

export const authApi = {
  login: (body: { username: string; password: string; totpCode?: string }) => api.post<{ ok: boolean }>('/api/auth/login', body),
  logout: () => api.post<{ ok: boolean }>('/api/auth/logout'),
  changePassword: (body: { currentPassword: string; newPassword: string }) => api.post<{ ok: boolean }>('/api/auth/password', body),
  totpSetup: () => api.post<{ secret: string; otpauthUrl: string; qrDataUrl: string }>('/api/auth/totp/setup'),
  totpConfirm: (code: string) => api.post<{ ok: boolean }>('/api/auth/totp/confirm', { code }),
  totpDisable: (code: string) => api.post<{ ok: boolean }>('/api/auth/totp/disable', { code }),
};

export interface SetupBody {
  zoneName: string;
  zoneShortName: string;
  adminUsername: string;
  adminDisplayName: string;
  adminPassword: string;
}

export const setupKey = ['setup'] as const;

/** Whether this instance still needs its first zone; a server without the endpoint counts as set up. */
export async function fetchSetupNeeded(): Promise<boolean> {
  try {
    const r = await api.get<{ needed: boolean }>('/api/setup');
    return r.needed === true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return false;
    throw e;
  }
}

export function useSetupNeeded() {
  return useQuery({ queryKey: setupKey, queryFn: fetchSetupNeeded, staleTime: Infinity, retry: 1 });
}

export const setupApi = {
  run: (body: SetupBody) => api.post<{ zoneId: string }>('/api/setup', body),
};
