import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Role } from '../../shared/roles.ts';
import { api } from './client.ts';
import type { Paged, User } from './types.ts';

export interface UserFilters {
  q?: string;
  unitId?: string;
  role?: Role;
  page: number;
  pageSize: number;
}

export function useUsers(filters: UserFilters, enabled = true) {
  return useQuery({
    queryKey: ['users', filters],
    queryFn: () => api.get<Paged<User>>('/api/users', { ...filters }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** For pickers: the first matches of a name / username search. */
export function searchUsers(q: string, pageSize = 20): Promise<User[]> {
  return api.get<Paged<User>>('/api/users', { q, page: 1, pageSize }).then((r) => r.items);
}

export interface UserInput {
  username: string;
  displayName: string;
  title?: string | null;
  unitId?: string | null;
  enterpriseId?: string | null;
  email?: string | null;
  phone?: string | null;
  roles: Role[];
  password: string;
}

export type UserPatch = Partial<Omit<UserInput, 'username' | 'password'>> & { version: number };

export const usersApi = {
  create: (body: UserInput) => api.post<User>('/api/users', body),
  update: (id: string, body: UserPatch) => api.patch<User>(`/api/users/${id}`, body),
  disable: (id: string, version: number) => api.post<User>(`/api/users/${id}/disable`, { version }),
  enable: (id: string, version: number) => api.post<User>(`/api/users/${id}/enable`, { version }),
  resetPassword: (id: string, password: string) => api.post<unknown>(`/api/users/${id}/reset-password`, { password }),
  reveal: (id: string) => api.post<{ value: string | null }>(`/api/users/${id}/reveal`, { field: 'phone' }).then((r) => r.value ?? '—'),
  exportPath: '/api/users/export.xlsx',
};
