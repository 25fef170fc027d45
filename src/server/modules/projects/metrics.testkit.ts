import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '../../audit/audit.schema.ts';
import { getHarness, type TestZone } from '../../test/harness.ts';
import { monthlyReports, projectAnnualPlans, projects } from './projects.schema.ts';
import { searchDocument } from './projects.search.ts';

/**
 * Test helpers of the reports, metrics and batches tests (not a test file itself): ledger rows written straight
 * into the harness database, so a test states exactly the figures it computes by hand.
 */
type Hq = 'fuzhongxin' | 'cuizhai' | 'nev' | 'hydrogen';

export interface ProjectSeed {
  code: string;
  name?: string;
  hq?: Hq;
  unit?: string;
  enterprise?: string;
  level?: 'province' | 'city' | 'district';
  industry?: string;
  total?: string;
  phase?: 'pipeline' | 'signed' | 'started' | 'operating' | 'completed' | 'suspended';
  suspendedFrom?: string;
  signedOn?: string;
  startedOn?: string;
  operatingOn?: string;
  completedOn?: string;
  suspendedOn?: string;
  plannedStartOn?: string;
  plannedCompletionOn?: string;
  leader?: string;
  /** year → planned investment (yuan) */
  plans?: Record<number, string>;
  /** YYYY-MM → [completed, funds] (yuan) */
  reports?: Record<string, [string, string]>;
}

export async function insertProject(zone: TestZone, p: ProjectSeed): Promise<string> {
  const { services } = await getHarness();
  const id = randomUUID();
  const hq = p.hq ?? 'cuizhai';
  const name = p.name ?? `测试项目${p.code}`;
  await services.db.insert(projects).values({
    id,
    zoneId: zone.zoneId,
    code: p.code,
    name,
    enterpriseId: p.enterprise ? zone.enterprises[p.enterprise]! : null,
    industry: p.industry ?? 'equipment',
    kind: 'industrial',
    level: p.level ?? 'city',
    commandId: zone.commands[hq]!,
    leadUnitId: zone.units[p.unit ?? (hq === 'cuizhai' ? 'cuizhai' : 'daqiao')]!,
    leaderUserId: p.leader ? zone.users[p.leader]! : null,
    totalInvestment: p.total ?? '100000000.00',
    phase: p.phase ?? 'started',
    suspendedFrom: p.suspendedFrom ?? null,
    signedOn: p.signedOn ?? null,
    startedOn: p.startedOn ?? null,
    operatingOn: p.operatingOn ?? null,
    completedOn: p.completedOn ?? null,
    suspendedOn: p.suspendedOn ?? null,
    plannedStartOn: p.plannedStartOn ?? null,
    plannedCompletionOn: p.plannedCompletionOn ?? null,
    searchDoc: searchDocument([name]),
  });
  const plans = Object.entries(p.plans ?? {});
  if (plans.length) await services.db.insert(projectAnnualPlans).values(plans.map(([year, amount]) => ({ zoneId: zone.zoneId, projectId: id, year: Number(year), plannedInvestment: amount })));
  const reports = Object.entries(p.reports ?? {});
  if (reports.length) {
    await services.db.insert(monthlyReports).values(
      reports.map(([month, [completed, funds]]) => ({ zoneId: zone.zoneId, projectId: id, month: `${month}-01`, completedInvestment: completed, fundsInPlace: funds, progress: `${month}进展` })),
    );
  }
  return id;
}

export async function auditOf(zoneId: string, action: string) {
  const { services } = await getHarness();
  return services.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.at));
}

/** The month `n` months from now in Asia/Shanghai (YYYY-MM). */
export async function monthFromNow(n: number): Promise<string> {
  const { services } = await getHarness();
  const today = services.now().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
