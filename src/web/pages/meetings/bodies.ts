import { useMemo } from 'react';
import { useCommands } from '../../api/commands.ts';
import { useGroups } from '../../api/groups.ts';
import type { Me } from '../../api/types.ts';
import { runnableCommandIds } from './meetings.tsx';

/** A body that holds meetings, as a Select value: `c:<commandId>` (an HQ) or `g:<groupId>` (the leading group). */
export type BodyValue = `c:${string}` | `g:${string}`;

export interface BodyOption {
  value: BodyValue;
  label: string;
  kind: 'command' | 'group';
  id: string;
}

export function parseBody(v: string | null | undefined): { commandId?: string; groupId?: string } {
  if (!v) return {};
  if (v.startsWith('c:')) return { commandId: v.slice(2) };
  if (v.startsWith('g:')) return { groupId: v.slice(2) };
  return {};
}

/**
 * The HQs and leading groups as options: `all` for filtering the calendar, `runnable` for planning (the HQs the
 * user works for, the groups they head; leaders every one).
 */
export function useBodies(me: Me) {
  const commands = useCommands();
  const groups = useGroups('leading_group');
  return useMemo(() => {
    const runIds = runnableCommandIds(me);
    const leader = me.roles.includes('zone_leader');
    const commandOptions: BodyOption[] = (commands.data ?? []).filter((c) => c.active).map((c) => ({ value: `c:${c.id}`, label: c.name, kind: 'command', id: c.id }));
    const groupOptions: BodyOption[] = (groups.data ?? []).filter((g) => g.active).map((g) => ({ value: `g:${g.id}`, label: g.name, kind: 'group', id: g.id }));
    const runsGroup = (id: string) => leader || (groups.data ?? []).some((g) => g.id === id && g.members.some((m) => m.userId === me.user.id && m.memberRole !== 'member'));
    const runnable = [
      ...commandOptions.filter((o) => runIds === null || runIds.includes(o.id)),
      ...groupOptions.filter((o) => runsGroup(o.id)),
    ];
    return {
      commands: commandOptions,
      groups: groupOptions,
      all: [...commandOptions, ...groupOptions],
      runnable,
      commandList: commands.data ?? [],
      groupList: groups.data ?? [],
      loading: commands.isLoading || groups.isLoading,
    };
  }, [me, commands.data, groups.data, commands.isLoading, groups.isLoading]);
}
