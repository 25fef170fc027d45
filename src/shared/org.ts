/** Org model vocabulary shared by server and web (domain.md glossary). */
export const UNIT_KINDS = ['committee', 'department', 'street', 'cluster', 'area', 'external'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, { zh: string; en: string }> = {
  committee: { zh: '党工委/管委会', en: 'Committee' },
  department: { zh: '部门', en: 'Department' },
  street: { zh: '街道', en: 'Street' },
  cluster: { zh: '组团', en: 'Cluster' },
  area: { zh: '片区', en: 'Area' },
  external: { zh: '省市部门', en: 'External unit' },
};

/** Which kinds may sit under which (a street under the committee, an area under a cluster, …). */
export const UNIT_CHILD_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  committee: ['committee', 'department', 'street', 'cluster', 'area', 'external'],
  department: ['department'],
  street: ['department', 'area'],
  cluster: ['area', 'street'],
  area: ['area'],
  external: ['external'],
};

export const COMMAND_MEMBER_ROLES = ['leader', 'deputy', 'staff'] as const;
export type CommandMemberRole = (typeof COMMAND_MEMBER_ROLES)[number];

/** 抽调 (seconded, part time) or 驻场 (stationed on site full time). */
export const SECONDMENT_MODES = ['seconded', 'on_site'] as const;
export type SecondmentMode = (typeof SECONDMENT_MODES)[number];

export const GROUP_KINDS = ['leading_group', 'task_force'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GROUP_MEMBER_ROLES = ['head', 'deputy_head', 'member'] as const;
export type GroupMemberRole = (typeof GROUP_MEMBER_ROLES)[number];
