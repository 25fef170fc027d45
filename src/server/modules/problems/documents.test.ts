import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../audit/audit.schema.ts';
import { docxText, hasPoppler, pdfPages, pdfText, unzip } from '../../lib/documents/documents.testkit.ts';
import { qrPng } from '../../lib/documents/index.ts';
import { createZone, getHarness, signIn, signInAs, type Client, type TestZone } from '../../test/harness.ts';
import { problemLink } from './documents.ts';
import { must, raise, resetClock, setNow, type Detail } from './problems.testkit.ts';

const flat = (s: string) => s.replace(/\s+/g, '');
const withPoppler = it.runIf(hasPoppler || process.env.CI);

afterEach(resetClock);

/** A problem of 崔寨片区建设指挥部 assigned on Monday 2026-11-23 to 崔寨街道 with 规划建设部 cooperating, 5 working days. */
async function assigned(zone: TestZone): Promise<{ hq: Client; staff: Client; p: Detail }> {
  await setNow('2026-11-23T02:00:00Z');
  const hq = await signIn(zone, 'hq.cuizhai');
  const staff = await signIn(zone, 'staff.cuizhai');
  const res = await raise(hq, zone, {
    description: '纬三路施工围挡占用机动车道，企业货车无法进出。',
    address: '纬三路与经五路交叉口',
    priority: 'urgent',
    assign: { leadUnitId: zone.units.cuizhai, cooperatingUnitIds: [zone.units.planning], deadlineWorkdays: 5, instruction: '请三个工作日内拆除占道围挡。' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { hq, staff, p: res.json() as Detail };
}

const docOf = (row: { after: unknown }) => String((row.after as { document?: string } | null)?.document);

async function exportsOf(zoneId: string, id: string) {
  const { services } = await getHarness();
  return services.db
    .select({ after: auditLog.after, actorName: auditLog.actorName })
    .from(auditLog)
    .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.entityId, id), eq(auditLog.action, 'problem.document.export')));
}

describe('交办单 (assignment notice)', () => {
  it('is a Word file with the HQ, the number, the item, the units, the deadline, the sign-for and the progress', async () => {
    const zone = await createZone();
    const { hq, staff, p: first } = await assigned(zone);
    let p = await must(staff, first, 'accept');
    p = await must(staff, p, 'report_progress', { text: '已约谈施工单位，围挡拆除一半。' });

    const res = await hq.get(`/api/problems/${p.id}/assignment-notice.docx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`交办单_${p.code}.docx`)}`);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = await docxText(res.rawPayload);
    for (const s of [
      '崔寨片区建设指挥部',
      `编号：${p.code}`,
      '问题交办单',
      '凤凰黄河大桥下桥口北侧大棚扇墙拆除',
      '纬三路施工围挡占用机动车道，企业货车无法进出。',
      '纬三路与经五路交叉口',
      '紧急',
      '崔寨街道',
      '规划建设部',
      '2026年11月30日（5个工作日）',
      '请三个工作日内拆除占道围挡。',
      '崔寨街道 孙晓燕（演示）  2026年11月23日',
      '崔寨街道 孙晓燕（演示）：已约谈施工单位，围挡拆除一半。',
      '二〇二六年十一月二十三日',
    ]) {
      expect(text).toContain(s);
    }
  });

  withPoppler('is a PDF whose Chinese renders, with the result and the verifier’s opinion once closed', async () => {
    const zone = await createZone();
    const { hq, staff, p: first } = await assigned(zone);
    let p = await must(staff, first, 'accept');
    p = await must(staff, p, 'submit', { text: '围挡已全部拆除，道路恢复通行。' });
    p = await must(hq, p, 'return', { reason: '请补充现场照片。' });
    p = await must(staff, p, 'submit', { text: '已补充照片，道路恢复通行。' });
    p = await must(hq, p, 'close', { text: '经现场核验属实。' });

    const res = await hq.get(`/api/problems/${p.id}/assignment-notice.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`交办单_${p.code}.pdf`));
    const text = flat(pdfText(res.rawPayload));
    for (const s of ['问题交办单', '崔寨片区建设指挥部', p.code, '崔寨街道', '规划建设部', '已补充照片，道路恢复通行。', '退回重办。请补充现场照片。', '核验通过，予以销号。经现场核验属实。']) {
      expect(text).toContain(flat(s));
    }
    // The result is the last resolution submitted, not the one returned.
    expect(text).not.toContain('围挡已全部拆除');
  });

  it('leaves the sign-for, result and opinion blank before anyone acted, and links its QR code to the problem', async () => {
    const zone = await createZone();
    const { hq, p } = await assigned(zone);
    const res = await hq.request({ method: 'GET', url: `/api/problems/${p.id}/assignment-notice.docx`, headers: { host: 'qibu.example.gov.cn' } });
    expect(res.statusCode, res.body).toBe(200);
    const text = await docxText(res.rawPayload);
    expect(text).not.toMatch(/\d\d:\d\d 签收/);
    const parts = await unzip(res.rawPayload);
    const media = [...parts.keys()].filter((k) => k.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    // Without QIBU_PUBLIC_URL the link uses the address the request came to.
    expect(parts.get(media[0]!)!.equals(await qrPng(problemLink('http://qibu.example.gov.cn', p.id)))).toBe(true);
  });
});

describe('督办单 (supervision notice)', () => {
  withPoppler('lists the supervisions, the working days overdue and the date to reply by', async () => {
    const zone = await createZone();
    const { staff, p: first } = await assigned(zone);
    let p = await must(staff, first, 'accept');
    // The deadline is Monday 2026-11-30; on Thursday 2026-12-03 it is 3 working days overdue.
    await setNow('2026-12-03T02:00:00Z');
    const leader = await signIn(zone, 'leader');
    p = await must(leader, p, 'supervise', { text: '请加快进度，本周内办结。' });

    for (const format of ['pdf', 'docx'] as const) {
      const res = await leader.get(`/api/problems/${p.id}/supervision-notice.${format}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent(`督办单_${p.code}.${format}`));
      const text = flat(format === 'pdf' ? pdfText(res.rawPayload) : await docxText(res.rawPayload));
      // A usual notice is one A4 sheet.
      if (format === 'pdf') expect(pdfPages(res.rawPayload)).toBe(1);
      for (const s of ['问题督办单', '崔寨片区建设指挥部', p.code, '崔寨街道', '已超期3个工作日', '区领导督办', '王立新（演示）：请加快进度，本周内办结。', '请于2026年12月8日前', '二〇二六年十二月三日']) {
        expect(text, `${format}: ${s}`).toContain(flat(s));
      }
    }
  });

  it('is printable before any supervision, saying there is none yet', async () => {
    const zone = await createZone();
    const { hq, p } = await assigned(zone);
    const res = await hq.get(`/api/problems/${p.id}/supervision-notice.docx`);
    expect(res.statusCode, res.body).toBe(200);
    const text = await docxText(res.rawPayload);
    expect(text).toContain('尚无督办记录');
    expect(text).toContain('剩余5个工作日');
  });
});

describe('who may print', () => {
  it('answers 404 out of scope, 403 to roles without problems, and audits each download', async () => {
    const zone = await createZone();
    const { hq, staff, p } = await assigned(zone);
    // The lead unit's staff may print; another street's staff and another HQ's commander see no such problem.
    expect((await staff.get(`/api/problems/${p.id}/assignment-notice.pdf`)).statusCode).toBe(200);
    for (const who of ['staff.daqiao', 'hq.hydrogen']) {
      const other = await signIn(zone, who);
      for (const url of [`/api/problems/${p.id}/assignment-notice.docx`, `/api/problems/${p.id}/supervision-notice.pdf`]) {
        expect((await other.get(url)).statusCode, `${who} ${url}`).toBe(404);
      }
    }
    // A problem of another zone is as unknown as a made-up one.
    const elsewhere = await createZone();
    expect((await (await signIn(elsewhere, 'hq.cuizhai')).get(`/api/problems/${p.id}/assignment-notice.docx`)).statusCode).toBe(404);
    expect((await (await signInAs(zone, 'enterprise_contact')).get(`/api/problems/${p.id}/assignment-notice.docx`)).statusCode).toBe(403);

    expect((await hq.get(`/api/problems/${p.id}/supervision-notice.docx`)).statusCode).toBe(200);
    // Audit rows of different documents may sit in different hash chains: compare in a fixed order.
    const rows = (await exportsOf(zone.zoneId, p.id)).sort((a, b) => docOf(a).localeCompare(docOf(b)));
    expect(rows.map((r) => r.after)).toEqual([
      { document: 'assignment_notice', format: 'pdf', code: p.code },
      { document: 'supervision_notice', format: 'docx', code: p.code },
    ]);
    expect(rows.map((r) => r.actorName)).toEqual(['孙晓燕（演示）', '赵振华（演示）']);
  });
});
