/**
 * The meetings' browser journey (issue 5): the HQ commander schedules a regular meeting, accepts the suggested agenda,
 * records attendance (on a 375 px phone, during the meeting), writes a decision for 崔寨街道 with a 5-working-day
 * deadline, issues the minutes and downloads the PDF; the problem appears in 崔寨街道's to-do with the meeting as its
 * source; the lagging project the agenda took up lists the meeting in its project page's 会议 tab. Screenshots at
 * 1920 and 375 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD, REPO_ROOT, launchBrowser, screenshotDir, startServer, type RunningServer } from './support.ts';

const WEB_INDEX = path.join(REPO_ROOT, 'dist/web/index.html');
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 375, height: 812 };
const HQ = '崔寨片区建设指挥部';
const STREET = '崔寨街道';

let server: RunningServer;
let browser: Browser;
let hqContext: BrowserContext;
let phoneContext: BrowserContext;
let staffContext: BrowserContext;
let hq: Page;
let phone: Page;
let staff: Page;
const shots = screenshotDir();
const pageErrors: string[] = [];
const stamp = String(Date.now()).slice(-6);
const problemTitle = `崔寨大街北段建筑垃圾清运 ${stamp}`;
const decisionText = `崔寨街道牵头清运崔寨大街北段施工围挡外侧建筑垃圾（${stamp}），五个工作日内清运到位，规划建设部配合。`;
let meetingUrl = '';
let meetingId = '';
let meetingTitle = '';
let problemId = '';

// ---------------------------------------------------------------- helpers

async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${server.url}/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(DEMO_PASSWORD);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('welcome-card').waitFor();
}

async function shoot(p: Page, name: string): Promise<string> {
  const file = path.join(shots, name);
  await p.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size, `${file} is empty`).toBeGreaterThan(10_000);
  return file;
}

/** Opens an antd TreeSelect, searches and picks the node with this text, and closes it again. */
async function chooseNode(p: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  await select.locator('input').fill(text);
  const node = p.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper').filter({ hasText: text }).first();
  await node.waitFor();
  await node.click();
}

async function apiJson<T>(p: Page, url: string): Promise<T> {
  return p.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).json(), url) as Promise<T>;
}

async function noSideways(p: Page): Promise<void> {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(1);
}

async function openTab(p: Page, key: string): Promise<void> {
  await p.getByTestId(`tab-${key}`).click();
  await p.getByTestId(`${key === 'followup' ? 'followup' : key}-tab`).waitFor();
}

const statusOf = (p: Page) => p.getByTestId('meeting-title').locator('xpath=..').getByTestId('meeting-status').getAttribute('data-status');

// ---------------------------------------------------------------- the journey

describe('meetings journey in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(WEB_INDEX)) {
      const { build } = await import('vite');
      await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    server = await startServer();
    browser = await launchBrowser();
    hqContext = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    phoneContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    staffContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    hq = await hqContext.newPage();
    phone = await phoneContext.newPage();
    staff = await staffContext.newPage();
    for (const p of [hq, phone, staff]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`meetings journey screenshots: ${shots}`);
  });

  it('the commander opens the meeting calendar and schedules a regular meeting', async () => {
    await signIn(hq, 'hq.cuizhai');
    await hq.getByTestId('side-menu').getByRole('menuitem', { name: '会议' }).click();
    await hq.waitForURL(/\/meetings$/);
    // the demo's next regular meeting is on the calendar (this month, or the next when it falls there)
    await hq.getByTestId('meetings-calendar').waitFor();
    await shoot(hq, 'meetings-calendar-1920x1080.png');
    await hq.getByTestId('calendar-view').getByText('周').click();
    await hq.getByTestId('calendar-week').waitFor();
    await shoot(hq, 'meetings-week-1920x1080.png');

    await hq.getByTestId('meeting-plan').click();
    await hq.waitForURL(/\/meetings\/new/);
    // the commander runs one HQ: it is chosen already; a regular meeting at 14:30 for 90 minutes by default
    await hq.getByTestId('plan-body').getByText(HQ).waitFor();
    await hq.getByTestId('plan-place').fill('崔寨片区建设指挥部会议室');
    await chooseNode(hq, hq.getByTestId('plan-units'), STREET);
    await hq.keyboard.press('Escape');
    await shoot(hq, 'meeting-plan-1920x1080.png');
    await hq.getByTestId('plan-submit').click();

    await hq.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    meetingUrl = hq.url();
    meetingId = meetingUrl.split('/').pop()!;
    const title = (await hq.getByTestId('meeting-title').textContent()) ?? '';
    // numbered automatically per HQ and type: 崔寨片区建设指挥部第N次例会
    expect(title).toMatch(/^崔寨片区建设指挥部第[一二三四五六七八九十百]+次例会$/);
    meetingTitle = title;
    expect(await statusOf(hq)).toBe('planned');
    await hq.getByTestId('meeting-place').getByText('崔寨片区建设指挥部会议室').waitFor();
  });

  it('accepts the suggested agenda: open decisions of earlier meetings, red problems, lagging projects', async () => {
    const suggestions = hq.getByTestId('agenda-suggestion');
    await suggestions.first().waitFor();
    const offered = await suggestions.count();
    // the demo's previous regular meeting left an open problem and an open task
    expect(await hq.getByTestId('agenda-suggestion').and(hq.locator('[data-kind="decision"]')).count()).toBeGreaterThanOrEqual(2);
    await hq.getByTestId('agenda-accept-all').click();
    await expect.poll(() => hq.getByTestId('agenda-item').count(), { timeout: 20_000 }).toBe(offered);
    await hq.getByTestId('agenda-suggestions').waitFor({ state: 'detached' });

    // the chair orders the items: the last one moves up
    const titles = async () => hq.getByTestId('agenda-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-title') ?? ''));
    const before = await titles();
    await hq.getByTestId('agenda-up').last().click();
    await expect.poll(titles, { timeout: 20_000 }).toEqual([...before.slice(0, -2), before.at(-1)!, before.at(-2)!]);
    await shoot(hq, 'meeting-agenda-1920x1080.png');

    // the follow-up shows the earlier meetings' decisions with their state
    await openTab(hq, 'followup');
    expect(await hq.getByTestId('followup-tab').getByTestId('decision-card').count()).toBeGreaterThanOrEqual(2);
  });

  it('records attendance on a phone during the meeting, counted per unit', async () => {
    await signIn(phone, 'hq.cuizhai');
    // on a phone the calendar is a list by day: today's meeting is there
    await phone.goto(`${server.url}/meetings`);
    const card = phone.getByTestId('calendar-day-list').getByTestId('meeting-card').filter({ hasText: meetingTitle });
    await card.waitFor();
    await noSideways(phone);
    await shoot(phone, 'meetings-calendar-375x812.png');
    await card.click();
    await phone.waitForURL(meetingUrl);
    await phone.getByTestId('agenda-item').first().waitFor();
    await noSideways(phone);
    await shoot(phone, 'meeting-agenda-375x812.png');
    await openTab(phone, 'attendance');
    const street = phone.getByTestId('attendance-section').filter({ hasText: STREET });
    await street.first().waitFor();
    await phone.getByTestId('attendance-all-present').click();
    // one of the HQ's staff is away: absent, with the reason
    const away = phone.locator('[data-testid="attendance-person"][data-name^="褚明"]');
    await away.getByText('缺席', { exact: true }).click();
    await away.getByTestId('attendance-reason').fill('赴市住建局参加专题协调会');
    await noSideways(phone);
    await shoot(phone, 'meeting-attendance-375x812.png');
    await phone.getByTestId('attendance-save').click();

    const byUnit = phone.getByTestId('attendance-by-unit');
    await byUnit.waitFor({ timeout: 20_000 });
    await byUnit.locator(`[data-unit="${STREET}"]`).getByText(/出席 [1-9]/).waitFor();
    expect(Number(await phone.getByTestId('attendance-count-absent').textContent())).toBe(1);
    expect(Number(await phone.getByTestId('attendance-count-none').textContent())).toBe(0);
    // recording attendance means the meeting is being held
    expect(await statusOf(phone)).toBe('held');
    await noSideways(phone);
  });

  it('writes a decision for 崔寨街道 with a 5-working-day deadline: it becomes an assigned problem', async () => {
    await hq.goto(`${meetingUrl}?tab=decisions`);
    await hq.getByTestId('decision-form').waitFor();
    await hq.getByTestId('decision-text').fill(decisionText);
    await chooseNode(hq, hq.getByTestId('decision-lead-unit'), STREET);
    await hq.getByTestId('decision-workdays').fill('5');
    // the live preview is the calendar's answer for today + 5 working days
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const expected = await apiJson<{ date: string }>(hq, `/api/calendar/add-workdays?from=${today}&days=5`);
    await expect.poll(() => hq.getByTestId('decision-deadline-preview').getAttribute('data-date')).toBe(expected.date);
    await hq.getByTestId('decision-title').fill(problemTitle);
    await shoot(hq, 'meeting-decision-form-1920x1080.png');
    await hq.getByTestId('decision-submit').click();

    const card = hq.getByTestId('decision-card').filter({ hasText: stamp });
    await card.waitFor({ timeout: 20_000 });
    await card.getByText(`牵头：${STREET}`).waitFor();
    await card.getByTestId('decision-deadline').getByText(expected.date).waitFor();
    const link = card.getByTestId('decision-problem');
    expect(await link.getByTestId('state-tag').getAttribute('data-state')).toBe('assigned');
    problemId = ((await link.getAttribute('href')) ?? '').split('/').pop()!;
    expect(problemId).toMatch(/^[0-9a-f-]{36}$/);
    await shoot(hq, 'meeting-decisions-1920x1080.png');

    // the same list on the phone: cards, nothing wider than the screen
    await phone.goto(`${meetingUrl}?tab=decisions`);
    await phone.getByTestId('decision-card').filter({ hasText: stamp }).waitFor();
    await noSideways(phone);
    await shoot(phone, 'meeting-decisions-375x812.png');
  });

  it('issues the minutes: a numbered, frozen version', async () => {
    await hq.getByTestId('tab-issue').click();
    await hq.getByTestId('issue-minutes').click();
    await hq.getByTestId('issue-ok').click();
    const v1 = hq.locator('[data-testid="minutes-version"][data-version="1"]');
    await v1.waitFor({ timeout: 20_000 });
    expect(await v1.getByTestId('minutes-document-number').textContent()).toMatch(/纪〔\d{4}〕\d+号$/);
    await expect.poll(() => statusOf(hq)).toBe('minutes_issued');
    await hq.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await shoot(hq, 'meeting-issued-1920x1080.png');
  });

  it('downloads the minutes as PDF', async () => {
    await hq.getByTestId('tab-issue').click();
    // the PDF button of the issued version (it opens the file in a new tab): fetched with the commander's session
    const pdfPath = (await hq.locator('[data-testid="minutes-version"][data-version="1"]').getByTestId('minutes-v1-pdf').getAttribute('href'))!;
    expect(pdfPath).toBe(`/api/meetings/${meetingId}/minutes.pdf?version=1`);
    const res = await hqContext.request.get(`${server.url}${pdfPath}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/pdf/);
    const body = await res.body();
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('a change to the issued minutes asks for its reason and is issued as version 2; version 1 is kept', async () => {
    await openTab(hq, 'minutes');
    await hq.getByTestId('minutes-frozen').waitFor();
    await hq.getByTestId('minutes-item-text').first().fill('会议听取了汇报，要求各责任单位按期办结。');
    await hq.getByTestId('minutes-save').click();
    await hq.getByTestId('revision-reason').fill('补充第一项议题的会议意见');
    await hq.getByTestId('revision-ok').click();
    await expect.poll(() => statusOf(hq), { timeout: 20_000 }).toBe('held');
    await openTab(hq, 'issue');
    await hq.getByTestId('issue-minutes').click();
    await hq.getByTestId('issue-ok').click();
    await hq.locator('[data-testid="minutes-version"][data-version="2"]').waitFor({ timeout: 20_000 });
    expect(await hq.getByTestId('minutes-version').count()).toBe(2);
    await hq.locator('[data-testid="minutes-version"][data-version="2"]').getByText('补充第一项议题的会议意见').waitFor();
    await expect.poll(() => statusOf(hq)).toBe('minutes_issued');
  });

  it('the street staff finds the problem in 我的待办, with the meeting as its source', async () => {
    await signIn(staff, 'staff.cuizhai');
    await staff.goto(`${server.url}/problems/todo`);
    const card = staff.getByTestId('problem-card').filter({ hasText: problemTitle });
    await card.waitFor({ timeout: 20_000 });
    await noSideways(staff);
    await shoot(staff, 'meeting-problem-todo-375x812.png');
    await card.click();
    await staff.waitForURL(new RegExp(`/problems/${problemId}$`));
    await staff.getByTestId('problem-title').getByText(problemTitle).waitFor();
    // the source is this meeting, linked back to it
    const facts = staff.getByTestId('problem-facts');
    if (!(await facts.isVisible())) await staff.getByText('基本信息').first().click().catch(() => undefined);
    const source = staff.locator(`a[href="/meetings/${meetingId}"]`).first();
    await source.waitFor();
    await source.scrollIntoViewIfNeeded();
    await staff.waitForTimeout(400); // the facts panel's opening animation
    expect(await source.textContent()).toContain(meetingTitle);
    await shoot(staff, 'meeting-problem-375x812.png');
    // and the meeting's page opens from there for the street (its unit carries the decision)
    await source.click();
    await staff.waitForURL(new RegExp(`/meetings/${meetingId}`));
    await staff.getByTestId('meeting-title').getByText(meetingTitle).waitFor();
  });

  it('the lagging project put on the agenda lists the meeting in its 会议 tab (desktop and phone)', async () => {
    const meeting = await apiJson<{ agenda: { kind: string; refId: string | null }[] }>(hq, `/api/meetings/${meetingId}`);
    const project = meeting.agenda.find((a) => a.kind === 'project' && a.refId);
    // the accepted suggestions include the HQ's lagging projects (the demo ledger has some)
    expect(project, 'a lagging project on the agenda').toBeTruthy();
    await hq.goto(`${server.url}/projects/${project!.refId}`);
    await hq.getByTestId('project-title').waitFor();
    await hq.getByRole('tab', { name: '会议', exact: true }).click();
    const row = hq.getByTestId('project-meetings').locator('tr.ant-table-row').filter({ hasText: meetingTitle });
    await row.waitFor({ timeout: 20_000 });
    // newest first (the demo's own meetings touch no project, so this one is the only row)
    expect(await hq.getByTestId('project-meetings').getByTestId('project-meeting').first().getAttribute('data-id')).toBe(meetingId);
    expect(await row.getByTestId('meeting-status').getAttribute('data-status')).toBe('minutes_issued');
    await shoot(hq, 'project-meetings-1920x1080.png');
    await row.getByTestId('project-meeting').click();
    await hq.waitForURL(meetingUrl);
    await hq.getByTestId('meeting-title').getByText(meetingTitle).waitFor();

    // on a phone: cards, nothing wider than the screen
    await phone.goto(`${server.url}/projects/${project!.refId}?tab=meetings`);
    const card = phone.getByTestId('project-meetings').getByTestId('project-meeting').filter({ hasText: meetingTitle });
    await card.waitFor({ timeout: 20_000 });
    await noSideways(phone);
    await shoot(phone, 'project-meetings-375x812.png');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
