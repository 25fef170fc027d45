import { useQuery } from '@tanstack/react-query';
import type { UnitKind } from '../../shared/org.ts';
import { api } from './client.ts';
import type { Items, Unit } from './types.ts';

export const unitsKey = ['units'] as const;

export function useUnits(enabled = true) {
  return useQuery({ queryKey: unitsKey, queryFn: () => api.get<Items<Unit>>('/api/units').then((r) => r.items), enabled, staleTime: 30_000 });
}

export interface UnitInput {
  parentId: string | null;
  kind: UnitKind;
  name: string;
  shortName?: string | null;
  description?: string | null;
  establishedOn?: string | null;
  sortOrder?: number;
}

export type UnitPatch = Partial<UnitInput> & { version: number; active?: boolean };

export const unitsApi = {
  create: (body: UnitInput) => api.post<Unit>('/api/units', body),
  update: (id: string, body: UnitPatch) => api.patch<Unit>(`/api/units/${id}`, body),
  remove: (id: string, version: number) => api.del<unknown>(`/api/units/${id}`, { version }),
  exportPath: '/api/units/export.xlsx',
};

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

/** The flat list as a forest, siblings by sortOrder then name. Orphans (parent out of view) become roots. */
export function buildUnitForest(units: readonly Unit[]): UnitNode[] {
  const byId = new Map<string, UnitNode>();
  for (const u of units) byId.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const node of byId.values()) {
    const parent = node.unit.parentId ? byId.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.unit.sortOrder - b.unit.sortOrder || a.unit.name.localeCompare(b.unit.name, 'zh-CN'));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The ids of a unit and everything below it (a unit cannot move under any of them). */
export function subtreeIds(units: readonly Unit[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}
