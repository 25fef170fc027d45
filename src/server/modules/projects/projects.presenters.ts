import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { LEVEL_LABELS, nextPhases, PHASE_LABELS, type ProjectLevel } from '../../../shared/project-phase.ts';
import type { XlsxColumn } from '../../lib/xlsx.ts';
import type { MilestoneDto, MilestoneStatus, ProjectDto, Schedule } from './projects.dto.ts';
import { projectCan, type ProjectScope } from './projects.policy.ts';
import type { FigureWindow, ProjectRecord } from './projects.repository.ts';
import { scheduleOf } from './projects.schedule.ts';
import { asPhase } from './projects.rules.ts';
import type { milestones } from './projects.schema.ts';

/** Projects and milestones as the API shows them, each with `can`: what this caller may do next. */

const ref = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);
/** numeric(18,2) as text may come back as "1200" or "1200.5" depending on the path; the API always says "1200.00". */
export const yuan = (value: string | null): string | null => (value === null ? null : formatYuan(parseYuan(value) ?? 0n));

export function scheduleOfRecord(r: ProjectRecord, w: FigureWindow): Schedule {
  return scheduleOf({
    phase: asPhase(r.row.phase),
    plannedFen: r.yearPlanned === null ? null : parseYuan(r.yearPlanned),
    completedFen: parseYuan(r.yearCompleted) ?? 0n,
    months: w.months,
  });
}

export function presentProject(scope: ProjectScope, r: ProjectRecord, w: FigureWindow): ProjectDto {
  const p = r.row;
  const phase = asPhase(p.phase);
  const suspendedFrom = p.suspendedFrom ? asPhase(p.suspendedFrom) : null;
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    enterprise: ref(p.enterpriseId, r.enterpriseName),
    industry: p.industry ? { code: p.industry, label: r.industryLabel ?? p.industry } : null,
    kind: p.kind ? { code: p.kind, label: r.kindLabel ?? p.kind } : null,
    level: p.level as ProjectLevel,
    clusterUnit: ref(p.clusterUnitId, r.clusterName),
    areaUnit: ref(p.areaUnitId, r.areaName),
    address: p.address,
    longitude: p.longitude,
    latitude: p.latitude,
    command: ref(p.commandId, r.commandName),
    leadUnit: ref(p.leadUnitId, r.leadUnitName),
    leader: p.leaderUserId && r.leaderName !== null ? { id: p.leaderUserId, displayName: r.leaderName } : null,
    taskForce: ref(p.taskForceId, r.taskForceName),
    totalInvestment: yuan(p.totalInvestment)!,
    year: w.year,
    yearPlannedInvestment: yuan(r.yearPlanned),
    yearCompletedInvestment: yuan(r.yearCompleted)!,
    yearFundsInPlace: yuan(r.yearFunds)!,
    cumulativeInvestment: yuan(r.cumulativeInvestment)!,
    cumulativeFundsInPlace: yuan(r.cumulativeFunds)!,
    lastReportMonth: r.lastReportMonth,
    schedule: scheduleOfRecord(r, w),
    phase,
    suspendedFrom,
    signedOn: p.signedOn,
    startedOn: p.startedOn,
    operatingOn: p.operatingOn,
    completedOn: p.completedOn,
    suspendedOn: p.suspendedOn,
    plannedStartOn: p.plannedStartOn,
    plannedCompletionOn: p.plannedCompletionOn,
    nextPhases: nextPhases(phase, suspendedFrom),
    notes: p.notes,
    batches: r.batches,
    version: p.version,
    updatedAt: p.updatedAt.toISOString(),
    can: projectCan(scope, p),
  };
}

// Milestones -------------------------------------------------------------------------------------------------------

type MilestoneRow = typeof milestones.$inferSelect;

/** done (on time) / done_late (actual after planned) / overdue (not done, planned before today) / pending. */
export function milestoneStatus(m: { plannedOn: string; actualOn: string | null }, today: string): MilestoneStatus {
  if (m.actualOn) return m.actualOn > m.plannedOn ? 'done_late' : 'done';
  return m.plannedOn < today ? 'overdue' : 'pending';
}

export function presentMilestone(m: MilestoneRow, today: string, canEdit: boolean): MilestoneDto {
  return {
    id: m.id,
    name: m.name,
    plannedOn: m.plannedOn,
    actualOn: m.actualOn,
    status: milestoneStatus(m, today),
    notes: m.notes,
    sortOrder: m.sortOrder,
    version: m.version,
    can: { update: canEdit, delete: canEdit },
  };
}

// Excel export ------------------------------------------------------------------------------------------------------

const SCHEDULE_LABELS: Record<Schedule, string> = { ahead: '超序时进度', on_track: '符合序时进度', lagging: '滞后', no_plan: '—' };

/** Money in the sheet: a number of yuan (exact for any realistic amount: < 10^13 yuan with 2 decimals). */
const amount = (v: string | null) => (v === null ? null : Number(v));

/**
 * Export columns by the key the web uses for its list columns (`columns=code,name,…`), Chinese headers, in the
 * order requested. Values are what the list shows: names, labels, money in yuan.
 */
export const PROJECT_COLUMNS: Record<string, XlsxColumn<ProjectDto>> = {
  code: { header: '项目编号', width: 14, value: (p) => p.code },
  name: { header: '项目名称', width: 36, value: (p) => p.name },
  enterprise: { header: '建设单位（企业）', width: 32, value: (p) => p.enterprise?.name },
  industry: { header: '行业', width: 14, value: (p) => p.industry?.label },
  kind: { header: '项目类别', width: 12, value: (p) => p.kind?.label },
  level: { header: '项目级别', width: 10, value: (p) => LEVEL_LABELS[p.level].zh },
  clusterUnit: { header: '组团', width: 14, value: (p) => p.clusterUnit?.name },
  areaUnit: { header: '片区', width: 18, value: (p) => p.areaUnit?.name },
  address: { header: '建设地点', width: 30, value: (p) => p.address },
  longitude: { header: '经度', width: 12, value: (p) => p.longitude },
  latitude: { header: '纬度', width: 12, value: (p) => p.latitude },
  command: { header: '指挥部', width: 28, value: (p) => p.command?.name },
  leadUnit: { header: '责任单位', width: 20, value: (p) => p.leadUnit?.name },
  leader: { header: '包挂领导', width: 14, value: (p) => p.leader?.displayName },
  taskForce: { header: '专班', width: 22, value: (p) => p.taskForce?.name },
  totalInvestment: { header: '总投资（元）', width: 18, value: (p) => amount(p.totalInvestment) },
  year: { header: '年度', width: 8, value: (p) => p.year },
  yearPlannedInvestment: { header: '年度计划投资（元）', width: 18, value: (p) => amount(p.yearPlannedInvestment) },
  yearCompletedInvestment: { header: '年度完成投资（元）', width: 18, value: (p) => amount(p.yearCompletedInvestment) },
  yearFundsInPlace: { header: '年度资金到位（元）', width: 18, value: (p) => amount(p.yearFundsInPlace) },
  cumulativeInvestment: { header: '累计完成投资（元）', width: 18, value: (p) => amount(p.cumulativeInvestment) },
  cumulativeFundsInPlace: { header: '累计资金到位（元）', width: 18, value: (p) => amount(p.cumulativeFundsInPlace) },
  lastReportMonth: { header: '最近填报月份', width: 12, value: (p) => p.lastReportMonth },
  schedule: { header: '序时进度', width: 12, value: (p) => SCHEDULE_LABELS[p.schedule] },
  phase: { header: '项目阶段', width: 10, value: (p) => PHASE_LABELS[p.phase].zh },
  suspendedFrom: { header: '停缓建前阶段', width: 12, value: (p) => (p.suspendedFrom ? PHASE_LABELS[p.suspendedFrom].zh : null) },
  signedOn: { header: '签约日期', width: 12, value: (p) => p.signedOn },
  startedOn: { header: '开工日期', width: 12, value: (p) => p.startedOn },
  operatingOn: { header: '投产日期', width: 12, value: (p) => p.operatingOn },
  completedOn: { header: '竣工日期', width: 12, value: (p) => p.completedOn },
  suspendedOn: { header: '停缓建日期', width: 12, value: (p) => p.suspendedOn },
  plannedStartOn: { header: '计划开工日期', width: 12, value: (p) => p.plannedStartOn },
  plannedCompletionOn: { header: '计划竣工日期', width: 12, value: (p) => p.plannedCompletionOn },
  notes: { header: '备注', width: 30, value: (p) => p.notes },
  batches: { header: '所属批次', width: 30, value: (p) => p.batches.map((b) => b.name).join('；') || null },
  updatedAt: { header: '更新时间', width: 18, value: (p) => new Date(p.updatedAt).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16) },
};
export const PROJECT_COLUMN_KEYS = Object.keys(PROJECT_COLUMNS);
