import type { UnitKind } from '../../shared/org.ts';
import type { Role } from '../../shared/roles.ts';

/**
 * The demo zone, from the article (shared/seed) and domain.md. Facts from the article are kept as they are;
 * people are invented and say so (（演示）), phone numbers are in a range no real subscriber has.
 */
export interface DemoUnit {
  key: string;
  name: string;
  kind: UnitKind;
  parent?: string;
  shortName?: string;
  description?: string;
  establishedOn?: string;
}

export const DEMO_ZONE = { code: 'qibuqu', name: '济南新旧动能转换起步区', shortName: '起步区' };

export const DEMO_UNITS: DemoUnit[] = [
  { key: 'committee', name: '起步区党工委、管委会', kind: 'committee', shortName: '党工委管委会' },
  { key: 'party', name: '党群工作部', kind: 'department', parent: 'committee' },
  { key: 'approval', name: '行政审批办公室(企业服务中心)', kind: 'department', parent: 'committee', shortName: '行政审批办' },
  { key: 'digital', name: '数字城市部', kind: 'department', parent: 'committee', establishedOn: '2023-06-17' },
  { key: 'economy', name: '经济发展部', kind: 'department', parent: 'committee' },
  { key: 'planning', name: '规划建设部', kind: 'department', parent: 'committee' },
  { key: 'finance', name: '财政金融部', kind: 'department', parent: 'committee' },
  { key: 'ecology', name: '生态环境部', kind: 'department', parent: 'committee' },
  { key: 'daqiao', name: '大桥街道', kind: 'street', parent: 'committee' },
  { key: 'cuizhai', name: '崔寨街道', kind: 'street', parent: 'committee' },
  { key: 'taiping', name: '太平街道', kind: 'street', parent: 'committee' },
  { key: 'cluster_daqiao', name: '大桥组团', kind: 'cluster', parent: 'committee', description: '城市副中心' },
  { key: 'area_fuzhongxin', name: '城市副中心示范区', kind: 'area', parent: 'cluster_daqiao', description: '大桥组团城市副中心示范区' },
  { key: 'area_nev', name: '新能源汽车产业片区', kind: 'area', parent: 'cluster_daqiao' },
  { key: 'cluster_cuizhai', name: '崔寨组团', kind: 'cluster', parent: 'committee', description: '高新产业集聚区' },
  { key: 'area_cuizhai', name: '崔寨片区', kind: 'area', parent: 'cluster_cuizhai' },
  { key: 'area_hydrogen', name: '氢能产业片区', kind: 'area', parent: 'cluster_cuizhai' },
  { key: 'external', name: '省市部门', kind: 'external' },
  { key: 'ext_province_drc', name: '山东省发展和改革委员会', kind: 'external', parent: 'external' },
  { key: 'ext_city_nrp', name: '济南市自然资源和规划局', kind: 'external', parent: 'external' },
  { key: 'ext_city_eco', name: '济南市生态环境局', kind: 'external', parent: 'external' },
];

export interface DemoCommand {
  key: string;
  name: string;
  area: string;
  establishedOn: string;
  responsibility: string;
}

/** The four HQs of the directly managed area (直管区 "四个指挥部"). */
export const DEMO_COMMANDS: DemoCommand[] = [
  { key: 'fuzhongxin', name: '城市副中心示范区建设指挥部', area: 'area_fuzhongxin', establishedOn: '2023-04-18', responsibility: '大桥组团城市副中心示范区规划建设、重点项目推进' },
  { key: 'cuizhai', name: '崔寨片区建设指挥部', area: 'area_cuizhai', establishedOn: '2023-03-20', responsibility: '崔寨片区征迁、基础设施和重点项目推进' },
  { key: 'nev', name: '新能源汽车产业片区建设指挥部', area: 'area_nev', establishedOn: '2023-02-15', responsibility: '新能源汽车及零部件产业园建设、投产保障' },
  { key: 'hydrogen', name: '氢能产业片区建设指挥部', area: 'area_hydrogen', establishedOn: '2023-03-01', responsibility: '氢能基地建设、氢能示范应用场景' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  unit?: string;
  roles: Role[];
  title?: string;
  phone?: string;
  /** HQ membership: command key, member role, seconded from (unit key), mode. */
  command?: { key: string; as: 'leader' | 'deputy' | 'staff'; from?: string; mode?: 'seconded' | 'on_site' };
  enterprise?: string;
  /** The account README lists (the demo accounts). */
  label?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'leader', displayName: '王立新（演示）', unit: 'committee', roles: ['zone_leader'], title: '管委会副主任', phone: '17000000001', label: '区领导 zone leader' },
  { username: 'hq.cuizhai', displayName: '赵振华（演示）', unit: 'cuizhai', roles: ['hq_commander'], title: '崔寨片区建设指挥部指挥长', phone: '17000000002', command: { key: 'cuizhai', as: 'leader', from: 'cuizhai', mode: 'on_site' }, label: '崔寨片区建设指挥部 指挥长 HQ commander' },
  { username: 'hq.fuzhongxin', displayName: '钱卫东（演示）', unit: 'planning', roles: ['hq_commander'], title: '城市副中心示范区建设指挥部指挥长', phone: '17000000003', command: { key: 'fuzhongxin', as: 'leader', from: 'planning', mode: 'on_site' }, label: '城市副中心示范区建设指挥部 指挥长 HQ commander' },
  { username: 'staff.cuizhai', displayName: '孙晓燕（演示）', unit: 'cuizhai', roles: ['unit_staff'], title: '崔寨街道管区工作人员', phone: '17000000004', label: '崔寨街道 unit staff' },
  { username: 'staff.daqiao', displayName: '周海涛（演示）', unit: 'daqiao', roles: ['unit_staff'], title: '大桥街道工作人员', phone: '17000000005', label: '大桥街道 unit staff' },
  { username: 'agent.approval', displayName: '吴静怡（演示）', unit: 'approval', roles: ['service_agent'], title: '帮代办员（党员先锋岗）', phone: '17000000006', label: '行政审批办公室(企业服务中心) service agent' },
  { username: 'sysadmin', displayName: '郑系统（演示）', unit: 'digital', roles: ['sys_admin'], title: '系统管理员', label: '系统管理员 system admin' },
  { username: 'secadmin', displayName: '冯安全（演示）', unit: 'digital', roles: ['sec_admin'], title: '安全管理员', label: '安全管理员 security admin' },
  { username: 'auditor', displayName: '陈审计（演示）', unit: 'party', roles: ['audit_admin'], title: '审计管理员', label: '审计管理员 audit admin' },
  { username: 'hqstaff.cuizhai', displayName: '褚明（演示）', unit: 'economy', roles: ['hq_staff'], title: '崔寨片区建设指挥部驻场人员', phone: '17000000007', command: { key: 'cuizhai', as: 'staff', from: 'economy', mode: 'on_site' }, label: '崔寨片区建设指挥部 HQ staff (seconded from 经济发展部)' },
  { username: 'hqstaff.fuzhongxin', displayName: '卫红梅（演示）', unit: 'daqiao', roles: ['hq_staff'], title: '城市副中心示范区建设指挥部抽调人员', phone: '17000000008', command: { key: 'fuzhongxin', as: 'staff', from: 'daqiao', mode: 'seconded' }, label: '城市副中心示范区建设指挥部 HQ staff (seconded from 大桥街道)' },
  { username: 'hq.nev', displayName: '蒋国强（演示）', unit: 'economy', roles: ['hq_commander'], title: '新能源汽车产业片区建设指挥部指挥长', phone: '17000000009', command: { key: 'nev', as: 'leader', from: 'economy', mode: 'on_site' } },
  { username: 'hq.hydrogen', displayName: '沈建平（演示）', unit: 'economy', roles: ['hq_commander'], title: '氢能产业片区建设指挥部指挥长', phone: '17000000010', command: { key: 'hydrogen', as: 'leader', from: 'economy', mode: 'on_site' } },
  { username: 'ent.hydrogen', displayName: '韩企联（演示）', roles: ['enterprise_contact'], title: '企业联络员', phone: '17000000011', enterprise: 'hydrogen', label: '国家电投济南绿动氢能科技有限公司 enterprise contact' },
  { username: 'staff.planning', displayName: '韦建国（演示）', unit: 'planning', roles: ['unit_staff'], title: '规划建设部工作人员', phone: '17000000015', label: '规划建设部 unit staff' },
  { username: 'staff.ecology', displayName: '柏晓琳（演示）', unit: 'ecology', roles: ['unit_staff'], title: '生态环境部工作人员', phone: '17000000016', label: '生态环境部 unit staff' },
];

export interface DemoEnterprise {
  key: string;
  name: string;
  /** First 17 characters; the check character is computed. */
  creditCodeBody: string;
  industry: string;
  unit: string;
  address: string;
  legalRepresentative?: string;
  contactName?: string;
  contactPhone?: string;
}

export const DEMO_ENTERPRISES: DemoEnterprise[] = [
  { key: 'hydrogen', name: '国家电投济南绿动氢能科技有限公司', creditCodeBody: '91370100MA7DEM001', industry: '氢能', unit: 'area_hydrogen', address: '济南起步区崔寨街道氢能产业园', legalRepresentative: '陈颖', contactName: '韩企联（演示）', contactPhone: '17000000011' },
  { key: 'nev', name: '济南起步区新能源汽车产业发展有限公司（演示）', creditCodeBody: '91370100MA7DEM002', industry: '新能源汽车', unit: 'area_nev', address: '济南起步区大桥街道新能源汽车及零部件产业园', contactName: '许示例（演示）', contactPhone: '17000000012' },
  { key: 'solar', name: '山东光合高效电池组件有限公司（演示）', creditCodeBody: '91370100MA7DEM003', industry: '光伏', unit: 'area_cuizhai', address: '济南起步区崔寨街道高新产业集聚区', contactName: '何示例（演示）', contactPhone: '17000000013' },
  { key: 'urban', name: '济南起步区城市建设发展集团有限公司（演示）', creditCodeBody: '91370100MA7DEM004', industry: '城市建设', unit: 'area_fuzhongxin', address: '济南起步区大桥街道城市副中心', contactName: '吕示例（演示）', contactPhone: '17000000014' },
];

export const DEMO_GROUPS = [
  { key: 'leading', kind: 'leading_group' as const, name: '济南起步区城市副中心示范区建设领导小组', establishedOn: '2023-04-18', members: [{ user: 'leader', as: 'head' as const }, { user: 'hq.fuzhongxin', as: 'member' as const }, { user: 'hq.cuizhai', as: 'member' as const }] },
  { key: 'tf_hydrogen', kind: 'task_force' as const, name: '氢能示范应用专班', theme: '氢能基地建设与氢能示范应用场景', command: 'hydrogen', establishedOn: '2023-03-10', members: [{ user: 'hq.hydrogen', as: 'head' as const }, { user: 'agent.approval', as: 'member' as const }] },
  { key: 'tf_nev', kind: 'task_force' as const, name: '新能源汽车产业园专班', theme: '新能源汽车及零部件产业园当年开工当年投产', command: 'nev', establishedOn: '2023-02-20', members: [{ user: 'hq.nev', as: 'head' as const }, { user: 'staff.daqiao', as: 'member' as const }] },
];
