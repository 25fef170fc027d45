import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  NotificationOutlined,
  BankOutlined,
  BookOutlined,
  FlagOutlined,
  IssuesCloseOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
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

// prettier-ignore
export const MODULES: readonly ModuleDef[] = [
  { key: 'projects', path: '/projects', section: 'work', label: { zh: '项目台账', en: 'Project ledger' }, hint: { zh: '重点项目、进度填报、导入导出', en: 'Key projects, progress, Excel in and out' }, icon: <ProjectOutlined />, roles: PROJECT_READ, page: lazy(() => import('./pages/projects/ProjectsModule.tsx')), nested: true },
  { key: 'problems', path: '/problems', section: 'work', label: { zh: '问题闭环', en: 'Problems' }, hint: { zh: '提报、交办、办理、核验销号，红黄绿灯', en: 'Raise, assign, resolve, verify; traffic lights' }, icon: <IssuesCloseOutlined />, roles: PROBLEM_READ, page: lazy(() => import('./pages/problems/ProblemsModule.tsx')), nested: true },
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

export function modulesFor(roles: readonly Role[]): ModuleDef[] {
  return MODULES.filter((m) => m.roles.some((r) => roles.includes(r)));
}
