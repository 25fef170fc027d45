import { useQuery } from '@tanstack/react-query';
import type { CommandMemberRole, SecondmentMode } from '../../shared/org.ts';
import { api } from './client.ts';
import type { Command, Items } from './types.ts';

export const commandsKey = ['commands'] as const;

export function useCommands(enabled = true) {
  return useQuery({ queryKey: commandsKey, queryFn: () => api.get<Items<Command>>('/api/commands').then((r) => r.items), enabled });
}

export interface CommandInput {
  name: string;
  shortName?: string | null;
  areaUnitId?: string | null;
  leadingGroupId?: string | null;
  responsibility?: string | null;
  establishedOn?: string | null;
}

export interface CommandMemberInput {
  userId: string;
  memberRole: CommandMemberRole;
  fromUnitId?: string | null;
  mode: SecondmentMode;
  duty?: string | null;
}

export const commandsApi = {
  create: (body: CommandInput) => api.post<Command>('/api/commands', body),
  update: (id: string, body: Partial<CommandInput> & { version: number; active?: boolean }) => api.patch<Command>(`/api/commands/${id}`, body),
  remove: (id: string, version: number) => api.del<unknown>(`/api/commands/${id}`, { version }),
  putMembers: (id: string, version: number, members: CommandMemberInput[]) => api.put<Command>(`/api/commands/${id}/members`, { version, members }),
  exportPath: '/api/commands/export.xlsx',
};
