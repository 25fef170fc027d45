import { UNIT_KIND_LABELS } from '../../../shared/org.ts';
import type { Caller } from '../../context.ts';
import type { XlsxColumn } from '../../lib/xlsx.ts';
import type { CommandView } from './commands.service.ts';
import type { EnterpriseView } from './enterprises.service.ts';
import type { GroupView } from './groups.service.ts';
import type { CommandDto, EnterpriseDto, GroupDto, UnitDto } from './org.api.ts';
import { commandCan, enterpriseCan, groupCan, unitCan } from './org.policy.ts';
import { asUnitKind, type UnitRow } from './units.service.ts';

/** Records as the API shows them, each with `can`: what this caller may do next with it. */
export function presentUnit(caller: Caller, u: UnitRow): UnitDto {
  return {
    id: u.id,
    parentId: u.parentId,
    kind: asUnitKind(u.kind),
    name: u.name,
    shortName: u.shortName,
    description: u.description,
    establishedOn: u.establishedOn,
    sortOrder: u.sortOrder,
    active: u.active,
    version: u.version,
    can: unitCan(caller),
  };
}

export function presentCommand(caller: Caller, v: CommandView): CommandDto {
  const c = v.row;
  return {
    id: c.id,
    name: c.name,
    shortName: c.shortName,
    areaUnit: v.areaUnit,
    leadingGroup: v.leadingGroup,
    responsibility: c.responsibility,
    establishedOn: c.establishedOn,
    active: c.active,
    version: c.version,
    members: v.members,
    can: commandCan(caller, c.id),
  };
}

export function presentGroup(caller: Caller, v: GroupView): GroupDto {
  const g = v.row;
  return {
    id: g.id,
    kind: v.kind,
    name: g.name,
    theme: g.theme,
    command: v.command,
    establishedOn: g.establishedOn,
    active: g.active,
    version: g.version,
    members: v.members,
    can: groupCan(caller),
  };
}

export function presentEnterprise(caller: Caller, v: EnterpriseView): EnterpriseDto {
  const e = v.row;
  return {
    id: e.id,
    name: e.name,
    creditCode: e.creditCode,
    legalRepresentative: e.legalRepresentative,
    legalRepIdNumber: v.legalRepIdNumber,
    contactName: e.contactName,
    contactPhone: v.contactPhone,
    industry: e.industry,
    address: e.address,
    unit: v.unit,
    version: e.version,
    can: enterpriseCan(caller),
  };
}

// Excel exports: Chinese headers, one sheet each -----------------------------------------------------------------

const activeLabel = (active: boolean) => (active ? '启用' : '停用');
const COMMAND_ROLE_LABELS = { leader: '指挥长', deputy: '副指挥长', staff: '工作人员' } as const;
const MODE_LABELS = { seconded: '抽调', on_site: '驻场' } as const;
const GROUP_KIND_LABELS = { leading_group: '领导小组', task_force: '专班' } as const;
const GROUP_ROLE_LABELS = { head: '组长', deputy_head: '副组长', member: '成员' } as const;

/** A unit row with its parent's name, which the sheet shows instead of an id. */
export interface UnitExportRow {
  unit: UnitRow;
  parentName: string | null;
}

export const UNIT_COLUMNS: XlsxColumn<UnitExportRow>[] = [
  { header: '单位名称', width: 32, value: (r) => r.unit.name },
  { header: '简称', value: (r) => r.unit.shortName },
  { header: '类型', value: (r) => UNIT_KIND_LABELS[asUnitKind(r.unit.kind)].zh },
  { header: '上级单位', width: 32, value: (r) => r.parentName },
  { header: '说明', width: 30, value: (r) => r.unit.description },
  { header: '成立日期', width: 12, value: (r) => r.unit.establishedOn },
  { header: '排序', value: (r) => r.unit.sortOrder },
  { header: '状态', value: (r) => activeLabel(r.unit.active) },
];

/** One row per member; an HQ without members still gets one row. */
export interface CommandExportRow {
  command: CommandView;
  member: CommandView['members'][number] | null;
}

export const COMMAND_COLUMNS: XlsxColumn<CommandExportRow>[] = [
  { header: '指挥部', width: 30, value: (r) => r.command.row.name },
  { header: '简称', value: (r) => r.command.row.shortName },
  { header: '责任区域', width: 20, value: (r) => r.command.areaUnit?.name },
  { header: '所属领导小组', width: 30, value: (r) => r.command.leadingGroup?.name },
  { header: '职责', width: 40, value: (r) => r.command.row.responsibility },
  { header: '成立日期', width: 12, value: (r) => r.command.row.establishedOn },
  { header: '状态', value: (r) => activeLabel(r.command.row.active) },
  { header: '成员', width: 16, value: (r) => r.member?.displayName },
  { header: '成员角色', value: (r) => (r.member ? COMMAND_ROLE_LABELS[r.member.memberRole] : null) },
  { header: '派出单位', width: 24, value: (r) => r.member?.fromUnit?.name },
  { header: '方式', value: (r) => (r.member ? MODE_LABELS[r.member.mode] : null) },
  { header: '分工', width: 30, value: (r) => r.member?.duty },
];

export function commandExportRows(views: CommandView[]): CommandExportRow[] {
  return views.flatMap((command): CommandExportRow[] => (command.members.length ? command.members.map((member) => ({ command, member })) : [{ command, member: null }]));
}

export interface GroupExportRow {
  group: GroupView;
  member: GroupView['members'][number] | null;
}

export const GROUP_COLUMNS: XlsxColumn<GroupExportRow>[] = [
  { header: '类型', value: (r) => GROUP_KIND_LABELS[r.group.kind] },
  { header: '名称', width: 36, value: (r) => r.group.row.name },
  { header: '主题', width: 36, value: (r) => r.group.row.theme },
  { header: '所属指挥部', width: 30, value: (r) => r.group.command?.name },
  { header: '成立日期', width: 12, value: (r) => r.group.row.establishedOn },
  { header: '状态', value: (r) => activeLabel(r.group.row.active) },
  { header: '成员', width: 16, value: (r) => r.member?.displayName },
  { header: '成员角色', value: (r) => (r.member ? GROUP_ROLE_LABELS[r.member.memberRole] : null) },
  { header: '分工', width: 30, value: (r) => r.member?.duty },
];

export function groupExportRows(views: GroupView[]): GroupExportRow[] {
  return views.flatMap((group): GroupExportRow[] => (group.members.length ? group.members.map((member) => ({ group, member })) : [{ group, member: null }]));
}

/** Personal data stays masked in the sheet, exactly as in the list. */
export const ENTERPRISE_COLUMNS: XlsxColumn<EnterpriseView>[] = [
  { header: '企业名称', width: 40, value: (v) => v.row.name },
  { header: '统一社会信用代码', width: 22, value: (v) => v.row.creditCode },
  { header: '法定代表人', width: 12, value: (v) => v.row.legalRepresentative },
  { header: '法定代表人身份证号', width: 22, value: (v) => v.legalRepIdNumber },
  { header: '联系人', width: 16, value: (v) => v.row.contactName },
  { header: '联系电话', width: 16, value: (v) => v.contactPhone },
  { header: '行业', width: 14, value: (v) => v.row.industry },
  { header: '地址', width: 40, value: (v) => v.row.address },
  { header: '所在单位', width: 24, value: (v) => v.unit?.name },
];
