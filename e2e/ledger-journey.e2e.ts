/**
 * The ledger's browser journey (issue 3): an HQ commander downloads the import template, fills it with two projects of
 * which one has a bad amount, uploads it, reads the error report on the page and in errors.xlsx, fixes the row,
 * uploads again and confirms; then finds the new project by a two-character Chinese search and exports the list with
 * the columns on screen (checked with exceljs). Screenshots of the ledger at 1920 and 375 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD, REPO_ROOT, launchBrowser, screenshotDir, startServer, tempDir, type RunningServer } from './support.ts';

const WEB_INDEX = path.join(REPO_ROOT, 'dist/web/index.html');
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 375, height: 812 };
const HQ = '崔寨片区建设指挥部';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shots = screenshotDir();
const files = tempDir('qibu-ledger-e2e-');
const pageErrors: string[] = [];
const stamp = String(Date.now()).slice(-6);
const good = { code: `E2E-${stamp}-1`, name: '鸿雁湖琉璃文创园项目', total: '12.5' };
const bad = { code: `E2E-${stamp}-2`, name: '鸿雁湖数据中心项目', total: '八亿多', fixed: '8.25' };
let template: Buffer;

async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${server.url}/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(DEMO_PASSWORD);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('welcome-card').waitFor();
}

async function shoot(name: string): Promise<string> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size, `${file} is empty`).toBeGreaterThan(10_000);
  return file;
}

/** Clicks something that downloads a file and returns the bytes and the suggested name. */
async function downloadBy(trigger: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), trigger.click()])) as [Download, unknown];
  const file = path.join(files, `${Date.now()}-${download.suggestedFilename().replace(/[^\w.-]/g, '_')}`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

async function readBook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const headerText = (text: string) => text.replace(/[\s*＊]/g, '').replaceAll('（', '(').replaceAll('）', ')');

/** The template filled with our rows: header cells are found by their text, whatever their order. */
async function fillTemplate(rows: { code: string; name: string; total: string }[]): Promise<Buffer> {
  const wb = await readBook(template);
  const sheet = wb.getWorksheet('项目台账') ?? wb.worksheets[0]!;
  let headerRow = 0;
  const col = new Map<string, number>();
  for (let r = 1; r <= 5 && !headerRow; r++) {
    sheet.getRow(r).eachCell((cell, c) => {
      const h = headerText(cell.text);
      if (h === '项目编号') headerRow = r;
      col.set(h, c);
    });
    if (!headerRow) col.clear();
  }
  expect(headerRow, 'the template has a 项目编号 header').toBeGreaterThan(0);
  const put = (r: number, header: string, value: string) => {
    const c = col.get(headerText(header));
    expect(c, `template column ${header}`).toBeDefined();
    sheet.getRow(r).getCell(c!).value = value;
  };
  rows.forEach((row, i) => {
    const r = headerRow + 1 + i;
    put(r, '项目编号', row.code);
    put(r, '项目名称', row.name);
    put(r, '级别', '区重点');
    put(r, '指挥部', HQ);
    put(r, '总投资(亿元)', row.total);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Buffer, name: string): Promise<void> {
  await page.getByTestId('import-step-2').locator('input[type=file]').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bytes });
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
}

describe('ledger journey in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(WEB_INDEX)) {
      const { build } = await import('vite');
      await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`ledger journey screenshots: ${shots}`);
  });

  it('signs in as the HQ commander and opens the ledger with its figures', async () => {
    await signIn(page, 'hq.cuizhai');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '项目台账' }).click();
    await page.waitForURL(/\/projects$/);
    await page.getByTestId('metrics-strip').waitFor();
    await page.getByTestId('metric-start').getByText('开工率').waitFor();
    await page.getByTestId('project-table').locator('tr.ant-table-row').first().waitFor();
  });

  it('downloads the import template', async () => {
    await page.getByTestId('project-import').click();
    await page.waitForURL(/\/projects\/import$/);
    await page.getByTestId('import-nothing-written').getByText('之前不会写入任何数据').waitFor();
    const { name, bytes } = await downloadBy(page.getByTestId('import-template'));
    expect(name).toMatch(/\.xlsx$/);
    template = bytes;
    const wb = await readBook(bytes);
    expect(wb.getWorksheet('项目台账'), 'data sheet').toBeDefined();
    expect(wb.getWorksheet('说明'), 'instructions sheet').toBeDefined();
  });

  it('uploads a ledger with one bad amount and reads the error report', async () => {
    await upload(await fillTemplate([good, bad]), '台账-有错.xlsx');
    const report = page.getByTestId('import-report');
    const errors = page.getByTestId('import-errors');
    const badRow = errors.locator('tr.ant-table-row').filter({ hasText: bad.total });
    await badRow.first().waitFor();
    expect(await errors.locator('tr.ant-table-row').count()).toBe(1);
    await expect(badRow.first().textContent()).resolves.toMatch(/总投资/);
    // nothing was written: the good row is not in the ledger yet
    const before = await page.evaluate(async (code) => (await (await fetch(`/api/projects?q=${encodeURIComponent('琉璃')}`)).json()).items.filter((p: { code: string }) => p.code === code).length, good.code);
    expect(before).toBe(0);
    await expect(report.textContent()).resolves.toContain('有问题');
    await page.getByTestId('import-confirm').waitFor();

    const { bytes } = await downloadBy(page.getByTestId('import-errors-download'));
    const sheet = (await readBook(bytes)).worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(['行号', '列', '填写内容', '问题']);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.some((r) => r && r[3] === bad.total && String(r[2]).includes('总投资'))).toBe(true);
    await shoot('import-errors-1920x1080.png');
  });

  it('fixes the row, uploads again and confirms the import', async () => {
    await page.getByTestId('import-again').click();
    await upload(await fillTemplate([good, { ...bad, total: bad.fixed }]), '台账-已修改.xlsx');
    await page.getByTestId('import-report').getByText('全部数据校验通过').waitFor();
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-result').getByText('新增 2 个').waitFor();
    await page.getByTestId('import-to-list').click();
    await page.waitForURL(/\/projects$/);
  });

  it('finds the new project by a two-character Chinese search, and the link keeps the search', async () => {
    const search = page.getByTestId('project-search').locator('input');
    await search.fill('琉璃');
    await search.press('Enter');
    await page.waitForURL(/q=/);
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('q') ?? '')).toBe('琉璃');
    const table = page.getByTestId('project-table');
    // the old page stays on screen while the search runs: wait for the answer
    await expect.poll(() => table.locator('tr.ant-table-row').count(), { timeout: 15_000 }).toBe(1);
    await table.locator('tr.ant-table-row').filter({ hasText: good.name }).first().waitFor();
    await expect(table.locator('tr.ant-table-row').first().textContent()).resolves.toContain('12.5');

    await page.reload();
    await table.locator('tr.ant-table-row').filter({ hasText: good.name }).first().waitFor();
    expect(await table.locator('tr.ant-table-row').count()).toBe(1);
    await expect(search.inputValue()).resolves.toBe('琉璃');
  });

  it('exports exactly the columns on screen, in order', async () => {
    await page.getByTestId('columns-button').click();
    await page.getByTestId('col-industry').click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('project-table').locator('thead').textContent()).resolves.not.toContain('行业');
    const { name, bytes } = await downloadBy(page.getByRole('button', { name: '导出Excel' }));
    expect(name).toMatch(/\.xlsx$/);
    const sheet = (await readBook(bytes)).worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(['项目编号', '项目名称', '建设单位（企业）', '项目级别', '项目阶段', '指挥部', '责任单位', '包挂领导', '总投资（元）', '年度计划投资（元）', '年度完成投资（元）', '序时进度']);
    // the export has the filter of the list: the one project found by 琉璃
    const rows = (sheet.getSheetValues().slice(2) as unknown[][]).filter(Boolean);
    expect(rows).toHaveLength(1);
    expect(rows[0]![1]).toBe(good.code);
    expect(rows[0]![2]).toBe(good.name);
    expect(rows[0]![6]).toBe(HQ);
    expect(rows[0]![9]).toBe(1_250_000_000);
  });

  it('renders the ledger at 1920 and at 375 px', async () => {
    await page.goto(`${server.url}/projects`);
    await page.getByTestId('project-table').locator('tr.ant-table-row').nth(2).waitFor();
    await page.getByTestId('lagging-list').waitFor();
    await shoot('ledger-1920x1080.png');

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('project-table').locator('tr.ant-table-row').nth(2).waitFor();
    await page.getByTestId('menu-button').waitFor();
    // nothing wider than the phone: the table and the metrics scroll inside their own boxes
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shoot('ledger-375x812.png');
    // the filters live in a drawer on phones
    await page.getByTestId('filter-open').click();
    await page.locator('.ant-drawer').getByText('只看滞后项目').waitFor();
    await shoot('ledger-filters-375x812.png');
    await page.keyboard.press('Escape');
    await page.setViewportSize(DESKTOP);
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
