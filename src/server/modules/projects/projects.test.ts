import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../audit/audit.schema.ts';
import type { Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { Client, createZone, getHarness, signIn, type TestZone } from '../../test/harness.ts';
import { auditRows, fieldsOf } from '../org/org.testkit.ts';
import type { ProjectDto } from './projects.dto.ts';
import { findProjectsByCodes } from './projects.repository.ts';
import { shanghaiDate } from './projects.schedule.ts';
import { monthlyReports, projectPhaseChanges } from './projects.schema.ts';
import { insertProject, patchProject } from './projects.service.ts';

/** A valid create body for a 崔寨片区建设指挥部 project led by 崔寨街道; `over` changes or adds fields. */
function cuizhaiProject(zone: TestZone, over: Record<string, unknown> = {}) {
  return {
    code: 'CZ-001',
    name: '太阳能高效电池组件项目',
    enterpriseId: zone.enterprises.solar,
    industry: 'pv',
    kind: 'industrial',
    level: 'city',
    clusterUnitId: zone.units.cluster_cuizhai,
    areaUnitId: zone.units.area_cuizhai,
    address: '济南起步区崔寨街道高新产业集聚区',
    longitude: '117.0561',
    latitude: '36.7702',
    commandId: zone.commands.cuizhai,
    leadUnitId: zone.units.cuizhai,
    leaderUserId: zone.users['hq.cuizhai'],
    totalInvestment: '36000000000',
    yearPlannedInvestment: '1200000000.5',
    notes: '高效光伏电池及组件，一期 10GW',
    ...over,
  };
}

function hydrogenProject(zone: TestZone, over: Record<string, unknown> = {}) {
  return {
    code: 'QN-001',
    name: '绿动氢能基地项目',
    enterpriseId: zone.enterprises.hydrogen,
    industry: 'hydrogen',
    level: 'province',
    clusterUnitId: zone.units.cluster_cuizhai,
    areaUnitId: zone.units.area_hydrogen,
    address: '济南起步区崔寨街道氢能产业园',
    commandId: zone.commands.hydrogen,
    leadUnitId: zone.units.economy,
    taskForceId: zone.groups.tf_hydrogen,
    totalInvestment: '5000000000.00',
    notes: '氢能示范应用场景',
    ...over,
  };
}

function fuzhongxinProject(zone: TestZone, over: Record<string, unknown> = {}) {
  return {
    code: 'FZX-001',
    name: '城市副中心综合管廊项目',
    enterpriseId: zone.enterprises.urban,
    industry: 'urban',
    kind: 'infrastructure',
    level: 'district',
    clusterUnitId: zone.units.cluster_daqiao,
    areaUnitId: zone.units.area_fuzhongxin,
    commandId: zone.commands.fuzhongxin,
    leadUnitId: zone.units.daqiao,
    totalInvestment: '800000000',
    ...over,
  };
}

async function create(client: Client, body: unknown): Promise<ProjectDto> {
  const res = await client.post('/api/projects', body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as ProjectDto;
}

const today = async () => shanghaiDate((await getHarness()).services.now());
const thisYear = async () => Number((await today()).slice(0, 4));

async function codes(client: Client, query: string): Promise<string[]> {
  const res = await client.get(`/api/projects?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as ProjectDto[]).map((p) => p.code);
}

// The shared app and database start once per run (slow on a busy machine): not inside the first test's time.
beforeAll(async () => {
  await getHarness();
});

describe('projects: create, read, edit', () => {
  it('creates a project with names, money strings and the annual plan, and audits it', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone));
    expect(p).toMatchObject({
      code: 'CZ-001',
      enterprise: { id: zone.enterprises.solar, name: '山东光合高效电池组件有限公司（演示）' },
      industry: { code: 'pv', label: '光伏' },
      kind: { code: 'industrial', label: '产业项目' },
      level: 'city',
      clusterUnit: { id: zone.units.cluster_cuizhai, name: '崔寨组团' },
      areaUnit: { id: zone.units.area_cuizhai, name: '崔寨片区' },
      command: { id: zone.commands.cuizhai, name: '崔寨片区建设指挥部' },
      leadUnit: { id: zone.units.cuizhai, name: '崔寨街道' },
      leader: { id: zone.users['hq.cuizhai'], displayName: '赵振华（演示）' },
      taskForce: null,
      longitude: '117.056100',
      totalInvestment: '36000000000.00',
      year: await thisYear(),
      yearPlannedInvestment: '1200000000.50',
      yearCompletedInvestment: '0.00',
      cumulativeInvestment: '0.00',
      lastReportMonth: null,
      phase: 'pipeline',
      nextPhases: ['signed', 'started'],
      batches: [],
      version: 1,
      can: { update: true, movePhase: true, report: true, delete: true },
    });
    expect((await hq.get(`/api/projects/${p.id}`)).json()).toEqual(p);
    const [row] = await auditRows(zone.zoneId, 'project.create');
    expect(row).toMatchObject({ entityType: 'project', entityId: p.id, actorName: '赵振华（演示）' });
    expect(row!.after).toMatchObject({ code: 'CZ-001', totalInvestment: '36000000000.00', plan: { plannedInvestment: '1200000000.50' } });
  });

  it('enters an existing ledger in its real phase, and refuses phase dates that do not agree', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const started = await create(hq, cuizhaiProject(zone, { phase: 'started', signedOn: '2023-03-01', startedOn: '2023-04-25' }));
    expect(started).toMatchObject({ phase: 'started', signedOn: '2023-03-01', startedOn: '2023-04-25', nextPhases: ['operating', 'completed', 'suspended'] });
    const suspended = await create(hq, cuizhaiProject(zone, { code: 'CZ-002', phase: 'suspended', suspendedFrom: 'signed', signedOn: '2023-03-01', suspendedOn: '2023-09-01' }));
    expect(suspended).toMatchObject({ phase: 'suspended', suspendedFrom: 'signed', nextPhases: ['signed'] });

    const bad = await hq.post('/api/projects', cuizhaiProject(zone, { code: 'CZ-003', phase: 'started', signedOn: '2099-01-01' }));
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual({ startedOn: '项目处于“开工”阶段，必须填写该日期', signedOn: '不能晚于今天' });
    const noFrom = await hq.post('/api/projects', cuizhaiProject(zone, { code: 'CZ-003', phase: 'suspended', suspendedOn: '2023-09-01' }));
    expect(fieldsOf(noFrom)).toEqual({ suspendedFrom: '必填' });
  });

  it('refuses references that are not in the zone, inactive values and bad numbers, naming each field', async () => {
    const zone = await createZone();
    const other = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai', 'en');
    const res = await hq.post(
      '/api/projects',
      cuizhaiProject(zone, {
        enterpriseId: other.enterprises.solar,
        industry: 'space',
        clusterUnitId: zone.units.area_cuizhai,
        leaderUserId: other.users.leader,
        taskForceId: zone.groups.leading,
        leadUnitId: zone.units.ext_province_drc,
        latitude: '136.1',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual({
      enterpriseId: 'Refers to a record that does not exist',
      industry: 'Refers to a record that does not exist',
      clusterUnitId: 'Choose a cluster',
      leaderUserId: 'Refers to a record that does not exist',
      taskForceId: 'Refers to a record that does not exist',
      leadUnitId: 'Refers to a record that does not exist',
      latitude: 'Latitude must be between -90 and 90',
    });
    expect(fieldsOf(await hq.post('/api/projects', cuizhaiProject(zone, { totalInvestment: '-1' })))).toEqual({ totalInvestment: 'Must be at least 0' });
    expect(fieldsOf(await hq.post('/api/projects', cuizhaiProject(zone, { totalInvestment: 1200 })))).toEqual({ totalInvestment: 'Must be of type string' });
    expect(fieldsOf(await hq.post('/api/projects', cuizhaiProject(zone, { totalInvestment: '12.345' })))).toHaveProperty('totalInvestment');
  });

  it('places projects only under the caller’s HQs or units', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const res = await hq.post('/api/projects', fuzhongxinProject(zone));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual({ commandId: '只能选择您所在的指挥部' });
    // 崔寨街道 staff may add a project their street leads, whatever the HQ.
    const staff = await signIn(zone, 'staff.cuizhai');
    expect((await staff.post('/api/projects', fuzhongxinProject(zone, { leadUnitId: zone.units.cuizhai }))).statusCode).toBe(201);
    const wrong = await staff.post('/api/projects', fuzhongxinProject(zone, { code: 'FZX-002' }));
    expect(fieldsOf(wrong)).toEqual({ leadUnitId: '责任单位只能是您所在的单位或其下级单位' });
    // Read-only roles cannot add projects at all.
    expect((await (await signIn(zone, 'leader')).post('/api/projects', cuizhaiProject(zone))).statusCode).toBe(403);
    expect((await (await signIn(zone, 'agent.approval')).post('/api/projects', cuizhaiProject(zone))).statusCode).toBe(403);
  });

  it('keeps codes unique per zone: 400 code field.taken on create and edit, never 500', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    await create(hq, cuizhaiProject(zone));
    const dup = await hq.post('/api/projects', cuizhaiProject(zone, { code: ' CZ-001 ' }));
    expect(dup.statusCode).toBe(400);
    expect(fieldsOf(dup)).toEqual({ code: '已被使用' });
    const second = await create(hq, cuizhaiProject(zone, { code: 'CZ-002' }));
    const edit = await hq.patch(`/api/projects/${second.id}`, { version: 1, code: 'CZ-001' });
    expect(edit.statusCode).toBe(400);
    expect(fieldsOf(edit)).toEqual({ code: '已被使用' });
    // Another zone may use the same code.
    const other = await createZone();
    expect((await (await signIn(other, 'hq.cuizhai')).post('/api/projects', cuizhaiProject(other))).statusCode).toBe(201);
  });

  it('edits with the version; a stale version answers 409 naming who changed it', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone));
    const year = await thisYear();
    const res = await hq.patch(`/api/projects/${p.id}`, { version: 1, name: '太阳能高效电池组件项目（一期）', totalInvestment: '36500000000.10', year, yearPlannedInvestment: '1500000000', notes: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '太阳能高效电池组件项目（一期）', totalInvestment: '36500000000.10', yearPlannedInvestment: '1500000000.00', notes: null, version: 2 });
    // Searching follows the edit: the old notes are gone from the index.
    expect(await codes(hq, `q=${encodeURIComponent('光伏')}`)).toEqual([]);
    expect(await codes(hq, `q=${encodeURIComponent('一期')}`)).toEqual(['CZ-001']);

    const staff = await signIn(zone, 'staff.cuizhai');
    const stale = await staff.patch(`/api/projects/${p.id}`, { version: 1, name: '旧版本上的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    expect(stale.json().error.message).toContain('赵振华（演示）');
    const [update] = await auditRows(zone.zoneId, 'project.update');
    expect(update!.before).toMatchObject({ name: '太阳能高效电池组件项目', version: 1 });
    expect(update!.after).toMatchObject({ name: '太阳能高效电池组件项目（一期）', version: 2, plan: { year, plannedInvestment: '1500000000.00' } });
    expect(Object.keys(update!.after as object)).not.toContain('address');

    // The plan of another year is its own; ?year= shows it.
    await hq.patch(`/api/projects/${p.id}`, { version: 2, year: year - 1, yearPlannedInvestment: '900000000' });
    expect((await hq.get(`/api/projects/${p.id}?year=${year - 1}`)).json()).toMatchObject({ year: year - 1, yearPlannedInvestment: '900000000.00' });
    expect((await hq.get(`/api/projects/${p.id}`)).json()).toMatchObject({ year, yearPlannedInvestment: '1500000000.00', version: 3 });
  });

  it('deletes only a project still in the pipeline', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone));
    const started = await create(hq, cuizhaiProject(zone, { code: 'CZ-002', phase: 'started', startedOn: '2023-04-25' }));
    expect((await hq.delete(`/api/projects/${started.id}?version=1`)).statusCode).toBe(409);
    expect((await hq.delete(`/api/projects/${p.id}?version=2`)).statusCode).toBe(409);
    expect((await hq.delete(`/api/projects/${p.id}?version=1`)).statusCode).toBe(200);
    expect((await hq.get(`/api/projects/${p.id}`)).statusCode).toBe(404);
    expect(await auditRows(zone.zoneId, 'project.delete')).toHaveLength(1);
  });
});

describe('projects: phases and timeline', () => {
  it('moves through the phase machine, records each move and refuses impossible ones', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone));
    const move = (body: Record<string, unknown>, client = hq) => client.post(`/api/projects/${p.id}/phase`, body);

    const signed = await move({ version: 1, to: 'signed', on: '2023-04-25' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ phase: 'signed', signedOn: '2023-04-25', version: 2, nextPhases: ['started', 'suspended'], can: { delete: false } });

    const refused = await move({ version: 2, to: 'completed', on: '2023-05-01' });
    expect(refused.statusCode).toBe(400);
    expect(fieldsOf(refused)).toEqual({ to: '项目不能从“签约”变更为“竣工”' });
    const enClient = await signIn(zone, 'hq.cuizhai', 'en');
    expect(fieldsOf(await move({ version: 2, to: 'completed', on: '2023-05-01' }, enClient))).toEqual({ to: 'A project cannot move from Signed to Completed' });
    expect(fieldsOf(await move({ version: 2, to: 'started', on: '2023-04-24' }))).toEqual({ on: '不能早于项目进入“签约”阶段的日期（2023-04-25）' });
    expect(fieldsOf(await move({ version: 2, to: 'started', on: '2099-01-01' }))).toEqual({ on: '不能晚于今天' });
    expect(fieldsOf(await move({ version: 2, to: 'suspended', on: '2023-06-01' }))).toEqual({ reason: '停缓建须填写原因' });
    expect((await move({ version: 1, to: 'started', on: '2023-05-01' })).statusCode).toBe(409);

    expect((await move({ version: 2, to: 'suspended', on: '2023-06-01', reason: '用地规划调整' })).json()).toMatchObject({ phase: 'suspended', suspendedFrom: 'signed', suspendedOn: '2023-06-01' });
    expect(fieldsOf(await move({ version: 3, to: 'started', on: '2023-07-01' }))).toEqual({ to: '停缓建项目只能恢复到停建前的“签约”阶段，不能从“停缓建”变更为“开工”' });
    expect((await move({ version: 3, to: 'signed', on: '2023-07-01' })).json()).toMatchObject({ phase: 'signed', suspendedFrom: null, suspendedOn: null, signedOn: '2023-04-25' });
    expect((await move({ version: 4, to: 'started', on: '2023-08-01' })).json()).toMatchObject({ phase: 'started', startedOn: '2023-08-01', version: 5 });

    const phases = (await hq.get(`/api/projects/${p.id}/phases`)).json().items;
    expect(phases.map((c: { fromPhase: string; toPhase: string; onDate: string }) => `${c.fromPhase}>${c.toPhase}@${c.onDate}`)).toEqual([
      'signed>started@2023-08-01',
      'suspended>signed@2023-07-01',
      'signed>suspended@2023-06-01',
      'pipeline>signed@2023-04-25',
    ]);
    expect(phases[2]).toMatchObject({ reason: '用地规划调整', actor: { id: zone.users['hq.cuizhai'], displayName: '赵振华（演示）' } });
    const moves = await auditRows(zone.zoneId, 'project.phase');
    expect(moves).toHaveLength(4);
    expect(moves[0]).toMatchObject({ entityType: 'project', entityId: p.id });

    // The read-only leader sees the project but cannot move it.
    const leader = await signIn(zone, 'leader');
    expect((await leader.get(`/api/projects/${p.id}`)).json().can).toEqual({ update: false, movePhase: false, report: false, delete: false });
    expect((await move({ version: 5, to: 'operating', on: '2023-09-01' }, leader)).statusCode).toBe(403);
  });

  it('shows every change of the project and its milestones on the timeline, newest first', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone));
    await hq.patch(`/api/projects/${p.id}`, { version: 1, totalInvestment: '37000000000' });
    await hq.post(`/api/projects/${p.id}/phase`, { version: 2, to: 'signed', on: '2023-04-25' });
    const m = (await hq.post(`/api/projects/${p.id}/milestones`, { name: '取得施工许可证', plannedOn: '2023-06-30' })).json();
    await hq.patch(`/api/projects/${p.id}/milestones/${m.id}`, { version: 1, actualOn: '2023-06-28' });
    // Another project's changes stay on its own timeline.
    await create(hq, cuizhaiProject(zone, { code: 'CZ-002' }));

    const res = await hq.get(`/api/projects/${p.id}/timeline`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; summary: string; actorName: string; entityType: string }[];
    expect(items.map((i) => i.action)).toEqual(['milestone.update', 'milestone.create', 'project.phase', 'project.update', 'project.create']);
    expect(items.map((i) => i.summary)).toEqual(['修改节点：取得施工许可证', '新增节点：取得施工许可证', '阶段：储备 → 签约 (2023-04-25)', '修改：总投资', '创建项目']);
    expect(items[0]).toMatchObject({ actorName: '赵振华（演示）', entityType: 'milestone' });
    const en = await signIn(zone, 'leader', 'en');
    expect(((await en.get(`/api/projects/${p.id}/timeline`)).json().items as { summary: string }[]).map((i) => i.summary)).toContain('Phase: Pipeline → Signed (2023-04-25)');
  });
});

describe('projects: list, search, filters, scope', () => {
  async function ledger() {
    const zone = await createZone();
    const cz = await signIn(zone, 'hq.cuizhai');
    const solar = await create(cz, cuizhaiProject(zone, { phase: 'signed', signedOn: '2023-04-25' }));
    const road = await create(cz, cuizhaiProject(zone, { code: 'CZ-002', name: '崔寨片区道路提升工程', enterpriseId: null, industry: 'urban', kind: 'infrastructure', level: 'district', totalInvestment: '120000000', notes: null, address: '崔寨片区' }));
    const h2 = await create(await signIn(zone, 'hq.hydrogen'), hydrogenProject(zone));
    const fzx = await create(await signIn(zone, 'hq.fuzhongxin'), fuzhongxinProject(zone));
    // A 城市副中心 HQ project led by 崔寨街道 (its staff see it, the 崔寨 HQ does not).
    const led = await create(await signIn(zone, 'hq.fuzhongxin'), fuzhongxinProject(zone, { code: 'FZX-002', name: '副中心安置房项目', leadUnitId: zone.units.cuizhai, enterpriseId: null }));
    return { zone, cz, solar, road, h2, fzx, led };
  }

  it('finds two-character Chinese words in name, enterprise, address and notes', async () => {
    const { zone } = await ledger();
    const leader = await signIn(zone, 'leader');
    const q = (text: string) => codes(leader, `q=${encodeURIComponent(text)}`);
    expect(await q('氢能')).toEqual(['QN-001']);
    expect(await q('光伏')).toEqual(['CZ-001']);
    expect(await q('电池')).toEqual(['CZ-001']);
    expect(await q('绿动')).toEqual(['QN-001']);
    expect(await q('国家电投')).toEqual(['QN-001']);
    expect(await q('安置')).toEqual(['FZX-002']);
    expect(await q('崔寨')).toEqual(['CZ-001', 'CZ-002', 'QN-001']);
    expect(await q('电能')).toEqual([]);
    expect(await q('%')).toEqual([]);
    expect(await q('10gw')).toEqual(['CZ-001']);
  });

  it('finds the demo ledger’s hydrogen base by 氢能 and its solar project by 光伏 or 电池', async () => {
    const zone = await createZone({ ledger: true });
    const leader = await signIn(zone, 'leader');
    const names = async (text: string) => {
      const res = await leader.get(`/api/projects?pageSize=500&q=${encodeURIComponent(text)}`);
      expect(res.statusCode).toBe(200);
      return (res.json().items as ProjectDto[]).map((p) => `${p.name}|${p.enterprise?.name ?? ''}`);
    };
    const hydrogen = await names('氢能');
    expect(hydrogen.some((n) => n.endsWith('|国家电投济南绿动氢能科技有限公司'))).toBe(true);
    expect((await names('光伏')).map((n) => n.split('|')[0])).toContain('太阳能高效电池组件项目');
    expect((await names('电池')).map((n) => n.split('|')[0])).toContain('太阳能高效电池组件项目');
  }, 120_000);

  it('filters and sorts the list, and pages it with the total', async () => {
    const { zone, solar } = await ledger();
    const leader = await signIn(zone, 'leader');
    expect(await codes(leader, '')).toEqual(['CZ-001', 'CZ-002', 'FZX-001', 'FZX-002', 'QN-001']);
    expect(await codes(leader, 'phase=signed')).toEqual(['CZ-001']);
    expect(await codes(leader, 'phase=signed&phase=pipeline&level=district')).toEqual(['CZ-002', 'FZX-001', 'FZX-002']);
    expect(await codes(leader, `commandId=${zone.commands.cuizhai}`)).toEqual(['CZ-001', 'CZ-002']);
    expect(await codes(leader, `leadUnitId=${zone.units.cuizhai}`)).toEqual(['CZ-001', 'CZ-002', 'FZX-002']);
    expect(await codes(leader, `leadUnitId=${zone.units.committee}`)).toHaveLength(5);
    expect(await codes(leader, `areaUnitId=${zone.units.area_hydrogen}`)).toEqual(['QN-001']);
    expect(await codes(leader, `clusterUnitId=${zone.units.cluster_daqiao}`)).toEqual(['FZX-001', 'FZX-002']);
    expect(await codes(leader, 'industry=urban&kind=infrastructure')).toEqual(['CZ-002', 'FZX-001', 'FZX-002']);
    expect(await codes(leader, `leaderUserId=${zone.users['hq.cuizhai']}`)).toEqual(['CZ-001', 'CZ-002']);
    expect(await codes(leader, `enterpriseId=${zone.enterprises.hydrogen}`)).toEqual(['QN-001']);
    expect(await codes(leader, 'minInvestment=800000000&maxInvestment=5000000000.00')).toEqual(['FZX-001', 'FZX-002', 'QN-001']);
    expect(await codes(leader, 'sort=totalInvestment&order=desc')).toEqual(['CZ-001', 'QN-001', 'FZX-001', 'FZX-002', 'CZ-002']);
    expect(await codes(leader, 'sort=phase')).toEqual(['CZ-002', 'FZX-001', 'FZX-002', 'QN-001', 'CZ-001']);
    expect(await codes(leader, 'sort=startedOn&order=desc')).toHaveLength(5);
    expect((await codes(leader, 'sort=name')).length).toBe(5);
    const page = (await leader.get('/api/projects?page=2&pageSize=2&sort=code')).json();
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items.map((p: ProjectDto) => p.code)).toEqual(['FZX-001', 'FZX-002']);
    expect((await leader.get('/api/projects?page=9&pageSize=2')).json()).toMatchObject({ total: 5, items: [] });
    expect((await leader.get('/api/projects?sort=bogus')).statusCode).toBe(400);
    expect((await leader.get('/api/projects?minInvestment=1e9')).statusCode).toBe(400);

    // Batch filter: put the solar project in a batch directly (batches have their own module).
    const { services } = await getHarness();
    const { batches, batchProjects } = await import('./projects.schema.ts');
    const [batch] = await services.db.insert(batches).values({ zoneId: zone.zoneId, kind: 'signing', name: '2023年集中签约', heldOn: '2023-04-25' }).returning();
    await services.db.insert(batchProjects).values({ zoneId: zone.zoneId, batchId: batch!.id, projectId: solar.id });
    expect(await codes(leader, `batchId=${batch!.id}`)).toEqual(['CZ-001']);
    expect((await leader.get(`/api/projects/${solar.id}`)).json().batches).toEqual([{ id: batch!.id, name: '2023年集中签约' }]);
  });

  it('computes the figures from monthly reports and flags lagging projects against 序时进度', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const last = (await thisYear()) - 1;
    const make = (code: string) => create(hq, cuizhaiProject(zone, { code, phase: 'started', startedOn: `${last}-01-10`, year: last, yearPlannedInvestment: '1200.00' }));
    const ahead = await make('A');
    const onTrack = await make('B');
    const behind = await make('C');
    await make('D'); // no reports at all: lagging too
    const { services } = await getHarness();
    const report = (projectId: string, month: string, completed: string, funds = '0') =>
      services.db.insert(monthlyReports).values({ zoneId: zone.zoneId, projectId, month, completedInvestment: completed, fundsInPlace: funds, progress: '按计划推进' });
    await report(ahead.id, `${last}-03-01`, '1000.10', '500');
    await report(ahead.id, `${last}-11-01`, '200.00', '100.25');
    await report(ahead.id, `${last - 1}-12-01`, '50.00', '50');
    await report(onTrack.id, `${last}-12-01`, '1200.00');
    await report(behind.id, `${last}-06-01`, '1199.99');

    const a = (await hq.get(`/api/projects/${ahead.id}?year=${last}`)).json() as ProjectDto;
    expect(a).toMatchObject({
      year: last,
      yearPlannedInvestment: '1200.00',
      yearCompletedInvestment: '1200.10',
      yearFundsInPlace: '600.25',
      cumulativeInvestment: '1250.10',
      cumulativeFundsInPlace: '650.25',
      lastReportMonth: `${last}-11`,
      schedule: 'ahead',
    });
    expect((await hq.get(`/api/projects/${onTrack.id}?year=${last}`)).json().schedule).toBe('on_track');
    expect((await hq.get(`/api/projects/${behind.id}?year=${last}`)).json().schedule).toBe('lagging');
    expect(await codes(hq, `lagging=true&year=${last}`)).toEqual(['C', 'D']);
    expect((await hq.get(`/api/projects?lagging=true&year=${last}&pageSize=1`)).json().total).toBe(2);
    // This year has no plans: nothing to lag against.
    expect((await hq.get(`/api/projects/${behind.id}`)).json()).toMatchObject({ schedule: 'no_plan', yearPlannedInvestment: null, yearCompletedInvestment: '0.00', cumulativeInvestment: '1199.99' });
    expect(await codes(hq, 'lagging=true')).toEqual([]);
  });

  it('scopes projects: HQ, lead unit, leader, enterprise; others get 404 and admins 403', async () => {
    const { zone, solar, road, h2, fzx, led } = await ledger();
    const sees = async (user: string) => codes(await signIn(zone, user), '');
    expect(await sees('hq.cuizhai')).toEqual(['CZ-001', 'CZ-002']);
    expect(await sees('hqstaff.cuizhai')).toEqual(['CZ-001', 'CZ-002']);
    expect(await sees('staff.cuizhai')).toEqual(['CZ-001', 'CZ-002', 'FZX-002']);
    expect(await sees('hq.fuzhongxin')).toEqual(['FZX-001', 'FZX-002']);
    expect(await sees('leader')).toEqual(['CZ-001', 'CZ-002', 'FZX-001', 'FZX-002', 'QN-001']);
    expect(await sees('agent.approval')).toHaveLength(5);
    expect(await sees('ent.hydrogen')).toEqual(['QN-001']);

    const hq = await signIn(zone, 'hq.cuizhai');
    expect((await hq.get(`/api/projects/${solar.id}`)).statusCode).toBe(200);
    expect((await hq.get(`/api/projects/${fzx.id}`)).statusCode).toBe(404);
    expect((await hq.get(`/api/projects/${led.id}`)).statusCode).toBe(404);
    expect((await hq.patch(`/api/projects/${fzx.id}`, { version: 1, name: '越权修改' })).statusCode).toBe(404);
    expect((await hq.post(`/api/projects/${fzx.id}/phase`, { version: 1, to: 'signed', on: '2023-04-25' })).statusCode).toBe(404);
    expect((await hq.get(`/api/projects/${fzx.id}/timeline`)).statusCode).toBe(404);
    expect((await hq.get(`/api/projects/${fzx.id}/milestones`)).statusCode).toBe(404);
    // Moving a project out of one's own HQs is refused.
    expect(fieldsOf(await hq.patch(`/api/projects/${road.id}`, { version: 1, commandId: zone.commands.fuzhongxin }))).toEqual({ commandId: '只能选择您所在的指挥部' });

    const staff = await signIn(zone, 'staff.cuizhai');
    expect((await staff.patch(`/api/projects/${led.id}`, { version: 1, notes: '街道补充说明' })).statusCode).toBe(200);

    const contact = await signIn(zone, 'ent.hydrogen');
    expect((await contact.get(`/api/projects/${h2.id}`)).json().can).toEqual({ update: false, movePhase: false, report: false, delete: false });
    expect((await contact.get(`/api/projects/${solar.id}`)).statusCode).toBe(404);
    expect((await contact.patch(`/api/projects/${h2.id}`, { version: 1, name: '企业自改' })).statusCode).toBe(403);

    const leader = await signIn(zone, 'leader');
    expect((await leader.patch(`/api/projects/${solar.id}`, { version: 1, name: '领导修改' })).statusCode).toBe(403);
    expect((await (await signIn(zone, 'sysadmin')).get('/api/projects')).statusCode).toBe(403);
    expect((await (await signIn(zone, 'auditor')).get(`/api/projects/${solar.id}`)).statusCode).toBe(403);

    // Another zone's project is as unknown as a made-up id.
    const other = await createZone();
    const otherLeader = await signIn(other, 'leader');
    expect((await otherLeader.get(`/api/projects/${solar.id}`)).statusCode).toBe(404);
    expect(await codes(otherLeader, '')).toEqual([]);
  });

  it('exports the filtered list with the requested columns in order, formula-like text as text, audited', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    await create(hq, cuizhaiProject(zone, { name: '=HYPERLINK("http://evil.example","点击")', notes: '＋1 全角加号开头' }));
    await create(hq, cuizhaiProject(zone, { code: 'CZ-002', name: '@SUM(1+1)', totalInvestment: '120000000.55' }));
    await create(await signIn(zone, 'hq.fuzhongxin'), fuzhongxinProject(zone));

    const res = await hq.get('/api/projects/export.xlsx?columns=name,code,totalInvestment,notes,phase&sort=code&order=desc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('重点项目台账'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.columnCount).toBe(5);
    const header = [1, 2, 3, 4, 5].map((c) => sheet.getRow(1).getCell(c).text);
    expect(header).toEqual(['项目名称', '项目编号', '总投资（元）', '备注', '项目阶段']);
    expect(sheet.rowCount).toBe(3);
    const first = sheet.getRow(2);
    expect(first.getCell(2).text).toBe('CZ-002');
    expect(first.getCell(1).type).not.toBe(ExcelJS.ValueType.Formula);
    expect(first.getCell(1).text).toBe('@SUM(1+1)');
    expect(first.getCell(3).value).toBe(120000000.55);
    const second = sheet.getRow(3);
    expect(second.getCell(1).type).not.toBe(ExcelJS.ValueType.Formula);
    expect(second.getCell(1).text).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(second.getCell(4).type).not.toBe(ExcelJS.ValueType.Formula);
    expect(second.getCell(5).text).toBe('储备');
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));

    const [audit] = await auditRows(zone.zoneId, 'project.export');
    expect(audit).toMatchObject({ entityType: 'project', actorName: '赵振华（演示）' });
    expect(audit!.after).toMatchObject({ count: 2, columns: ['name', 'code', 'totalInvestment', 'notes', 'phase'] });
    expect((await hq.get('/api/projects/export.xlsx?columns=name,password')).statusCode).toBe(400);
    const all = await hq.get('/api/projects/export.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(all.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).text).toBe('项目编号');
    expect(wb.worksheets[0]!.columnCount).toBeGreaterThan(30);
  });
});

describe('projects: milestones and Gantt', () => {
  it('computes milestone status, edits with versions, and shows a Gantt view of the filtered projects', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const p = await create(hq, cuizhaiProject(zone, { phase: 'started', startedOn: '2023-04-25', plannedStartOn: '2023-04-01', plannedCompletionOn: '2030-12-31' }));
    const url = `/api/projects/${p.id}/milestones`;
    const add = async (body: Record<string, unknown>) => {
      const res = await hq.post(url, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const done = await add({ name: '主体封顶', plannedOn: '2023-09-30', actualOn: '2023-09-28', sortOrder: 1 });
    const late = await add({ name: '设备进场', plannedOn: '2023-10-31', actualOn: '2023-11-15', sortOrder: 2 });
    const overdue = await add({ name: '竣工验收', plannedOn: '2024-01-31', sortOrder: 3 });
    const pending = await add({ name: '达产', plannedOn: '2099-12-31', sortOrder: 4, notes: '远期目标' });
    expect([done.status, late.status, overdue.status, pending.status]).toEqual(['done', 'done_late', 'overdue', 'pending']);
    expect(done).toMatchObject({ version: 1, can: { update: true, delete: true } });
    expect(fieldsOf(await hq.post(url, { name: '未来实际', plannedOn: '2023-01-01', actualOn: '2099-01-01' }))).toEqual({ actualOn: '不能晚于今天' });

    const list = (await hq.get(url)).json().items;
    expect(list.map((m: { name: string }) => m.name)).toEqual(['主体封顶', '设备进场', '竣工验收', '达产']);

    const patched = await hq.patch(`${url}/${overdue.id}`, { version: 1, actualOn: '2024-01-20' });
    expect(patched.json()).toMatchObject({ status: 'done', version: 2 });
    const stale = await hq.patch(`${url}/${overdue.id}`, { version: 1, name: '改名' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('赵振华（演示）');
    expect((await hq.delete(`${url}/${pending.id}?version=1`)).statusCode).toBe(200);
    expect((await hq.get(url)).json().items).toHaveLength(3);

    // Another project's milestone id does not reach through this project.
    const other = await create(hq, cuizhaiProject(zone, { code: 'CZ-002' }));
    expect((await hq.patch(`/api/projects/${other.id}/milestones/${done.id}`, { version: 1, name: 'x' })).statusCode).toBe(404);
    // Read-only roles see milestones but not edit them.
    const leader = await signIn(zone, 'leader');
    expect((await leader.get(url)).json().items[0].can).toEqual({ update: false, delete: false });
    expect((await leader.post(url, { name: 'x', plannedOn: '2024-01-01' })).statusCode).toBe(403);

    const gantt = await hq.get(`/api/projects/gantt?commandId=${zone.commands.cuizhai}`);
    expect(gantt.statusCode).toBe(200);
    const items = gantt.json().items as { project: { code: string; startedOn: string | null; plannedCompletionOn: string | null }; milestones: { status: string }[] }[];
    expect(items.map((i) => i.project.code)).toEqual(['CZ-001', 'CZ-002']);
    expect(items[0]!.project).toMatchObject({ startedOn: '2023-04-25', plannedCompletionOn: '2030-12-31' });
    expect(items[0]!.milestones.map((m) => m.status)).toEqual(['done', 'done_late', 'done']);
    expect(items[1]!.milestones).toEqual([]);
    expect((await hq.get('/api/projects/gantt?phase=completed')).json().items).toEqual([]);
  });
});

describe('projects: the functions the Excel import uses', () => {
  async function callerFor(zone: TestZone, username: string): Promise<Caller> {
    const { services } = await getHarness();
    const { userRoles } = await import('../users/users.schema.ts');
    const { commandMembers } = await import('../org/org.schema.ts');
    const userId = zone.users[username]!;
    const roles = await services.db.select().from(userRoles).where(eq(userRoles.userId, userId));
    const members = await services.db.select().from(commandMembers).where(eq(commandMembers.userId, userId));
    return {
      zoneId: zone.zoneId,
      userId,
      username: zone.username(username),
      displayName: '赵振华（演示）',
      roles: roles.map((r) => r.role as Caller['roles'][number]),
      unitId: zone.units.cuizhai!,
      enterpriseId: null,
      commandIds: members.map((m) => m.commandId),
      ledCommandIds: members.filter((m) => m.memberRole === 'leader').map((m) => m.commandId),
      sessionId: 'test',
      ip: null,
      requestId: 'test',
    };
  }

  it('insertProject and patchProject write rows in the caller’s transaction; findProjectsByCodes finds them', async () => {
    const zone = await createZone();
    const { services: s } = await getHarness();
    const caller = await callerFor(zone, 'hq.cuizhai');
    const year = await thisYear();
    const created = await s.db.transaction(async (tx) => {
      const a = await insertProject(tx, s, caller, { ...cuizhaiProject(zone), level: 'city', phase: 'operating', startedOn: '2023-04-25', operatingOn: '2023-12-20', year, yearPlannedInvestment: '100' });
      const b = await insertProject(tx, s, caller, { ...cuizhaiProject(zone), code: 'CZ-002', level: 'city' });
      // Every bad cell of a row at once, without breaking the transaction.
      const err = await insertProject(tx, s, caller, { ...cuizhaiProject(zone), code: 'CZ-001', level: 'city', industry: 'nope', phase: 'started' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fields.map((f) => `${f.path}:${f.key}`).sort()).toEqual(['code:field.taken', 'industry:field.not_found', 'startedOn:field.project.date_for_phase']);
      const patched = await patchProject(tx, s, caller, b, { name: '改名后的项目', phase: 'signed', signedOn: '2023-05-01' });
      expect(patched).toMatchObject({ name: '改名后的项目', phase: 'signed', signedOn: '2023-05-01', version: 2 });
      return [a, patched];
    });
    expect(created[0]).toMatchObject({ phase: 'operating', version: 1, totalInvestment: '36000000000.00' });
    const found = await findProjectsByCodes(s.db, zone.zoneId, ['CZ-001', 'CZ-002', 'NONE']);
    expect(found.map((r) => r.code).sort()).toEqual(['CZ-001', 'CZ-002']);
    const changes = await s.db.select().from(projectPhaseChanges).where(and(eq(projectPhaseChanges.zoneId, zone.zoneId), eq(projectPhaseChanges.projectId, created[1]!.id)));
    expect(changes).toMatchObject([{ fromPhase: 'pipeline', toPhase: 'signed', onDate: '2023-05-01' }]);
    const rows = await s.db.select().from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.entityId, created[1]!.id)));
    expect(rows.map((r) => r.action).sort()).toEqual(['project.create', 'project.update']);
    // Stale row → 409 naming who changed it.
    const stale = await s.db.transaction((tx) => patchProject(tx, s, caller, { ...created[1]!, version: 1 }, { name: 'x' })).catch((e: unknown) => e);
    expect((stale as AppError).code).toBe('version_conflict');
  });
});
