import { Space, Tag } from 'antd';
import { UNIT_KIND_LABELS, type UnitKind } from '../../shared/org.ts';
import { ROLE_LABELS, isAdminRole, type Role } from '../../shared/roles.ts';
import { pick, useLang } from '../i18n/index.ts';

const KIND_COLORS: Record<UnitKind, string> = {
  committee: 'red',
  department: 'blue',
  street: 'green',
  cluster: 'purple',
  area: 'cyan',
  external: 'default',
};

export function KindTag({ kind }: { kind: UnitKind }) {
  const lang = useLang();
  const label = UNIT_KIND_LABELS[kind];
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {label ? pick(label, lang) : kind}
    </Tag>
  );
}

export function roleLabel(role: Role, lang: 'zh-CN' | 'en'): string {
  const label = ROLE_LABELS[role];
  return label ? pick(label, lang) : role;
}

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  const lang = useLang();
  return (
    <Space size={[4, 4]} wrap>
      {roles.map((r) => (
        <Tag key={r} color={isAdminRole(r) ? 'volcano' : 'geekblue'} style={{ marginInlineEnd: 0 }}>
          {roleLabel(r, lang)}
        </Tag>
      ))}
    </Space>
  );
}
