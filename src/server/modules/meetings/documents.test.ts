import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../audit/audit.schema.ts';
import { docxText, hasPoppler, pdfText, unzip } from '../../lib/documents/documents.testkit.ts';
import { anonymous, createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import { commandMembers } from '../org/org.schema.ts';
import { resetClock, setNow } from '../problems/problems.testkit.ts';
import { users } from '../users/users.schema.ts';
import { foldLine, icsText, writeCalendar } from './ics.ts';

const flat = (s: string) => s.replace(/\s+/g, '');
const withPoppler = it.runIf(hasPoppler || process.env.CI);
const hasSoffice = spawnSync('soffice', ['--version'], { timeout: 60_000 }).status === 0;

interface Meeting {
  id: string;
  title: string;
  version: number;
  status: string;
  minutesVersion: number;
  decisions: { seq: number; problem: { code: string } | null }[];
  minutesVersions: { minutesVersion: number; documentNumber: string }[];
}

beforeAll(async () => {
  await getHarness();
});
afterEach(resetClock);

async function plan(client: Client, zone: TestZone, startsAt: string, extra: Record<string, unknown> = {}): Promise<Meeting> {
  const res = await client.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'regular', startsAt, place: '崔寨指挥部会议室', chairUserId: zone.users['hq.cuizhai'], ...extra });
  if (res.statusCode !== 201) throw new Error(`plan failed ${res.statusCode} ${res.body}`);
  return res.json() as Meeting;
}

async function patch(client: Client, m: { id: string; version: number }, body: Record<string, unknown>): Promise<Meeting> {
  const res = await client.patch(`/api/meetings/${m.id}`, { version: m.version, ...body });
  if (res.statusCode !== 200) throw new Error(`patch failed ${res.statusCode} ${res.body}`);
  return res.json() as Meeting;
}

async function issue(client: Client, m: { id: string; version: number }): Promise<Meeting> {
  const res = await client.post(`/api/meetings/${m.id}/issue`, { version: m.version });
  if (res.statusCode !== 200) throw new Error(`issue failed ${res.statusCode} ${res.body}`);
  return res.json() as Meeting;
}

const DECISION = '凤凰黄河大桥下桥口北侧大棚扇墙由崔寨街道牵头拆除，规划建设部配合。';
const TASK = '下周例会前报送片区道路网施工计划。';

/**
 * 崔寨片区建设指挥部第一次例会 on Tuesday 2026-03-10, 14:00 in Shanghai: an agenda item with minutes, attendance
 * (present, absent with a reason, a substitute), a decision that became a problem (5 working days: 2026-03-17)
 * and a task due 2026-03-20; issued the same day as 崔寨片区指挥部纪〔2026〕1号.
 */
async function heldAndIssued(zone: TestZone): Promise<{ hq: Client; m: Meeting; problemCode: string }> {
  await setNow('2026-03-10T01:00:00Z');
  const hq = await signIn(zone, 'hq.cuizhai');
  let m = await plan(hq, zone, '2026-03-10T06:00:00Z', { invitees: { unitIds: [zone.units.cuizhai, zone.units.planning] } });
  m = await patch(hq, m, {
    agenda: [{ kind: 'custom', title: '片区征迁清表推进情况', presenterUnitId: zone.units.cuizhai, presenterUserId: zone.users['staff.cuizhai'], minutes: '崔寨街道汇报片区征迁进度。\n大桥下桥口周边仍有大棚和违建。' }],
    summary: '会议听取了片区征迁清表情况汇报。',
    attendance: [
      { userId: zone.users['hq.cuizhai'], status: 'present' },
      { userId: zone.users['staff.cuizhai'], status: 'present' },
      { userId: zone.users['staff.daqiao'], status: 'absent', reason: '外出招商' },
      { userId: zone.users['hqstaff.cuizhai'], status: 'substitute', substituteName: '刘代会（演示）' },
    ],
  });
  let res = await hq.post(`/api/meetings/${m.id}/decisions`, { text: DECISION, kind: 'problem', category: 'site_clearing', leadUnitId: zone.units.cuizhai, cooperatingUnitIds: [zone.units.planning], deadlineWorkdays: 5 });
  expect(res.statusCode, res.body).toBe(201);
  const problemCode = (res.json() as { problem: { code: string } }).problem.code;
  res = await hq.post(`/api/meetings/${m.id}/decisions`, { text: TASK, kind: 'task', leadUnitId: zone.units.planning, deadline: '2026-03-20' });
  expect(res.statusCode, res.body).toBe(201);
  m = (await hq.get(`/api/meetings/${m.id}`)).json() as Meeting;
  m = await issue(hq, m);
  expect(m.minutesVersions.map((v) => v.documentNumber)).toEqual(['崔寨片区指挥部纪〔2026〕1号']);
  return { hq, m, problemCode };
}

async function exportsOf(zoneId: string, id: string) {
  const { services } = await getHarness();
  return services.db
    .select({ after: auditLog.after, actorName: auditLog.actorName })
    .from(auditLog)
    .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.entityId, id), eq(auditLog.action, 'meeting.document.export')));
}

describe('会议纪要 (minutes)', () => {
  it('is a Word file in the 纪要 layout from the issued version: masthead, number, date, attendance by unit, items, decisions with units and deadlines', async () => {
    const zone = await createZone();
    const { hq, m, problemCode } = await heldAndIssued(zone);
    const res = await hq.get(`/api/meetings/${m.id}/minutes.docx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('会议纪要_崔寨片区建设指挥部第一次例会.docx')}`);
    expect(res.headers['cache-control']).toBe('no-store');
    const parts = await unzip(res.rawPayload);
    expect(parts.has('word/document.xml')).toBe(true);
    const text = await docxText(res.rawPayload);
    for (const s of [
      '崔寨片区建设指挥部会议纪要',
      '崔寨片区指挥部纪〔2026〕1号',
      '二〇二六年三月十日',
      '崔寨片区建设指挥部第一次例会纪要',
      '2026年3月10日 14:00—15:30',
      '崔寨指挥部会议室',
      '赵振华（演示）',
      '崔寨街道 孙晓燕（演示）、赵振华（演示）',
      '刘代会（演示）（代褚明（演示））',
      '大桥街道 周海涛（演示）（外出招商）',
      '会议听取了片区征迁清表情况汇报。',
      '一、会议议题',
      '（一）片区征迁清表推进情况',
      '崔寨街道 孙晓燕（演示）',
      '大桥下桥口周边仍有大棚和违建。',
      '二、会议议定事项',
      DECISION,
      '牵头单位：崔寨街道；配合单位：规划建设部；完成时限：2026年3月17日；问题编号：',
      problemCode,
      TASK,
      '牵头单位：规划建设部；配合单位：无；完成时限：2026年3月20日。',
      '2026年3月10日印发',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain('征求意见稿');
  });

  withPoppler('is a PDF whose Chinese renders: title, number and decisions', async () => {
    const zone = await createZone();
    const { hq, m } = await heldAndIssued(zone);
    const res = await hq.get(`/api/meetings/${m.id}/minutes.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('会议纪要_崔寨片区建设指挥部第一次例会.pdf'));
    const text = flat(pdfText(res.rawPayload));
    for (const s of ['崔寨片区建设指挥部会议纪要', '崔寨片区指挥部纪〔2026〕1号', '崔寨片区建设指挥部第一次例会纪要', '会议议定事项', DECISION, TASK, '2026年3月17日']) {
      expect(text, s).toContain(flat(s));
    }
  });

  it('keeps an older version downloadable unchanged after a revision is issued', async () => {
    const zone = await createZone();
    const { hq, m: issued } = await heldAndIssued(zone);
    const v1 = await docxText((await hq.get(`/api/meetings/${issued.id}/minutes.docx`)).rawPayload);
    let m = await patch(hq, issued, { summary: '会议强调，各单位要倒排工期、挂图作战。', revisionReason: '补充指挥长讲话要点' });
    // Changed but not yet issued again: the download is still version 1.
    expect(await docxText((await hq.get(`/api/meetings/${m.id}/minutes.docx`)).rawPayload)).toBe(v1);
    m = await issue(hq, m);
    expect(m.minutesVersion).toBe(2);

    const latest = await hq.get(`/api/meetings/${m.id}/minutes.docx`);
    expect(latest.headers['content-disposition']).toContain(encodeURIComponent('会议纪要_崔寨片区建设指挥部第一次例会_第2版.docx'));
    const v2 = await docxText(latest.rawPayload);
    expect(v2).toContain('崔寨片区指挥部纪〔2026〕1号（第2版）');
    expect(v2).toContain('会议强调，各单位要倒排工期、挂图作战。');
    expect(v2).toContain('本纪要为第2版，修订原因：补充指挥长讲话要点。');
    expect(v2).not.toContain('会议听取了片区征迁清表情况汇报。');

    const old = await hq.get(`/api/meetings/${m.id}/minutes.docx?version=1`);
    expect(old.statusCode, old.body).toBe(200);
    expect(await docxText(old.rawPayload)).toBe(v1);
    expect((await hq.get(`/api/meetings/${m.id}/minutes.docx?version=3`)).statusCode).toBe(404);
    const both = await hq.get(`/api/meetings/${m.id}/minutes.docx?version=1&draft=true`);
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields[0].path).toBe('draft');
  });

  it('marks a never-issued meeting’s minutes as a draft (征求意见稿) for the chair to preview, and ?draft=true previews a pending revision', async () => {
    const zone = await createZone();
    await setNow('2026-03-10T01:00:00Z');
    const hq = await signIn(zone, 'hq.cuizhai');
    let m = await plan(hq, zone, '2026-03-10T06:00:00Z');
    m = await patch(hq, m, { agenda: [{ kind: 'custom', title: '道路网一期工程开工准备', minutes: '规划建设部汇报开工准备情况。' }] });
    const res = await hq.get(`/api/meetings/${m.id}/minutes.docx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('会议纪要_崔寨片区建设指挥部第一次例会_征求意见稿.docx'));
    const text = await docxText(res.rawPayload);
    expect(text).toContain('征求意见稿');
    expect(text).toContain('草稿');
    expect(text).toContain('道路网一期工程开工准备');
    expect(text).not.toContain('纪〔');
    expect(text).not.toMatch(/\d日印发/);
    // No issued version 1 yet.
    expect((await hq.get(`/api/meetings/${m.id}/minutes.pdf?version=1`)).statusCode).toBe(404);

    m = await issue(hq, m);
    m = await patch(hq, m, { summary: '待印发的补充内容。', revisionReason: '补充' });
    const preview = await docxText((await hq.get(`/api/meetings/${m.id}/minutes.docx?draft=true`)).rawPayload);
    expect(preview).toContain('征求意见稿');
    expect(preview).toContain('待印发的补充内容。');
    expect(await docxText((await hq.get(`/api/meetings/${m.id}/minutes.docx`)).rawPayload)).not.toContain('待印发的补充内容。');
  });

  it.runIf(hasSoffice)(
    'opens in LibreOffice: the .docx converts to PDF with the title in it',
    async () => {
      const zone = await createZone();
      const { hq, m } = await heldAndIssued(zone);
      const res = await hq.get(`/api/meetings/${m.id}/minutes.docx`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-soffice-'));
      try {
        const file = path.join(dir, 'minutes.docx');
        fs.writeFileSync(file, res.rawPayload);
        // A profile of its own, so a LibreOffice already running elsewhere does not take the job.
        const run = spawnSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 150_000, encoding: 'utf8' });
        expect(run.status, run.stderr).toBe(0);
        const pdf = fs.readFileSync(path.join(dir, 'minutes.pdf'));
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        if (hasPoppler) expect(flat(pdfText(pdf))).toContain(flat('崔寨片区建设指挥部第一次例会纪要'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

describe('签到表 (attendance sheet)', () => {
  it('lists the invited units’ people, the HQ’s members and anyone recorded, with a blank signature column', async () => {
    const zone = await createZone();
    await setNow('2026-04-01T01:00:00Z');
    const hq = await signIn(zone, 'hq.cuizhai');
    let m = await plan(hq, zone, '2026-04-07T01:30:00Z', { invitees: { unitIds: [zone.units.daqiao] } });
    m = await patch(hq, m, { attendance: [{ userId: zone.users['staff.planning'], status: 'present' }] });
    for (const format of ['docx', 'pdf'] as const) {
      if (format === 'pdf' && !hasPoppler && !process.env.CI) continue;
      const res = await hq.get(`/api/meetings/${m.id}/attendance-sheet.${format}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent(`签到表_崔寨片区建设指挥部第一次例会.${format}`));
      const text = format === 'pdf' ? pdfText(res.rawPayload) : await docxText(res.rawPayload);
      for (const s of ['崔寨片区建设指挥部第一次例会签到表', '序号', '单位', '姓名', '状态', '签名', '大桥街道', '周海涛（演示）', '赵振华（演示）', '褚明（演示）', '韦建国（演示）', '2026年4月7日 09:30—11:00', '崔寨指挥部会议室']) {
        expect(flat(text), `${format}: ${s}`).toContain(flat(s));
      }
      // 崔寨街道 is not invited; system administrators are nobody's attendees.
      expect(text).not.toContain('孙晓燕');
      expect(text).not.toContain('郑系统');
    }
    const text = await docxText((await hq.get(`/api/meetings/${m.id}/attendance-sheet.docx`)).rawPayload);
    expect(text).toContain('出席');
    expect(text).toMatch(/应到人数\s*5人/);
  });
});

describe('who may print', () => {
  it('answers 404 out of scope, 403 to roles without meetings, and audits each download', async () => {
    const zone = await createZone();
    const { hq, m } = await heldAndIssued(zone);
    // 崔寨街道 is invited; 大桥街道 is not, and the 氢能 HQ's commander does not see 崔寨's meetings.
    expect((await (await signIn(zone, 'staff.cuizhai')).get(`/api/meetings/${m.id}/minutes.pdf`)).statusCode).toBe(200);
    for (const who of ['staff.daqiao', 'hq.hydrogen']) {
      const other = await signIn(zone, who);
      expect((await other.get(`/api/meetings/${m.id}/minutes.docx`)).statusCode, who).toBe(404);
      expect((await other.get(`/api/meetings/${m.id}/attendance-sheet.pdf`)).statusCode, who).toBe(404);
    }
    expect((await (await signIn(zone, 'ent.hydrogen')).get(`/api/meetings/${m.id}/minutes.docx`)).statusCode).toBe(403);
    expect((await (await anonymous()).get(`/api/meetings/${m.id}/minutes.docx`)).statusCode).toBe(401);
    // Another zone's meeting is as unknown as a made-up one.
    const elsewhere = await createZone();
    expect((await (await signIn(elsewhere, 'hq.cuizhai')).get(`/api/meetings/${m.id}/minutes.docx`)).statusCode).toBe(404);

    await hq.get(`/api/meetings/${m.id}/attendance-sheet.docx`);
    const rows = await exportsOf(zone.zoneId, m.id);
    const docs = rows.map((r) => r.after as { document: string; format: string; minutesVersion?: number; documentNumber?: string });
    expect(docs).toContainEqual({ document: 'minutes', format: 'pdf', minutesVersion: 1, documentNumber: '崔寨片区指挥部纪〔2026〕1号' });
    expect(docs.some((d) => d.document === 'attendance_sheet' && d.format === 'docx')).toBe(true);
    expect(rows).toHaveLength(2);
  });
});

// ---- iCal ---------------------------------------------------------------------------------------------------------

interface ParsedEvent {
  uid: string;
  summary: string;
  location: string | null;
  description: string;
  status: string | null;
  tzid: string | null;
  start: string;
  startUtc: string;
  endUtc: string;
}

/** Parses the feed back with ical.js (a strict RFC 5545 parser), resolving TZID through the feed's VTIMEZONE. */
function parseIcs(text: string): { name: string; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      location: e.location ?? null,
      description: e.description,
      status: (c.getFirstPropertyValue('status') as string | null) ?? null,
      tzid: (c.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
      start: e.startDate.toString(),
      startUtc: e.startDate.toJSDate().toISOString(),
      endUtc: e.endDate.toJSDate().toISOString(),
    };
  });
  return { name: String(cal.getFirstPropertyValue('x-wr-calname')), events };
}

describe('iCal feed of an HQ’s meetings', () => {
  it('writes valid lines: escaped text, folded at 75 octets without splitting a character', () => {
    expect(icsText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const long = `SUMMARY:${'崔寨片区建设指挥部'.repeat(6)}`;
    const folded = foldLine(long).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const l of folded) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
    const ics = writeCalendar({ name: '测试', now: new Date('2026-01-01T00:00:00Z'), events: [] });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(parseIcs(ics).events).toEqual([]);
  });

  it('lists the HQ’s meetings from 90 days ago on for a signed-in member, in Asia/Shanghai time, cancelled ones marked', async () => {
    const zone = await createZone();
    await setNow('2026-06-01T02:00:00Z');
    const hq = await signIn(zone, 'hq.cuizhai');
    await plan(hq, zone, '2026-02-20T06:00:00Z'); // 101 days ago: left out
    const recent = await plan(hq, zone, '2026-05-12T06:00:00Z', { type: 'special', subject: '征迁清表，道路；管网', place: '指挥部一楼, 第二会议室' });
    await patch(hq, recent, { agenda: [{ kind: 'custom', title: '征迁清表进度' }, { kind: 'custom', title: '管网迁改方案' }] });
    const series = await plan(hq, zone, '2026-06-02T06:00:00Z', { repeat: { untilOn: '2026-06-16' } });
    const cancelled = await plan(hq, zone, '2026-06-05T01:00:00Z', { type: 'special', subject: '取消的专题会' });
    await patch(hq, cancelled, { status: 'cancelled' });
    // Another HQ's meeting is not in this HQ's feed.
    await (await signIn(zone, 'hq.fuzhongxin')).post('/api/meetings', { commandId: zone.commands.fuzhongxin, type: 'regular', startsAt: '2026-06-03T01:00:00Z' });

    const res = await hq.get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('崔寨片区建设指挥部会议.ics'));
    expect(res.body.includes('\r\n')).toBe(true);
    const cal = parseIcs(res.body);
    expect(cal.name).toBe('崔寨片区建设指挥部会议');
    expect(cal.events).toHaveLength(5);
    const byUid = new Map(cal.events.map((e) => [e.uid, e]));
    const r = byUid.get(`${recent.id}@qibu`)!;
    expect(r).toMatchObject({
      summary: '崔寨片区建设指挥部第一次专题推进会（征迁清表，道路；管网）',
      location: '指挥部一楼, 第二会议室',
      status: 'CONFIRMED',
      tzid: 'Asia/Shanghai',
      start: '2026-05-12T14:00:00',
      startUtc: '2026-05-12T06:00:00.000Z',
      endUtc: '2026-05-12T07:30:00.000Z',
    });
    expect(r.description).toContain('1. 征迁清表进度\n2. 管网迁改方案');
    expect(r.description).toContain(`/meetings/${recent.id}`);
    expect(byUid.get(`${series.id}@qibu`)).toMatchObject({ summary: '崔寨片区建设指挥部第二次例会', start: '2026-06-02T14:00:00' });
    expect(byUid.get(`${cancelled.id}@qibu`)).toMatchObject({ status: 'CANCELLED', start: '2026-06-05T09:00:00' });
    expect(cal.events.map((e) => e.start)).toEqual(['2026-05-12T14:00:00', '2026-06-02T14:00:00', '2026-06-05T09:00:00', '2026-06-09T14:00:00', '2026-06-16T14:00:00']);

    // Leaders see it all; a street sees the meetings it is invited to; others get 404 / 403 / 401.
    expect(parseIcs((await (await signIn(zone, 'leader')).get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`)).body).events).toHaveLength(5);
    await patch(hq, (await hq.get(`/api/meetings/${series.id}`)).json() as Meeting, { invitees: { unitIds: [zone.units.daqiao] } });
    const street = parseIcs((await (await signIn(zone, 'staff.daqiao')).get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`)).body);
    expect(street.events.map((e) => e.uid)).toEqual([`${series.id}@qibu`]);
    expect((await (await signIn(zone, 'hq.hydrogen')).get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`)).statusCode).toBe(404);
    expect((await (await signIn(zone, 'ent.hydrogen')).get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`)).statusCode).toBe(403);
    expect((await (await anonymous()).get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics`)).statusCode).toBe(401);
    const elsewhere = await createZone();
    expect((await hq.get(`/api/hqs/${elsewhere.commands.cuizhai}/meetings.ics`)).statusCode).toBe(404);
  });

  it('subscribes with a personal token instead of a cookie; a tampered token is refused; leaving the HQ, a disabled account or a new password ends it', async () => {
    const zone = await createZone();
    await setNow('2026-06-01T02:00:00Z');
    const hq = await signIn(zone, 'hq.cuizhai');
    const m = await plan(hq, zone, '2026-06-02T06:00:00Z');
    const staff = await signIn(zone, 'hqstaff.cuizhai');
    const link = await staff.get(`/api/hqs/${zone.commands.cuizhai}/meetings-feed`);
    expect(link.statusCode, link.body).toBe(200);
    const { url, webcalUrl } = link.json() as { url: string; webcalUrl: string };
    expect(url).toMatch(new RegExp(`/api/hqs/${zone.commands.cuizhai}/meetings\\.ics\\?token=`));
    expect(webcalUrl.startsWith('webcal://')).toBe(true);
    const target = url.slice(url.indexOf('/api/'));
    const token = decodeURIComponent(new URL(url).searchParams.get('token')!);

    const app = await anonymous();
    const res = await app.get(target);
    expect(res.statusCode, res.body).toBe(200);
    expect(parseIcs(res.body).events.map((e) => e.uid)).toEqual([`${m.id}@qibu`]);

    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect((await app.get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics?token=${encodeURIComponent(token.slice(0, -1) + last)}`)).statusCode).toBe(401);
    expect((await app.get(`/api/hqs/${zone.commands.cuizhai}/meetings.ics?token=nonsense`)).statusCode).toBe(401);
    // Another HQ's calendar with this HQ's token.
    expect((await app.get(`/api/hqs/${zone.commands.fuzhongxin}/meetings.ics?token=${encodeURIComponent(token)}`)).statusCode).toBe(401);
    const { services } = await getHarness();
    const audit = await services.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.action, 'command.meetings_feed_link')));
    expect(audit).toHaveLength(1);

    // Leaves the HQ: the same link now finds nothing to show.
    await services.db.delete(commandMembers).where(and(eq(commandMembers.zoneId, zone.zoneId), eq(commandMembers.userId, zone.users['hqstaff.cuizhai']!)));
    expect((await app.get(target)).statusCode).toBe(404);
    expect((await staff.get(`/api/hqs/${zone.commands.cuizhai}/meetings-feed`)).statusCode).toBe(404);

    // The commander's link works until the account is disabled, or its password changes.
    const own = ((await hq.get(`/api/hqs/${zone.commands.cuizhai}/meetings-feed`)).json() as { url: string }).url;
    const ownTarget = own.slice(own.indexOf('/api/'));
    expect((await app.get(ownTarget)).statusCode).toBe(200);
    const commander = and(eq(users.zoneId, zone.zoneId), eq(users.id, zone.users['hq.cuizhai']!));
    await services.db.update(users).set({ disabled: true }).where(commander);
    expect((await app.get(ownTarget)).statusCode).toBe(401);
    await services.db.update(users).set({ disabled: false }).where(commander);
    expect((await app.get(ownTarget)).statusCode).toBe(200);
    await services.db.update(users).set({ passwordChangedAt: new Date() }).where(commander);
    expect((await app.get(ownTarget)).statusCode).toBe(401);
  });
});
