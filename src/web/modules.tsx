import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  DashboardOutlined,
  FileTextOutlined,
  NotificationOutlined,
  BankOutlined,
  BookOutlined,
  FlagOutlined,
  LineChartOutlined,
  IssuesCloseOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLES, type Role } from '../shared/roles.ts';
import { startDraftSender } from './offline/sender.ts';

// Problems drafted offline (pages/problems) are sent when the network returns, from any page of the app.
startDraftSender();

/**
 * The app's modules: each line is a menu entry, a route, a home-page quick link and the roles that see it.
 * Adding a module (项目, 问题, 会议 …) is one line here plus its page file in pages/.
 */
export interface ModuleDef {
  key: string;
  path: string;
  section: SectionKey;
  label: { zh: string; en: string };
  /** One line for the home page's quick links. */
  hint: { zh: string; en: string };
  icon: ReactNode;
  roles: readonly Role[];
  page: LazyExoticComponent<ComponentType>;
  /** The page has pages of its own under `path` (/projects/:id …): routed as `path/*`. */
  nested?: boolean;
  /** Roles whose landing page (the index, /) this module is. */
  landing?: readonly Role[];
}

export type SectionKey = 'work' | 'org' | 'admin';

export const SECTIONS: Record<SectionKey, { zh: string; en: string }> = {
  work: { zh: '业务', en: 'Work' },
  org: { zh: '组织与企业', en: 'Organisation & enterprises' },
  admin: { zh: '系统管理', en: 'Administration' },
};

/** Who reads the org model (docs/api-foundation.md "Org"). */
export const ORG_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent', 'sys_admin'];
const ENTERPRISE_READ: readonly Role[] = [...ORG_READ, 'enterprise_contact'];
/** Who reads the ledger (docs/api-projects.md; the admins stay out: 三员分立). */
export const PROJECT_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent', 'enterprise_contact'];
/** Who works the closed loop (docs/api-problems.md; PROBLEM_ROLES on the server). */
export const PROBLEM_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent'];
/** Who takes part in meetings (MEETING_ROLES on the server; the policy scopes which meetings). */
export const MEETING_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff'];
/** Who opens the cockpit and the big screen (COCKPIT_ROLES on the server). */
export const COCKPIT_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff'];

/** Who reads the economic indicators (INDICATOR_READ_ROLES on the server; leaders and unit staff also enter them). */
export const INDICATOR_READ: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent'];

// prettier-ignore
export const MODULES: readonly ModuleDef[] = [
  { key: 'cockpit', path: '/cockpit', section: 'work', label: { zh: '驾驶舱', en: 'Cockpit' }, hint: { zh: '项目、问题、会议一屏总览，数字可点击下钻；大屏模式', en: 'Projects, problems, meetings at a glance; drill down; big screen' }, icon: <DashboardOutlined />, roles: COCKPIT_READ, page: lazy(() => import('./pages/cockpit/CockpitPage.tsx')), landing: ['zone_leader'] },
  { key: 'briefings', path: '/briefings', section: 'work', label: { zh: '工作简报', en: 'Briefings' }, hint: { zh: '按期生成简报（Word/PDF），数字与驾驶舱一致；每周自动生成并推送', en: 'Briefings (Word/PDF) from the data, equal to the cockpit; weekly issue pushed' }, icon: <FileTextOutlined />, roles: COCKPIT_READ, page: lazy(() => import('./pages/briefings/BriefingsModule.tsx')), nested: true },
  { key: 'projects', path: '/projects', section: 'work', label: { zh: '项目台账', en: 'Project ledger' }, hint: { zh: '重点项目、进度填报、导入导出', en: 'Key projects, progress, Excel in and out' }, icon: <ProjectOutlined />, roles: PROJECT_READ, page: lazy(() => import('./pages/projects/ProjectsModule.tsx')), nested: true },
  { key: 'problems', path: '/problems', section: 'work', label: { zh: '问题闭环', en: 'Problems' }, hint: { zh: '提报、交办、办理、核验销号，红黄绿灯', en: 'Raise, assign, resolve, verify; traffic lights' }, icon: <IssuesCloseOutlined />, roles: PROBLEM_READ, page: lazy(() => import('./pages/problems/ProblemsModule.tsx')), nested: true },
  { key: 'meetings', path: '/meetings', section: 'work', label: { zh: '会议', en: 'Meetings' }, hint: { zh: '例会、议程、出席、纪要与议定事项跟踪', en: 'Meetings, agenda, attendance, minutes, decisions' }, icon: <ScheduleOutlined />, roles: MEETING_READ, page: lazy(() => import('./pages/meetings/MeetingsModule.tsx')), nested: true },
  { key: 'indicators', path: '/indicators', section: 'work', label: { zh: '经济指标', en: 'Economic indicators' }, hint: { zh: '主要经济指标累计增速与全市位次，填报与导入', en: 'Cumulative growth and city rank; entry and import' }, icon: <LineChartOutlined />, roles: INDICATOR_READ, page: lazy(() => import('./pages/indicators/IndicatorsPage.tsx')) },
  { key: 'units', path: '/org/units', section: 'org', label: { zh: '组织架构', en: 'Organisation' }, hint: { zh: '部门、街道、组团、片区', en: 'Departments, streets, clusters, areas' }, icon: <ApartmentOutlined />, roles: ORG_READ, page: lazy(() => import('./pages/UnitsPage.tsx')) },
  { key: 'commands', path: '/org/commands', section: 'org', label: { zh: '指挥部', en: 'Headquarters' }, hint: { zh: '指挥长、抽调和驻场人员', en: 'Commanders and seconded staff' }, icon: <FlagOutlined />, roles: ORG_READ, page: lazy(() => import('./pages/CommandsPage.tsx')) },
  { key: 'groups', path: '/org/groups', section: 'org', label: { zh: '领导小组与专班', en: 'Groups & task forces' }, hint: { zh: '领导小组、专班及成员', en: 'Leading groups and task forces' }, icon: <TeamOutlined />, roles: ORG_READ, page: lazy(() => import('./pages/GroupsPage.tsx')) },
  { key: 'enterprises', path: '/org/enterprises', section: 'org', label: { zh: '企业', en: 'Enterprises' }, hint: { zh: '企业名录与联系人', en: 'Enterprise directory' }, icon: <BankOutlined />, roles: ENTERPRISE_READ, page: lazy(() => import('./pages/EnterprisesPage.tsx')) },
  { key: 'users', path: '/admin/users', section: 'admin', label: { zh: '用户', en: 'Users' }, hint: { zh: '账号、角色和通讯录', en: 'Accounts, roles, directory' }, icon: <UserOutlined />, roles: ORG_READ, page: lazy(() => import('./pages/UsersPage.tsx')) },
  { key: 'security', path: '/admin/security', section: 'admin', label: { zh: '安全设置', en: 'Security' }, hint: { zh: '口令策略、锁定账号、在线会话', en: 'Password policy, lockouts, sessions' }, icon: <SafetyCertificateOutlined />, roles: ['sec_admin'], page: lazy(() => import('./pages/SecurityPage.tsx')) },
  { key: 'dictionaries', path: '/admin/dictionaries', section: 'admin', label: { zh: '字典', en: 'Dictionaries' }, hint: { zh: '行业、项目类别等可选值', en: 'Industries, project kinds' }, icon: <BookOutlined />, roles: ['sys_admin'], page: lazy(() => import('./pages/DictionariesPage.tsx')) },
  { key: 'audit', path: '/admin/audit', section: 'admin', label: { zh: '审计日志', en: 'Audit trail' }, hint: { zh: '操作记录与完整性校验', en: 'Who did what, integrity check' }, icon: <AuditOutlined />, roles: ['audit_admin'], page: lazy(() => import('./pages/AuditPage.tsx')) },
  { key: 'notifications', path: '/notifications', section: 'work', label: { zh: '我的消息', en: 'My messages' }, hint: { zh: '交办、催办、督办通知', en: 'Assignments, reminders, escalations' }, icon: <BellOutlined />, roles: ROLES, page: lazy(() => import('./pages/notifications/InboxPage.tsx')) },
  { key: 'notify-settings', path: '/admin/notify', section: 'admin', label: { zh: '通知与催办', en: 'Notifications' }, hint: { zh: '催办督办规则、钉钉/企业微信群机器人', en: 'Chasing rules, DingTalk / WeCom robots' }, icon: <NotificationOutlined />, roles: ['sys_admin', 'zone_leader', 'hq_commander'], page: lazy(() => import('./pages/notifications/NotifySettingsPage.tsx')) },
  { key: 'calendar', path: '/admin/calendar', section: 'admin', label: { zh: '工作日历', en: 'Working days' }, hint: { zh: '节假日、调休和本区安排', en: 'Holidays, make-up days, local days off' }, icon: <CalendarOutlined />, roles: ['sys_admin'], page: lazy(() => import('./pages/notifications/CalendarPage.tsx')) },
];

/** The page a user lands on at / (zone leaders: the cockpit); undefined: the home page. */
export function landingPathFor(roles: readonly Role[]): string | undefined {
  return MODULES.find((m) => m.landing?.some((r) => roles.includes(r)))?.path;
}

export function modulesFor(roles: readonly Role[]): ModuleDef[] {
  return MODULES.filter((m) => m.roles.some((r) => roles.includes(r)));
}
