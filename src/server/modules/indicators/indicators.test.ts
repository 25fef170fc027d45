import { describe, expect, it } from 'vitest';
import { createZone, signIn, signInAs, type Client, type TestZone } from '../../test/harness.ts';
import { auditRows, fieldsOf, readSheet } from '../org/org.testkit.ts';

/** Economic indicators through the API (docs/api-indicators.md): entry, ranks, the demo month, who may do what. */

interface Defs {
  indicators: { id: string; code: string; name: string; publishesValue: boolean; version: number }[];
  districts: { id: string; name: string; kind: string; version: number }[];
}

async function defs(client: Client): Promise<{ ind: (code: string) => string; dist: (name: string) => string; raw: Defs }> {
  const res = await client.get('/api/indicators/definitions');
  expect(res.statusCode).toBe(200);
  const raw = res.json() as Defs;
  return {
    raw,
    ind: (code) => raw.indicators.find((i) => i.code === code)!.id,
    dist: (name) => raw.districts.find((d) => d.name === name)!.id,
  };
}

type Item = {
  indicator: { code: string };
  month: number | null;
  value: string | null;
  growth: string | null;
  growthSource: string | null;
  growthRank: { rank: number | null; of: number; missing: number };
  valueRank: { rank: number | null; of: number; missing: number } | null;
  series: { month: number; growth: string | null; growthRank: number | null; cityGrowth: string | null }[];
  districts: { name: string; kind: string; growth: string | null; growthRank: number | null }[];
};

async function overview(client: Client, query = ''): Promise<{ year: number; month: number; period: string; districtCount: number; items: Item[]; can: { edit: boolean } }> {
  const res = await client.get(`/api/indicators${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const item = (o: { items: Item[] }, code: string) => o.items.find((i) => i.indicator.code === code)!;

describe('economic indicators', () => {
  it('ranks the demo zone near the top of the city for January–May 2023 (hand-computed)', async () => {
    const zone = await createZone({ ledger: true });
    const leader = await signIn(zone, 'leader');
    // Without a period: the latest with a figure of the zone.
    const o = await overview(leader);
    expect(o).toMatchObject({ year: 2023, month: 5, period: '2023年1-5月', districtCount: 14 });

    // GDP is quarterly: 1—3月. 2023: 51.26; 2022: 51.26 / 1.096 = 46.7701… → 46.77; (51.26 − 46.77) / 46.77 = 9.6002…% → 9.60.
    expect(item(o, 'gdp')).toMatchObject({ month: 3, value: '51.26', growth: '9.60', growthSource: 'computed', growthRank: { rank: 2, of: 14, missing: 0 } });
    // By value the young zone is the smallest of the 14.
    expect(item(o, 'gdp').valueRank).toEqual({ rank: 14, of: 14, missing: 0 });
    // Retail 1—5月: 31.70 against 28.15 (31.70 / 1.126 = 28.1527…) → 3.55 / 28.15 = 12.6110…% → 12.61; 高新区 11.3 next → 1st.
    expect(item(o, 'retail_sales')).toMatchObject({ month: 5, value: '31.7', growth: '12.61', growthRank: { rank: 1, of: 14 } });
    // Budget revenue: 17.95 against 15.02 → 2.93 / 15.02 = 19.5073…% → 19.51; 高新区 21.5 ahead → 2nd.
    expect(item(o, 'budget_revenue')).toMatchObject({ growth: '19.51', growthRank: { rank: 2, of: 14 } });
    // Foreign capital: 7350 against 5501.50 → 1848.5 / 5501.5 = 33.5999…% → 33.60; 济阳区 46.2 and 历城区 35.8 ahead → 3rd.
    expect(item(o, 'foreign_capital')).toMatchObject({ growth: '33.60', growthRank: { rank: 3, of: 14 } });
    // Growth only: entered; no value rank.
    expect(item(o, 'fixed_asset_investment')).toMatchObject({ value: null, growth: '21.70', growthSource: 'entered', growthRank: { rank: 1, of: 14 }, valueRank: null });
    expect(item(o, 'industrial_value_added').growthRank.rank).toBe(2);
    // The city is shown, never ranked; the series runs over the months of the year, January without 1—2月 figures.
    const fai = item(o, 'fixed_asset_investment');
    expect(fai.districts.find((d) => d.kind === 'city')).toMatchObject({ name: '全市', growth: '6.10', growthRank: null });
    expect(fai.series.map((p) => p.month)).toEqual([1, 2, 3, 4, 5]);
    expect(fai.series[0]).toMatchObject({ growth: null, growthRank: null, cityGrowth: null });
    expect(fai.series[4]).toMatchObject({ growth: '21.70', growthRank: 1, cityGrowth: '6.10' });
    for (const i of o.items) expect(i.growthRank.rank, i.indicator.code).toBeLessThanOrEqual(3);

    // The same table for another period: 1—3月.
    const march = await overview(leader, '?year=2023&month=3');
    expect(item(march, 'gdp')).toMatchObject({ month: 3, growth: '9.60' });
    expect(item(march, 'retail_sales').series).toHaveLength(3);
  });

  it('enters figures with audit, computes the growth exactly, and refuses a stale version', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    const d = await defs(leader);
    const gdp = d.ind('gdp');
    const self = d.dist('起步区');
    const base = { indicatorId: gdp, districtId: self, month: 5 };

    // 2023 1—5月 120.50 against 2022 1—5月 108.00 → 11.57%.
    let res = await leader.post('/api/indicators', { entries: [{ ...base, year: 2022, value: '108.00' }, { ...base, year: 2023, value: '120.50' }] });
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json().saved as { id: string; year: number; value: string; growth: string | null; growthSource: string | null; version: number; source: string; updatedBy: { displayName: string } }[];
    const y2023 = saved.find((f) => f.year === 2023)!;
    expect(y2023).toMatchObject({ value: '120.5', growth: '11.57', growthSource: 'computed', version: 1, source: 'manual', updatedBy: { displayName: '王立新（演示）' } });
    expect(saved.find((f) => f.year === 2022)).toMatchObject({ value: '108', growth: null, growthSource: null });
    const created = await auditRows(zone.zoneId, 'indicator_value.create');
    expect(created).toHaveLength(2);
    expect(created.find((a) => a.entityId === y2023.id)!.after).toMatchObject({ indicator: 'gdp', district: '起步区', year: 2023, month: 5, value: '120.5', growth: '11.57', growthSource: 'computed' });

    // An edit needs the version it was based on.
    res = await leader.post('/api/indicators', { entries: [{ ...base, year: 2023, value: '121.00', version: 1 }] });
    expect(res.statusCode, res.body).toBe(200);
    // 13.00 / 108.00 = 12.037…% → 12.04
    expect(res.json().saved[0]).toMatchObject({ value: '121', growth: '12.04', version: 2 });
    const [update] = await auditRows(zone.zoneId, 'indicator_value.update');
    expect(update!.before).toMatchObject({ value: '120.5', growth: '11.57', version: 1 });
    expect(update!.after).toMatchObject({ value: '121', growth: '12.04', version: 2 });

    const staff = await signIn(zone, 'staff.cuizhai');
    res = await staff.post('/api/indicators', { entries: [{ ...base, year: 2023, value: '122.00', version: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('王立新（演示）');
    // A new figure named with a version, or an existing one without: 409 too.
    res = await staff.post('/api/indicators', { entries: [{ ...base, year: 2023, value: '122.00' }] });
    expect(res.statusCode).toBe(409);

    // Changing last year's value recomputes this year's computed growth: 121 / 110 − 1 = 10.00%.
    res = await staff.post('/api/indicators', { entries: [{ ...base, year: 2022, value: '110', version: 1 }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().recomputed).toBe(1);
    const values = await leader.get('/api/indicators/values?year=2023&month=5');
    expect(values.json().items).toEqual([expect.objectContaining({ value: '121', growth: '10.00', growthSource: 'computed', version: 3 })]);
    expect(await auditRows(zone.zoneId, 'indicator_value.recompute')).toHaveLength(1);

    // An entered growth wins over the computed one; leaving it out again brings the computed one back.
    res = await leader.post('/api/indicators', { entries: [{ ...base, year: 2023, value: '121', growth: '9.9', version: 3 }] });
    expect(res.json().saved[0]).toMatchObject({ growth: '9.90', growthSource: 'entered', version: 4 });
    res = await leader.post('/api/indicators', { entries: [{ ...base, year: 2023, value: '121', version: 4 }] });
    expect(res.json().saved[0]).toMatchObject({ growth: '10.00', growthSource: 'computed', version: 5 });

    // Neither value nor growth deletes the figure (with its version); its growth is gone from the table.
    res = await leader.post('/api/indicators', { entries: [{ ...base, year: 2023, version: 5 }] });
    expect(res.json()).toMatchObject({ saved: [], deleted: 1 });
    expect((await auditRows(zone.zoneId, 'indicator_value.delete'))[0]!.before).toMatchObject({ value: '121', year: 2023 });
    expect(item(await overview(leader, '?year=2023&month=5'), 'gdp')).toMatchObject({ growth: null, growthRank: { rank: null, of: 0, missing: 14 } });
  });

  it('validates entries: growth-only indicators, future periods, unknown records, duplicates, formats', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    const d = await defs(leader);
    const fai = d.ind('fixed_asset_investment');
    const self = d.dist('起步区');
    const res = await leader.post('/api/indicators', {
      entries: [
        { indicatorId: fai, districtId: self, year: 2023, month: 5, value: '10', growth: '5' },
        { indicatorId: fai, districtId: self, year: 2099, month: 1, growth: '5' },
        { indicatorId: '6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', districtId: self, year: 2023, month: 4, growth: '5' },
        { indicatorId: fai, districtId: self, year: 2023, month: 3 },
        { indicatorId: fai, districtId: self, year: 2023, month: 5, growth: '6' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toMatchObject({
      'entries.0.value': '该指标只公布增速，请只填同比增长',
      'entries.1.month': expect.stringContaining('尚未结束'),
      'entries.2.indicatorId': '引用的记录不存在',
      'entries.3.value': '请填写本期累计或同比增长',
      'entries.4.month': '与第1条是同一指标、地区和统计期',
    });
    // Formats: 3 decimals of growth, negative values.
    const bad = await leader.post('/api/indicators', { entries: [{ indicatorId: fai, districtId: self, year: 2023, month: 5, growth: '1.234' }] });
    expect(bad.statusCode).toBe(400);
    const neg = await leader.post('/api/indicators', { entries: [{ indicatorId: d.ind('gdp'), districtId: self, year: 2023, month: 5, value: '-1' }] });
    expect(neg.statusCode).toBe(400);
    // Nothing was written.
    expect((await leader.get('/api/indicators/values?year=2023&month=5')).json().items).toEqual([]);
  });

  it('ranks by growth with ties sharing a rank and districts without a figure left out', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    const d = await defs(leader);
    const fai = d.ind('fixed_asset_investment');
    const growths: [string, string][] = [
      ['起步区', '12.3'],
      ['历下区', '8.1'],
      ['高新区', '12.30'],
      ['章丘区', '5.0'],
      ['全市', '20'],
    ];
    const res = await leader.post('/api/indicators', { entries: growths.map(([name, growth]) => ({ indicatorId: fai, districtId: d.dist(name), year: 2023, month: 4, growth })) });
    expect(res.statusCode, res.body).toBe(200);
    const o = await overview(leader, '?year=2023&month=4');
    const it = item(o, 'fixed_asset_investment');
    // [12.3, 8.1, 12.3, 5.0] → [1, 3, 1, 4]; the city's 20% is not ranked; 10 districts have no figure.
    expect(it.growthRank).toEqual({ rank: 1, of: 4, missing: 10 });
    const rankOf = (name: string) => it.districts.find((x) => x.name === name)!.growthRank;
    expect(['起步区', '历下区', '高新区', '章丘区', '全市', '市中区'].map(rankOf)).toEqual([1, 3, 1, 4, null, null]);
    // A month with no figure of the zone shows the latest month before it that has one.
    const may = item(await overview(leader, '?year=2023&month=6'), 'fixed_asset_investment');
    expect(may).toMatchObject({ month: 4, growth: '12.30' });
  });

  it('edits the lists of indicators and districts, with versions', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.daqiao');
    let res = await staff.post('/api/indicators/definitions', { code: 'exports', name: '进出口总额', unit: '亿元', sortOrder: 10 });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await staff.post('/api/indicators/definitions', { code: 'exports', name: '出口', unit: '亿元' })).statusCode).toBe(400);
    res = await staff.patch(`/api/indicators/definitions/${id}`, { version: 1, publishesValue: false, active: false });
    expect(res.json()).toMatchObject({ publishesValue: false, active: false, version: 2 });
    expect((await staff.patch(`/api/indicators/definitions/${id}`, { version: 1, name: '进出口' })).statusCode).toBe(409);
    expect((await auditRows(zone.zoneId, 'indicator.update'))[0]!.before).toMatchObject({ active: true });
    // Inactive: not in the table.
    expect((await overview(staff)).items.map((i) => i.indicator.code)).not.toContain('exports');

    res = await staff.post('/api/indicators/districts', { name: '南部山区', sortOrder: 20 });
    expect(res.json()).toMatchObject({ name: '南部山区', kind: 'district' });
    // One zone of its own and one city only.
    expect(fieldsOf(await staff.post('/api/indicators/districts', { name: '另一个起步区', kind: 'self' }))).toEqual({ kind: '已被使用' });
    expect((await overview(staff)).districtCount).toBe(15);
  });

  it('lets only the zone’s business roles read, and leaders and unit staff write', async () => {
    const zone = await createZone();
    for (const role of ['enterprise_contact', 'sys_admin', 'audit_admin'] as const) {
      const c = await signInAs(zone, role);
      expect((await c.get('/api/indicators')).statusCode, role).toBe(403);
    }
    const hq = await signIn(zone, 'hq.cuizhai');
    const o = await overview(hq);
    expect(o.can.edit).toBe(false);
    const d = await defs(hq);
    expect((await hq.post('/api/indicators', { entries: [{ indicatorId: d.ind('gdp'), districtId: d.dist('起步区'), year: 2023, month: 3, value: '1' }] })).statusCode).toBe(403);
    expect((await hq.get('/api/indicators/template.xlsx')).statusCode).toBe(403);
    expect((await overview(await signIn(zone, 'staff.cuizhai'))).can.edit).toBe(true);
    // Another zone's records are unknown here.
    const other = await createZone();
    const otherDefs = await defs(await signIn(other, 'leader'));
    const leader = await signIn(zone, 'leader');
    expect((await leader.patch(`/api/indicators/definitions/${otherDefs.ind('gdp')}`, { version: 1, name: 'x' })).statusCode).toBe(404);
    const cross = await leader.post('/api/indicators', { entries: [{ indicatorId: otherDefs.ind('gdp'), districtId: otherDefs.dist('起步区'), year: 2023, month: 3, value: '1' }] });
    expect(cross.statusCode).toBe(400);
    expect(fieldsOf(cross)).toMatchObject({ 'entries.0.indicatorId': '引用的记录不存在', 'entries.0.districtId': '引用的记录不存在' });
  });

  it('exports a year up to a month in the bureau’s layout, audited', async () => {
    const zone: TestZone = await createZone({ ledger: true });
    const leader = await signIn(zone, 'leader');
    const res = await leader.get('/api/indicators/export.xlsx?year=2023&month=5');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('经济指标_2023年1-5月.xlsx'));
    const rows = await readSheet(res);
    expect(rows[0]!.slice(0, 5)).toEqual(['指标名称', '计量单位', '全市', '全市', '起步区']);
    expect(rows[1]!.slice(2, 4)).toEqual(['本期累计', '同比增长(%)']);
    const retail = rows.find((r) => r[0] === '社会消费品零售总额')!;
    expect(retail.slice(4, 6)).toEqual(['31.7', '12.61']);
    expect(await auditRows(zone.zoneId, 'indicator.export')).toHaveLength(1);
  });
});
