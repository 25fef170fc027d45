import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Items } from './types.ts';

/** The inbox, robot channels, chasing settings and the working-day calendar (docs/api-problems.md "Notifications"). */

export interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  problemId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface Inbox {
  items: Notice[];
  total: number;
  unread: number;
  page: number;
  pageSize: number;
}

export type RobotKind = 'dingtalk' | 'wecom';

export interface RobotChannel {
  id: string;
  kind: RobotKind;
  name: string;
  webhook: string;
  hasSecret: boolean;
  command: { id: string; name: string } | null;
  enabled: boolean;
  version: number;
  lastSentAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
}

export interface RobotChannelInput {
  kind: RobotKind;
  name: string;
  webhook: string;
  secret?: string | null;
  commandId?: string | null;
  enabled?: boolean;
}

export interface ChasingSettings {
  remindBeforeWorkdays: number;
  escalateCommanderAfter: number;
  escalateLeaderAfter: number;
  digestHour: number;
  version: number;
  nextRunAt: string | null;
  canEdit: boolean;
}

export interface CalendarYear {
  year: number;
  known: boolean;
  days: { day: string; workday: boolean; name: string | null; source: string }[];
  overrides: { day: string; kind: 'workday' | 'holiday'; note: string | null }[];
}

export const notificationKeys = {
  all: ['notifications'] as const,
  inbox: (q: { unread?: boolean; page?: number; pageSize?: number }) => ['notifications', 'inbox', q] as const,
  bell: ['notifications', 'bell'] as const,
  robots: ['robot-channels'] as const,
  settings: ['problems', 'settings'] as const,
  calendar: (year: number) => ['calendar', 'year', year] as const,
};

export function useInbox(q: { unread?: boolean; page?: number; pageSize?: number }) {
  return useQuery({ queryKey: notificationKeys.inbox(q), queryFn: () => api.get<Inbox>('/api/notifications', q) });
}

/** The header's bell: the newest few and the unread count, refreshed every minute. */
export function useBell() {
  return useQuery({
    queryKey: notificationKeys.bell,
    queryFn: () => api.get<Inbox>('/api/notifications', { pageSize: 8 }),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
}

export function useRobotChannels(enabled = true) {
  return useQuery({ queryKey: notificationKeys.robots, queryFn: () => api.get<Items<RobotChannel>>('/api/robot-channels').then((r) => r.items), enabled });
}

export function useChasingSettings() {
  return useQuery({ queryKey: notificationKeys.settings, queryFn: () => api.get<ChasingSettings>('/api/problems/settings') });
}

export function useCalendarYear(year: number) {
  return useQuery({ queryKey: notificationKeys.calendar(year), queryFn: () => api.get<CalendarYear>(`/api/calendar/years/${year}`) });
}

export const notificationsApi = {
  markRead: (ids: string[]) => api.post<{ updated: number; unread: number }>('/api/notifications/read', { ids }),
  markAllRead: () => api.post<{ updated: number; unread: number }>('/api/notifications/read', { all: true }),
  createRobot: (body: RobotChannelInput) => api.post<RobotChannel>('/api/robot-channels', body),
  updateRobot: (id: string, body: Partial<RobotChannelInput> & { version: number }) => api.patch<RobotChannel>(`/api/robot-channels/${id}`, body),
  deleteRobot: (id: string, version: number) => api.del<{ ok: boolean }>(`/api/robot-channels/${id}`, { version }),
  testRobot: (id: string) => api.post<{ ok: boolean; status: string; error: string | null }>(`/api/robot-channels/${id}/test`, {}),
  putSettings: (body: Omit<ChasingSettings, 'nextRunAt' | 'canEdit'>) => api.put<ChasingSettings>('/api/problems/settings', body),
  putOverride: (day: string, body: { kind: 'workday' | 'holiday'; note?: string | null }) => api.put<unknown>(`/api/calendar/overrides/${day}`, body),
  deleteOverride: (day: string) => api.del<{ ok: boolean }>(`/api/calendar/overrides/${day}`),
};
