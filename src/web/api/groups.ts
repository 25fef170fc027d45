import { useQuery } from '@tanstack/react-query';
import type { GroupKind, GroupMemberRole } from '../../shared/org.ts';
import { api } from './client.ts';
import type { Group, Items } from './types.ts';

export const groupsKey = (kind?: GroupKind) => (kind ? (['groups', kind] as const) : (['groups'] as const));

export function useGroups(kind: GroupKind, enabled = true) {
  return useQuery({ queryKey: groupsKey(kind), queryFn: () => api.get<Items<Group>>('/api/groups', { kind }).then((r) => r.items), enabled });
}

export interface GroupInput {
  kind: GroupKind;
  name: string;
  theme?: string | null;
  commandId?: string | null;
  establishedOn?: string | null;
}

export interface GroupMemberInput {
  userId: string;
  memberRole: GroupMemberRole;
  duty?: string | null;
}

export const groupsApi = {
  create: (body: GroupInput) => api.post<Group>('/api/groups', body),
  update: (id: string, body: Partial<Omit<GroupInput, 'kind'>> & { version: number; active?: boolean }) => api.patch<Group>(`/api/groups/${id}`, body),
  remove: (id: string, version: number) => api.del<unknown>(`/api/groups/${id}`, { version }),
  putMembers: (id: string, version: number, members: GroupMemberInput[]) => api.put<Group>(`/api/groups/${id}/members`, { version, members }),
  exportPath: '/api/groups/export.xlsx',
};
