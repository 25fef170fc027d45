/**
 * The closed loop's browser journey (issue 4): on a desktop the HQ commander raises a problem and assigns it to
 * 崔寨街道 with 5 working days; on a 375 px phone the street's staff finds it in 我的待办, accepts it, reports
 * progress with a photo and submits; the HQ returns it once with a reason, the street submits again, the HQ closes it.
 * The light and the timeline are checked at each step. Then a problem drafted on the phone without network is kept
 * on the device and sent, exactly once, when the network returns. Screenshots at 1920 and 375 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD, REPO_ROOT, launchBrowser, screenshotDir, startServer, type RunningServer } from './support.ts';

const WEB_INDEX = path.join(REPO_ROOT, 'dist/web/index.html');
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 375, height: 812 };
const STREET = '崔寨街道';
const CATEGORY = '水电气热配套';

let server: RunningServer;
let browser: Browser;
let hqContext: BrowserContext;
let phoneContext: BrowserContext;
let hq: Page;
let phone: Page;
const shots = screenshotDir();
const pageErrors: string[] = [];
const stamp = String(Date.now()).slice(-6);
const title = `崔寨大街雨水管网未接通 ${stamp}`;
const draftTitle = `孙庄路口路灯损坏 ${stamp}`;
let problemUrl = '';

// ---------------------------------------------------------------- a small PNG made here

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 48×48 PNG: a blue square with an orange stripe (a "site photo"). */
function makePng(): Buffer {
  const w = 48;
  const h = 48;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const stripe = y > 20 && y < 28;
      raw[o] = stripe ? 250 : 31;
      raw[o + 1] = stripe ? 140 : 78;
      raw[o + 2] = stripe ? 22 : 154;
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

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

/** Opens an antd Select and picks the option with this text. */
async function choose(p: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  const option = p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
  await option.waitFor();
  await option.click();
}

/** Opens an antd TreeSelect, searches and picks the node with this text. */
async function chooseNode(p: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  await select.locator('input').fill(text);
  const node = p.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper').filter({ hasText: text }).first();
  await node.waitFor();
  await node.click();
}

async function stateOf(p: Page): Promise<string | null> {
  return p.getByTestId('problem-title').locator('xpath=..').getByTestId('state-tag').first().getAttribute('data-state');
}

async function lightOf(p: Page): Promise<string | null> {
  return p.getByTestId('problem-light').getAttribute('data-light');
}

/** The actions of the timeline in order. */
async function timelineActions(p: Page): Promise<string[]> {
  const events = p.getByTestId('timeline-event');
  const n = await events.count();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await events.nth(i).getAttribute('data-action')) ?? '');
  return out;
}

/** Takes one action from the problem page: opens its form, fills it, sends it, waits for the new state. */
async function act(p: Page, action: string, fill: (form: Locator) => Promise<void>, expectState: string): Promise<void> {
  await p.getByTestId(`action-${action}`).click();
  // the modal's root carries the test id (a wrapper without a box of its own): wait for its OK button
  const form = p.getByTestId(`action-form-${action}`);
  await form.getByTestId('action-ok').waitFor();
  await fill(form);
  await form.getByTestId('action-ok').click();
  await expect.poll(() => stateOf(p), { timeout: 20_000 }).toBe(expectState);
  await form.waitFor({ state: 'detached' });
}

async function apiJson<T>(p: Page, url: string): Promise<T> {
  return p.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).json(), url) as Promise<T>;
}

// ---------------------------------------------------------------- the journey

describe('closed-loop journey in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(WEB_INDEX)) {
      const { build } = await import('vite');
      await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    server = await startServer();
    browser = await launchBrowser();
    hqContext = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    phoneContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    hq = await hqContext.newPage();
    phone = await phoneContext.newPage();
    for (const p of [hq, phone]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`problems journey screenshots: ${shots}`);
  });

  it('the HQ commander raises a problem and assigns it to the street with 5 working days', async () => {
    await signIn(hq, 'hq.cuizhai');
    await hq.getByTestId('side-menu').getByRole('menuitem', { name: '问题闭环' }).click();
    await hq.waitForURL(/\/problems$/);
    await hq.getByTestId('problem-raise').click();
    await hq.waitForURL(/\/problems\/new$/);

    await hq.getByTestId('raise-title').fill(title);
    await choose(hq, hq.getByTestId('raise-category'), CATEGORY);
    await hq.getByTestId('raise-description').fill('崔寨大街北段雨水管网与市政主管未接通，雨天路面积水，影响沿线企业通行。');
    await hq.getByTestId('raise-assign-now').click();
    await chooseNode(hq, hq.getByTestId('assign-lead-unit'), STREET);
    const workdays = hq.getByTestId('assign-workdays');
    await workdays.fill('5');
    // the live preview is the calendar's answer for today + 5 working days
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const expected = await apiJson<{ date: string }>(hq, `/api/calendar/add-workdays?from=${today}&days=5`);
    await expect.poll(() => hq.getByTestId('deadline-preview').textContent()).toContain(expected.date);
    await hq.getByTestId('assign-instruction').fill('请于期限内完成管网接驳，并上传现场照片。');
    await shoot(hq, 'problem-raise-1920x1080.png');

    await hq.getByTestId('raise-submit').click();
    await hq.waitForURL(/\/problems\/[0-9a-f-]{36}$/);
    problemUrl = hq.url();
    await hq.getByTestId('problem-title').getByText(title).waitFor();
    expect(await stateOf(hq)).toBe('assigned');
    expect(await lightOf(hq)).toBe('green');
    await hq.getByTestId('problem-light').getByText('剩 5 个工作日').waitFor();
    await hq.getByTestId('problem-facts').getByText(expected.date).first().waitFor();
    expect(await timelineActions(hq)).toEqual(['raise', 'assign']);
    await shoot(hq, 'problem-assigned-1920x1080.png');
  });

  it('on a phone the street staff finds it in 我的待办 and accepts it', async () => {
    await signIn(phone, 'staff.cuizhai');
    await phone.getByTestId('menu-button').click();
    await phone.getByTestId('side-menu').getByRole('menuitem', { name: '问题闭环' }).click();
    // unit staff land on their to-do
    await phone.waitForURL(/\/problems\/todo$/);
    const card = phone.getByTestId('problem-card').filter({ hasText: title });
    await card.waitFor();
    await expect(card.getByTestId('next-action').textContent()).resolves.toContain('签收');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shoot(phone, 'problem-todo-375x812.png');

    await card.click();
    await phone.waitForURL(problemUrl);
    await act(phone, 'accept', async () => {}, 'in_progress');
    expect(await lightOf(phone)).toBe('green');
  });

  it('reports progress with a photo and submits the resolution', async () => {
    await act(
      phone,
      'report_progress',
      async (form) => {
        await form.getByTestId('action-text').fill('已组织施工队进场，完成北段 120 米管道开挖。');
        await form.getByTestId('action-photos').locator('input[type=file]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: makePng() });
        await form.locator('.ant-upload-list-item').first().waitFor();
      },
      'in_progress',
    );
    await expect.poll(() => timelineActions(phone)).toEqual(['raise', 'assign', 'accept', 'report_progress']);
    const photo = phone.getByTestId('timeline-photo').first();
    await photo.waitFor();
    // the thumbnail loads from /api/files/{id}
    await expect.poll(() => photo.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await shoot(phone, 'problem-progress-375x812.png');

    await act(phone, 'submit', async (form) => form.getByTestId('action-text').fill('管网已接通，试水正常。'), 'submitted');
  });

  it('the HQ returns it once with a reason', async () => {
    await hq.reload();
    await hq.getByTestId('problem-title').waitFor();
    expect(await stateOf(hq)).toBe('submitted');
    await act(hq, 'return', async (form) => form.getByTestId('action-reason').fill('请补充接驳处的竣工照片和试水记录。'), 'in_progress');
    await hq.getByText('退回 1 次').first().waitFor();
  });

  it('the street submits again', async () => {
    await phone.reload();
    await phone.getByTestId('problem-title').waitFor();
    expect(await stateOf(phone)).toBe('in_progress');
    await act(
      phone,
      'submit',
      async (form) => {
        await form.getByTestId('action-text').fill('已补充竣工照片和试水记录。');
        await form.getByTestId('action-photos').locator('input[type=file]').setInputFiles({ name: '竣工.png', mimeType: 'image/png', buffer: makePng() });
        await form.locator('.ant-upload-list-item').first().waitFor();
      },
      'submitted',
    );
  });

  it('the HQ verifies and closes it; the timeline shows every step with its light', async () => {
    await hq.reload();
    await hq.getByTestId('problem-title').waitFor();
    await act(hq, 'close', async (form) => form.getByTestId('action-text').fill('现场核验，管网运行正常，同意销号。'), 'closed');
    // closed problems have no light
    expect(await lightOf(hq)).toBe('none');
    expect(await timelineActions(hq)).toEqual(['raise', 'assign', 'accept', 'report_progress', 'submit', 'return', 'submit', 'close']);
    const lights = await hq.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-light')));
    // raised without a deadline: no light; green from the assignment while it was open; none once closed
    expect(lights).toEqual(['none', 'green', 'green', 'green', 'green', 'green', 'green', 'none']);
    await hq.getByTestId('problem-timeline').getByText('请补充接驳处的竣工照片和试水记录。').waitFor();
    await shoot(hq, 'problem-closed-1920x1080.png');
    // 交办单 as PDF and Word from the 文书 menu
    await hq.getByTestId('problem-documents').click();
    for (const [testId, type] of [
      ['doc-assignment-notice-pdf', 'application/pdf'],
      ['doc-assignment-notice-docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const href = await hq.getByTestId(testId).getAttribute('href');
      const answer = await hq.evaluate(async (u) => {
        const res = await fetch(u!, { credentials: 'same-origin' });
        return { status: res.status, type: res.headers.get('content-type'), size: (await res.arrayBuffer()).byteLength };
      }, href);
      expect(answer.status, `${testId} ${href}`).toBe(200);
      expect(answer.type).toContain(type);
      expect(answer.size).toBeGreaterThan(1000);
    }
    await hq.keyboard.press('Escape');

    await phone.reload();
    await phone.getByTestId('problem-title').waitFor();
    expect(await stateOf(phone)).toBe('closed');
    expect(await phone.getByTestId('timeline-event').count()).toBe(8);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shoot(phone, 'problem-closed-375x812.png');
  });

  it('the list opens filtered from its URL, finds it by a Chinese search, exports the visible columns, and shows cards on a phone', async () => {
    // a link such as the metrics page makes: every row is red
    await hq.goto(`${server.url}/problems?light=red`);
    await hq.getByTestId('filter-light').getByText('红灯').waitFor();
    await hq.getByTestId('problem-table').locator('.ant-table-tbody').waitFor();
    const rowLights = await hq.getByTestId('problem-table').locator('tr.ant-table-row [data-light]').evaluateAll((els) => els.map((e) => e.getAttribute('data-light')));
    expect(rowLights.every((l) => l === 'red')).toBe(true);

    await hq.goto(`${server.url}/problems?state=closed&q=${encodeURIComponent('管网')}`);
    const table = hq.getByTestId('problem-table');
    await table.locator('tr.ant-table-row').filter({ hasText: title }).first().waitFor();
    await shoot(hq, 'problem-list-1920x1080.png');
    const [download] = await Promise.all([hq.waitForEvent('download'), hq.getByRole('button', { name: '导出Excel' }).click()]);
    const file = path.join(shots, 'problems-export.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(['问题编号', '问题', '灯色', '状态', '优先级', '类别', '指挥部', '承办单位', '办理时限', '提报日期']);
    const rows = (sheet.getSheetValues().slice(2) as unknown[][]).filter(Boolean);
    expect(rows.some((r) => r[2] === title && r[4] === '已销号')).toBe(true);

    await phone.goto(`${server.url}/problems?q=${encodeURIComponent('管网')}`);
    await phone.getByTestId('problem-card').filter({ hasText: title }).waitFor();
    await shoot(phone, 'problem-list-375x812.png');
  });

  it('a problem drafted on the phone without network is kept, then sent once when the network returns', async () => {
    await phone.goto(`${server.url}/problems/new`);
    await phone.getByTestId('raise-title').waitFor();
    // the form's lists (categories, HQs) are loaded while online; then the network goes
    await phone.getByTestId('raise-category').click();
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
    await phone.keyboard.press('Escape');
    await phoneContext.setOffline(true);
    await phone.getByTestId('offline-banner').waitFor();

    await phone.getByTestId('raise-title').fill(draftTitle);
    await choose(phone, phone.getByTestId('raise-category'), '其他');
    await phone.getByTestId('raise-description').fill('路口两盏路灯不亮，夜间通行不安全。');
    await phone.getByTestId('raise-photos').locator('input[type=file]').setInputFiles({ name: '路灯.png', mimeType: 'image/png', buffer: makePng() });
    // unit staff have no HQ of their own: the HQ is chosen under 更多信息
    await phone.getByText('更多信息').click();
    await choose(phone, phone.getByTestId('raise-command'), '崔寨片区建设指挥部');
    await phone.getByTestId('raise-submit').click();

    const drafts = phone.getByTestId('drafts-list');
    await drafts.waitFor();
    const item = drafts.getByTestId('draft-item').filter({ hasText: draftTitle });
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('waiting');
    await shoot(phone, 'problem-draft-offline-375x812.png');

    await phoneContext.setOffline(false);
    // sent by itself on the `online` event: the draft leaves the list
    await drafts.waitFor({ state: 'detached', timeout: 30_000 });
    const found = await apiJson<{ items: { id: string; title: string }[]; total: number }>(phone, `/api/problems?q=${encodeURIComponent('路灯')}&pageSize=50`);
    expect(found.items.filter((p) => p.title === draftTitle)).toHaveLength(1);
    const files = await apiJson<{ items: { originalName: string }[] }>(phone, `/api/problems/${found.items.find((p) => p.title === draftTitle)!.id}/files`);
    expect(files.items.map((f) => f.originalName)).toEqual(['路灯.png']);

    // and it is in the list once
    await phone.goto(`${server.url}/problems?q=${encodeURIComponent('路灯')}`);
    await phone.getByTestId('problem-card').filter({ hasText: draftTitle }).waitFor();
    expect(await phone.getByTestId('problem-card').filter({ hasText: draftTitle }).count()).toBe(1);
    await shoot(phone, 'problem-draft-sent-375x812.png');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
