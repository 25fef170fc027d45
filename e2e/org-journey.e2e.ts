/**
 * The foundation's browser journey: a system admin signs in, switches the language and back, adds a unit under
 * 崔寨街道 and sees it in the tree (at 1920 and 375 px wide); an audit admin then finds that change in the audit trail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, REPO_ROOT, launchBrowser, screenshotDir, startServer, type RunningServer } from './support.ts';

const WEB_INDEX = path.join(REPO_ROOT, 'dist/web/index.html');
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 375, height: 812 };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shots = screenshotDir();
const unitName = `测试科室${Math.floor(Math.random() * 1e6)}`;
let unitId = '';
const pageErrors: string[] = [];

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
  const size = fs.statSync(file).size;
  expect(size, `${file} is empty`).toBeGreaterThan(10_000);
  return file;
}

describe('org journey in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(WEB_INDEX)) {
      // `npm ci` builds the web app (prepare); a checkout without it gets one build here.
      const { build } = await import('vite');
      await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`org journey screenshots: ${shots}`);
  });

  it('signs in as the system admin and sees the home page in Chinese', async () => {
    await signIn(page, 'sysadmin');
    await expect(page.getByTestId('zone-name').textContent()).resolves.toContain('起步区');
    await page.getByTestId('welcome-card').getByText('系统管理员').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  });

  it('switches to English, keeps it across a reload, and back to Chinese', async () => {
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByTestId('side-menu').getByRole('menuitem', { name: 'Organisation' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('qibu.lang'))).toBe('en');
    await page.reload();
    await page.getByTestId('side-menu').getByRole('menuitem', { name: 'Organisation' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '组织架构' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('qibu.lang'))).toBe('zh-CN');
  });

  it('adds a department under 崔寨街道 and sees it in the tree', async () => {
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '组织架构' }).click();
    await page.waitForURL(/\/org\/units/);
    const tree = page.getByTestId('unit-tree');
    await tree.getByText('崔寨街道', { exact: true }).click();
    await page.getByTestId('unit-add-child').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill(unitName);
    await dialog.getByTestId('unit-kind').click();
    await page.locator('.ant-select-dropdown:visible').getByText('部门', { exact: true }).click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tree.getByText(unitName, { exact: true }).waitFor();
    await page.getByTestId('unit-details').getByText(unitName).first().waitFor();
    unitId = new URL(page.url()).searchParams.get('id') ?? '';
    expect(unitId).toMatch(/^[0-9a-f-]{36}$/);
    // the new unit sits under 崔寨街道 in the breadcrumb
    await page.getByTestId('unit-details').locator('.ant-breadcrumb').getByText('崔寨街道').waitFor();
  });

  it('renders the units page at 1920 and at 375 px', async () => {
    await page.getByTestId('unit-tree').getByText(unitName, { exact: true }).waitFor();
    await shoot('units-1920x1080.png');

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('unit-tree').getByText(unitName, { exact: true }).waitFor();
    await page.getByTestId('menu-button').waitFor();
    // nothing wider than the phone: tables and trees scroll inside their own boxes
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shoot('units-375x812.png');

    // the side menu is a drawer on phones
    await page.getByTestId('menu-button').click();
    await page.locator('.ant-drawer').getByRole('menuitem', { name: '企业' }).waitFor();
    await page.keyboard.press('Escape');
    await page.setViewportSize(DESKTOP);
  });

  it('signs out, and the audit admin finds the unit.create entry', async () => {
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await signIn(page, 'auditor');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(/\/admin\/audit/);
    await page.getByTestId('audit-action').locator('input').fill('unit.create');
    await page.getByPlaceholder('对象编号').fill(unitId);
    await page.getByTestId('audit-search').click();
    const table = page.getByTestId('audit-table');
    const row = table.locator('tr.ant-table-row').filter({ hasText: 'unit.create' });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await expect(row.first().textContent()).resolves.toContain('郑系统');
    // the expanded row shows the unit as it was created
    await row.first().locator('.ant-table-row-expand-icon').click();
    await table.locator('.ant-table-expanded-row').getByText(unitName).first().waitFor();
    await shoot('audit-1920x1080.png');
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
