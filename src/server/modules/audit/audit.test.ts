import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { writeAudit, type AuditActor, type AuditEntry } from '../../audit/audit.ts';
import { queryRows } from '../../db/client.ts';
import { anonymous, createZone, getHarness, signIn, signInAs, type TestZone } from '../../test/harness.ts';
import type { AuditRowDto } from './audit.dto.ts';

async function write(zone: TestZone, actor: Partial<AuditActor>, entry: AuditEntry) {
  const { services } = await getHarness();
  const full: AuditActor = { zoneId: zone.zoneId, actorId: null, actorName: null, actorRole: null, ip: null, requestId: null, ...actor };
  return services.db.transaction((tx) => writeAudit(tx, services.keys.auditKey, full, entry));
}

function shanghaiToday(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

interface Page {
  items: AuditRowDto[];
  total: number;
  page: number;
  pageSize: number;
}

describe('GET /api/audit', () => {
  it('is for the audit admin only', async () => {
    const zone = await createZone();
    expect((await (await anonymous()).get('/api/audit')).statusCode).toBe(401);
    for (const role of ['sys_admin', 'sec_admin', 'zone_leader'] as const) {
      const client = await signInAs(zone, role);
      expect((await client.get('/api/audit')).statusCode).toBe(403);
      expect((await client.get('/api/audit/export.xlsx')).statusCode).toBe(403);
      expect((await client.post('/api/audit/verify')).statusCode).toBe(403);
    }
    expect((await (await signInAs(zone, 'audit_admin')).get('/api/audit')).statusCode).toBe(200);
  });

  it('filters by actor name or username, action, entity, result and day; newest first; paged', async () => {
    const zone = await createZone();
    const leaderId = zone.users.leader!;
    await write(zone, { actorId: leaderId, actorName: '王立新（演示）', actorRole: 'zone_leader' }, { action: 'unit.update', entityType: 'unit', entityId: 'u-1', after: { name: 'a' } });
    await write(zone, { actorName: 'qibu-cli', actorRole: 'system' }, { action: 'user.create', entityType: 'user', entityId: 'x-1' });
    await write(zone, { actorName: 'qibu-cli', actorRole: 'system' }, { action: 'user.disable', entityType: 'user', entityId: 'x-1', result: 'failed' });
    const auditor = await signInAs(zone, 'audit_admin');
    const get = async (query: string) => {
      const res = await auditor.get(`/api/audit?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Page;
    };

    const all = await get('pageSize=500');
    const ats = all.items.map((r) => r.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(all.items[0]).toMatchObject({ action: expect.any(String), chainNo: expect.any(Number), seq: expect.any(Number) });

    expect((await get('actor=立新')).items.map((r) => r.action)).toEqual(['unit.update']);
    // The username of actor_id matches too (the leader signed in as `<prefix>leader`).
    const byUsername = await get(`actor=${encodeURIComponent(zone.username('leader').toUpperCase())}`);
    expect(byUsername.items.map((r) => r.actorId)).toEqual([leaderId]);
    expect((await get('actor=100%25')).total).toBe(0);

    expect((await get('action=user.create')).items.map((r) => r.entityId)).toEqual(['x-1']);
    expect((await get('action=user.*')).items.map((r) => r.action)).toEqual(['user.disable', 'user.create']);
    expect((await get('entityType=user&entityId=x-1&result=failed')).items.map((r) => r.action)).toEqual(['user.disable']);
    expect((await get('entityType=unit&entityId=u-1')).items[0]).toMatchObject({ actorName: '王立新（演示）', actorRole: 'zone_leader', after: { name: 'a' }, before: null, result: 'ok' });

    // Days are inclusive; empty parameters (as a web form sends them) mean no filter.
    expect((await get(`from=${shanghaiToday()}&to=${shanghaiToday()}&actor=&result=`)).total).toBe(all.total);
    expect((await get(`to=${shanghaiToday(-1)}`)).total).toBe(0);
    expect((await get(`from=${shanghaiToday(1)}`)).total).toBe(0);

    const page2 = await get('pageSize=2&page=2');
    expect(page2).toMatchObject({ page: 2, pageSize: 2, total: all.total });
    expect(page2.items.map((r) => r.seq + ':' + r.chainNo)).toEqual(all.items.slice(2, 4).map((r) => r.seq + ':' + r.chainNo));
  });

  it('rejects impossible dates, reversed ranges and unknown parameters', async () => {
    const zone = await createZone();
    const auditor = await signInAs(zone, 'audit_admin', 'en');
    const bad = await auditor.get('/api/audit?from=2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: 'from', message: 'Wrong format (YYYY-MM-DD)' }]);
    const reversed = await auditor.get('/api/audit?from=2026-03-02&to=2026-03-01');
    expect(reversed.json().error.fields).toEqual([{ path: 'to', message: 'The end date cannot be before the start date' }]);
    expect((await auditor.get('/api/audit?from=2026/03/01')).statusCode).toBe(400);
    expect((await auditor.get('/api/audit?zoneId=x')).statusCode).toBe(400);
  });

  it("shows only the caller's zone", async () => {
    const zoneA = await createZone();
    const zoneB = await createZone();
    await write(zoneB, { actorId: zoneB.users.leader!, actorName: 'B的人' }, { action: 'unit.update', entityType: 'unit', entityId: 'b-unit' });
    await signIn(zoneB, 'leader');
    const auditorA = await signInAs(zoneA, 'audit_admin');
    const page = (await auditorA.get('/api/audit?pageSize=500')).json() as Page;
    expect(page.items.length).toBeGreaterThan(0);
    const { services } = await getHarness();
    const bRows = await queryRows<{ n: number }>(services.db, sql`select count(*)::int as n from audit_log where zone_id = ${zoneB.zoneId}`);
    expect(bRows[0]!.n).toBeGreaterThan(0);
    expect(page.items.every((r) => r.entityId !== 'b-unit' && r.actorId !== zoneB.users.leader)).toBe(true);
    expect(((await auditorA.get('/api/audit?entityId=b-unit')).json() as Page).total).toBe(0);
    // Zone B's usernames do not match zone A's rows either.
    expect(((await auditorA.get(`/api/audit?actor=${encodeURIComponent(zoneB.username('leader'))}`)).json() as Page).total).toBe(0);
  });
});

describe('GET /api/audit/export.xlsx', () => {
  it('exports the filtered rows and audits the export', async () => {
    const zone = await createZone();
    await write(zone, { actorName: '=HYPERLINK("x")', actorRole: 'system' }, { action: 'unit.update', entityType: 'unit', entityId: 'e-1', after: { n: 1 } });
    await write(zone, { actorName: 'other' }, { action: 'unit.update', entityType: 'unit', entityId: 'e-2' });
    const auditor = await signInAs(zone, 'audit_admin');
    const res = await auditor.get('/api/audit/export.xlsx?entityId=e-1&page=1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(1).getCell(1).value).toBe('时间');
    // Formula-like text stays text.
    expect(sheet.getRow(2).getCell(2).formula).toBeUndefined();
    expect(sheet.getRow(2).getCell(12).value).toBe('{"n":1}');

    const after = ((await auditor.get('/api/audit?action=audit.export')).json() as Page).items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ entityType: 'audit_log', after: { filters: { entityId: 'e-1' }, rows: 1 }, actorName: '陈审计（演示）' });
  });
});

describe('POST /api/audit/verify', () => {
  it("verifies the zone's chains, names a tampered row, and is audited", async () => {
    const zone = await createZone();
    const target = await write(zone, { actorName: 't' }, { action: 'unit.update', entityType: 'unit', entityId: 'v-1', after: { i: 1 } });
    await write(zone, { actorName: 't' }, { action: 'unit.update', entityType: 'unit', entityId: 'v-1', after: { i: 2 } });
    const auditor = await signInAs(zone, 'audit_admin');
    const clean = await auditor.post('/api/audit/verify');
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toMatchObject({ problems: [], rowsChecked: expect.any(Number), chainsChecked: expect.any(Number) });
    expect(clean.json().rowsChecked).toBeGreaterThanOrEqual(3);

    const { services } = await getHarness();
    await services.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(sql`update audit_log set after = '{"i":9}' where zone_id = ${zone.zoneId} and chain_no = ${target.chainNo} and seq = ${target.seq}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });
    const broken = (await auditor.post('/api/audit/verify')).json();
    expect(broken.problems).toEqual([{ chainNo: target.chainNo, seq: target.seq, kind: 'altered', detail: expect.stringContaining('unit.update') }]);

    const verifications = ((await auditor.get('/api/audit?action=audit.verify')).json() as Page).items;
    expect(verifications.map((r) => r.result)).toEqual(['failed', 'ok']);
  });
});
