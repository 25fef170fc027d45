import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percent, yi } from '../../../shared/money.ts';
import { PHASE_LABELS } from '../../../shared/project-phase.ts';
import { auditLog } from '../../audit/audit.schema.ts';
import { docxText, hasPoppler, pdfText, unzip } from '../../lib/documents/documents.testkit.ts';
import { createZone, getHarness, signIn, signInAs, type Client, type TestZone } from '../../test/harness.ts';
import type { CockpitOverviewDto } from '../cockpit/cockpit.api.ts';
import { storedFiles } from '../files/files.schema.ts';
import { buildEmailDigests } from '../notifications/digest.ts';
import { notificationOutbox, notifications } from '../notifications/notifications.schema.ts';
import { giveEmails, resetClock, setClock, startSmtp, startWebhook, withSmtp, type SmtpListener, type WebhookListener } from '../notifications/notifications.testkit.ts';
import { sendPending } from '../notifications/outbox.ts';
import type { BriefingDto } from './briefings.api.ts';
import { nextWeeklyAt } from './briefings.jobs.ts';
import { briefings } from './briefings.schema.ts';
import { lastWeek, runWeeklyBriefings } from './briefings.service.ts';

/**
 * 工作简报 against the cockpit: an issue generated for a period and scope holds the cockpit's figures for the same
 * period and scope (GET /api/cockpit/overview, called separately), and its Word and PDF files print them — each
 * figure is looked for in the documents' text as the cockpit page formats it. Then numbering, scope, bad input,
 * the audit trail, and the weekly run to subscribers (inbox, e-mail digest on a real SMTP listener) and robots (a
 * real webhook listener).
 */

let zone: TestZone;
let leader: Client;
let hq: Client;

/** Half-year 2023: the demo's ledger, problems, meetings and the January–May indicators all fall in it. */
const PERIOD = { from: '2023-01-01', to: '2023-06-30' };

const flat = (s: string) => s.replace(/\s+/g, '');

async function overview(client: Client, q: Record<string, string>): Promise<CockpitOverviewDto> {
  const res = await client.get(`/api/cockpit/overview?${new URLSearchParams(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CockpitOverviewDto;
}

async function generate(client: Client, body: Record<string, string>): Promise<BriefingDto> {
  const res = await client.post('/api/briefings', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as BriefingDto;
}

/** The phrases of the briefing that carry the cockpit's figures, formatted as the cockpit page formats them. */
function expectedPhrases(o: CockpitOverviewDto): string[] {
  const p = o.projects;
  const q = o.problems;
  const m = o.meetings;
  const phrases = [
    `纳入台账的重点项目${p.count.n}个，总投资${yi(p.totalInvestment.value, 2)}亿元`,
    `已完成投资${yi(p.yearCompletedInvestment.value, 2)}亿元`,
    `投资完成率${percent(p.rates.investment.rate)}（序时进度${percent(p.timeElapsed)}）`,
    `资金到位率${percent(p.rates.funds.rate)}`,
    `开工率${percent(p.rates.start.rate)}（${p.rates.start.numerator}/${p.rates.start.denominator}）`,
    `新发现问题${q.raised.n}件，销号${q.closed.n}件`,
    `按期办结率${percent(q.onTime.rate)}`,
    `在办问题${q.open.n}件，其中超期（红灯）${q.lights.red.n}件、临期（黄灯）${q.lights.yellow.n}件、正常（绿灯）${q.lights.green.n}件`,
    `召开会议${m.held.n}次，议定事项${m.decisionsMade.n}项`,
    `尚未办结的议定事项${m.decisionsOpen.n}项`,
  ];
  for (const ph of p.byPhase.filter((x) => x.n > 0)) phrases.push(`${PHASE_LABELS[ph.phase].zh}${ph.n}个`);
  if (p.laggingCount.n > 0) phrases.push(`滞后于序时进度的项目${p.laggingCount.n}个`);
  for (const l of p.lagging) phrases.push(l.project.name);
  for (const r of q.redList) phrases.push(r.code);
  for (const r of q.ranking.items) phrases.push(r.unit.name);
  for (const i of o.indicators.items.filter((x) => x.yoy !== null)) phrases.push(i.name, i.yoy!);
  return phrases;
}

beforeAll(async () => {
  zone = await createZone({ problems: true });
  leader = await signIn(zone, 'leader');
  hq = await signIn(zone, 'hq.cuizhai');
});

afterAll(async () => {
  await resetClock();
});

describe('a briefing holds the cockpit’s figures for the same period and scope', () => {
  let made: BriefingDto;
  let cockpit: CockpitOverviewDto;

  beforeAll(async () => {
    made = await generate(leader, PERIOD);
    cockpit = await overview(leader, PERIOD);
  });

  it('answers the issue with the cockpit’s headline figures', () => {
    expect(made).toMatchObject({ series: 'zone', commandId: null, scopeName: '起步区', year: Number(cockpit.today.slice(0, 4)), issueNo: 1, kind: 'manual' });
    expect(made.issuingBody).toBe('起步区党工委、管委会');
    expect(made.from).toBe(PERIOD.from);
    expect(made.to).toBe(PERIOD.to);
    expect(made.figures).toEqual({
      projects: cockpit.projects.count.n,
      laggingProjects: cockpit.projects.laggingCount.n,
      investmentRate: cockpit.projects.rates.investment.rate,
      problemsRaised: cockpit.problems.raised.n,
      problemsClosed: cockpit.problems.closed.n,
      problemsOpen: cockpit.problems.open.n,
      problemsOverdue: cockpit.problems.overdue.n,
      onTimeRate: cockpit.problems.onTime.rate,
      meetingsHeld: cockpit.meetings.held.n,
      decisionsOpen: cockpit.meetings.decisionsOpen.n,
    });
    // The demo has something in every section, so the comparison below is not between zeros.
    expect(cockpit.projects.count.n).toBeGreaterThan(10);
    expect(cockpit.problems.raised.n).toBeGreaterThan(0);
    expect(cockpit.meetings.held.n).toBeGreaterThan(0);
    expect(cockpit.indicators.available).toBe(true);
  });

  it('prints every figure in the Word file, with the masthead and the chart image', async () => {
    const res = await leader.get(made.docx);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('工作简报'));
    const text = flat(await docxText(res.rawPayload));
    expect(text).toContain('工作简报');
    expect(text).toContain('第1期');
    expect(text).toContain('起步区党工委、管委会');
    for (const phrase of expectedPhrases(cockpit)) expect(text, phrase).toContain(flat(phrase));
    const media = [...(await unzip(res.rawPayload)).keys()].filter((k) => k.startsWith('word/media/') && k.endsWith('.png'));
    expect(media.length).toBeGreaterThanOrEqual(1);
  });

  it.runIf(hasPoppler)('prints the same in the PDF (pdftotext)', async () => {
    const res = await leader.get(made.pdf);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = flat(pdfText(res.rawPayload));
    expect(text).toContain('工作简报');
    expect(text).toContain('第1期');
    for (const phrase of expectedPhrases(cockpit).slice(0, 10)) expect(text, phrase).toContain(flat(phrase));
  });

  it('keeps both documents as files of the zone, and the download is the stored file', async () => {
    const { services } = await getHarness();
    const files = await services.db
      .select()
      .from(storedFiles)
      .where(and(eq(storedFiles.zoneId, zone.zoneId), eq(storedFiles.ownerType, 'briefing'), eq(storedFiles.ownerId, made.id)))
      .orderBy(asc(storedFiles.originalName));
    expect(files.map((f) => f.mime)).toEqual(['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf']);
    const pdfRow = files.find((f) => f.mime === 'application/pdf')!;
    const viaFiles = await leader.get(`/api/files/${pdfRow.id}`);
    expect(viaFiles.statusCode).toBe(200);
    const direct = await leader.get(made.pdf);
    expect(Buffer.compare(viaFiles.rawPayload, direct.rawPayload)).toBe(0);
  });

  it('audits the generation and each download', async () => {
    const { services } = await getHarness();
    const rows = await services.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.entityType, 'briefing'), eq(auditLog.entityId, made.id)));
    expect(rows.filter((r) => r.action === 'briefing.generate')).toHaveLength(1);
    expect(rows.find((r) => r.action === 'briefing.generate')!.after).toMatchObject({ series: 'zone', issueNo: 1, from: PERIOD.from, to: PERIOD.to });
    expect(rows.filter((r) => r.action === 'briefing.document.export').length).toBeGreaterThanOrEqual(2);
  });
});

describe('numbering, scope and bad input', () => {
  it('numbers each series per year; an HQ’s issue holds that HQ’s cockpit', async () => {
    const before = await leader.get('/api/briefings?series=zone');
    const last = (before.json() as { items: BriefingDto[] }).items[0]?.issueNo ?? 0;
    const next = await generate(leader, { from: '2023-04-01', to: '2023-04-30' });
    expect(next.issueNo).toBe(last + 1);

    const mine = await generate(hq, PERIOD);
    expect(mine).toMatchObject({ series: zone.commands.cuizhai, commandId: zone.commands.cuizhai, issueNo: 1, issuingBody: mine.scopeName });
    const theirs = await overview(hq, PERIOD);
    expect(mine.figures.problemsRaised).toBe(theirs.problems.raised.n);
    expect(mine.figures.problemsOpen).toBe(theirs.problems.open.n);
    expect(mine.figures.projects).toBe(theirs.projects.count.n);
    const text = flat(await docxText((await hq.get(mine.docx)).rawPayload));
    for (const phrase of expectedPhrases(theirs)) expect(text, phrase).toContain(flat(phrase));
    // The leader sees the HQ's issue too, with the same HQ filter as the cockpit.
    const asLeader = await overview(leader, { ...PERIOD, commandId: zone.commands.cuizhai! });
    expect(asLeader.problems.raised.n).toBe(theirs.problems.raised.n);
  });

  it('lets each caller read only the series of the cockpit scopes they may open', async () => {
    const zoneIssue = (await leader.get('/api/briefings?series=zone')).json() as { items: BriefingDto[] };
    const id = zoneIssue.items[0]!.id;
    expect((await hq.get(`/api/briefings/${id}`)).statusCode).toBe(404);
    expect((await hq.get(`/api/briefings/${id}.pdf`)).statusCode).toBe(404);
    const hqList = (await hq.get('/api/briefings')).json() as { items: BriefingDto[]; series: { series: string }[] };
    expect(hqList.items.every((b) => b.series === zone.commands.cuizhai)).toBe(true);
    expect(hqList.series.map((x) => x.series)).toEqual([zone.commands.cuizhai]);
    expect((await hq.post('/api/briefings', { ...PERIOD, commandId: zone.commands.hydrogen })).statusCode).toBe(404);
    const staff = await signIn(zone, 'staff.cuizhai');
    expect((await staff.post('/api/briefings', PERIOD)).statusCode).toBe(403);
    expect((await staff.get('/api/briefings')).statusCode).toBe(403);
    const leaderList = (await leader.get('/api/briefings?pageSize=100')).json() as { items: BriefingDto[] };
    expect(new Set(leaderList.items.map((b) => b.series))).toEqual(new Set(['zone', zone.commands.cuizhai]));
  });

  it('refuses a bad period with field messages in both languages, and writes nothing', async () => {
    const { services } = await getHarness();
    const count = async () => (await services.db.select({ id: briefings.id }).from(briefings).where(eq(briefings.zoneId, zone.zoneId))).length;
    const n = await count();
    const reversed = await leader.post('/api/briefings', { from: '2023-06-30', to: '2023-01-01' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields[0]).toMatchObject({ path: 'to' });
    expect(reversed.json().error.fields[0].message).toMatch(/[\u4e00-\u9fff]/);
    const en = await leader.request({ method: 'POST', url: '/api/briefings', payload: { from: '2023-02-30' }, headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields[0].message).toMatch(/[a-z]/i);
    expect((await leader.post('/api/briefings', { commandId: 'not-a-uuid' })).statusCode).toBe(400);
    expect((await leader.post('/api/briefings', { ...PERIOD, extra: 1 })).statusCode).toBe(400);
    expect(await count()).toBe(n);
  });
});

describe('the weekly issue', () => {
  let smtp: SmtpListener;
  let hook: WebhookListener;

  beforeAll(async () => {
    smtp = await startSmtp();
    hook = await startWebhook();
  });
  afterAll(async () => {
    await smtp.close();
    await hook.close();
  });

  it('is due on Mondays at 08:00 Asia/Shanghai and covers the week before', () => {
    expect(nextWeeklyAt(new Date('2026-11-27T12:00:00+08:00')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(nextWeeklyAt(new Date('2026-11-30T07:59:00+08:00')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(nextWeeklyAt(new Date('2026-11-30T08:00:00+08:00')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(lastWeek(new Date('2026-11-30T08:00:00+08:00'))).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    // Sunday night in Shanghai is still that week.
    expect(lastWeek(new Date('2026-11-29T23:30:00+08:00'))).toEqual({ from: '2026-11-16', to: '2026-11-22' });
  });

  it('subscriptions accept only series the caller may read', async () => {
    const bad = await hq.put('/api/briefings/subscriptions', { series: [zone.commands.cuizhai, zone.commands.hydrogen] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('series/1');
    const ok = await hq.put('/api/briefings/subscriptions', { series: [zone.commands.cuizhai] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items).toEqual([{ series: zone.commands.cuizhai, commandId: zone.commands.cuizhai, name: expect.any(String), subscribed: true }]);
    const mine = await leader.put('/api/briefings/subscriptions', { series: ['zone'] });
    expect((mine.json().items as { series: string; subscribed: boolean }[]).filter((x) => x.subscribed).map((x) => x.series)).toEqual(['zone']);
  });

  it('goes to subscribers (inbox, then e-mail) and robots, once per week however often the job runs', async () => {
    const { services } = await getHarness();
    const emails = await giveEmails(zone, ['leader', 'hq.cuizhai']);
    const admin = await signInAs(zone, 'sys_admin');
    const robot = await admin.post('/api/robot-channels', { kind: 'wecom', name: '起步区工作群', webhook: `${hook.base}/cgi-bin/webhook/send?key=key-${zone.prefix}weekly` });
    expect(robot.statusCode, robot.body).toBe(201);

    const now = await setClock('2026-11-30T08:01:00+08:00');
    const s = withSmtp({ ...services, now: () => now }, smtp.url);
    const made = await runWeeklyBriefings(s, zone.zoneId, now);
    expect(made.map((b) => b.series).sort()).toEqual(['zone', zone.commands.cuizhai].sort());
    for (const b of made) expect(b).toMatchObject({ kind: 'weekly', periodFrom: '2026-11-23', periodTo: '2026-11-29', asOf: '2026-11-30', generatedBy: null, generatedByName: '系统' });
    expect(await runWeeklyBriefings(s, zone.zoneId, new Date(now.getTime() + 3_600_000))).toEqual([]);

    // The weekly issue's figures are the cockpit's for that week, as the system (a zone leader's view) sees it
    // (signed in again: the clock moved past the earlier session's idle limit).
    const lead = await signIn(zone, 'leader');
    const weekOverview = await overview(lead, { from: '2026-11-23', to: '2026-11-29' });
    const zoneIssue = made.find((b) => b.series === 'zone')!;
    const dto = (await lead.get(`/api/briefings/${zoneIssue.id}`)).json() as BriefingDto;
    expect(dto.figures.problemsOpen).toBe(weekOverview.problems.open.n);
    expect(dto.figures.problemsRaised).toBe(weekOverview.problems.raised.n);
    expect(dto.title).toBe('起步区重点工作周报');

    const inbox = await services.db
      .select({ userId: notifications.userId, title: notifications.title, link: notifications.link })
      .from(notifications)
      .where(and(eq(notifications.zoneId, zone.zoneId), eq(notifications.kind, 'briefing.weekly')));
    expect(inbox).toHaveLength(2);
    expect(inbox.find((n) => n.userId === zone.users.leader)).toMatchObject({ link: `/briefings/${zoneIssue.id}` });
    expect(inbox.find((n) => n.userId === zone.users['hq.cuizhai'])!.link).toBe(`/briefings/${made.find((b) => b.series !== 'zone')!.id}`);

    const robotRows = await services.db.select().from(notificationOutbox).where(and(eq(notificationOutbox.zoneId, zone.zoneId), eq(notificationOutbox.runKey, `briefing:${zoneIssue.id}`)));
    expect(robotRows).toHaveLength(1);

    await buildEmailDigests(s, zone.zoneId, now, 'briefing-test');
    await sendPending(s, zone.zoneId, now);
    const hit = hook.hits.find((h) => h.body.markdown?.content?.includes('工作简报'));
    expect(hit?.body.markdown?.content).toContain(`https://qibu.test/briefings/${zoneIssue.id}`);
    const mail = smtp.mails.find((m) => m.to.includes(emails.leader!) && m.text.includes('工作简报'));
    expect(mail, JSON.stringify(smtp.mails.map((m) => [m.to, m.subject]))).toBeDefined();
    expect(mail!.text).toContain(`/briefings/${zoneIssue.id}`);
  });
});
