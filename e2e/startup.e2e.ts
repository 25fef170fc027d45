/**
 * The two-command start (issue 2, "What a user gets" 1): a real `qibu serve` process, first start and second start
 * on the same data dir, an empty instance with QIBU_DEMO=0, and the web app's HTML with a strict CSP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEMO_USERS } from '../src/server/demo/demo-data.ts';
import { apiLogin, cleanupTempDirs, REPO_ROOT, startServer, type RunningServer } from './support.ts';

const DEMO_ACCOUNTS = DEMO_USERS.filter((u) => u.label).map((u) => u.username);

async function me(url: string, cookie: string): Promise<{ user: { username: string }; zone: { id: string; name: string; isDemo: boolean } }> {
  const res = await fetch(`${url}/api/auth/me`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

describe('qibu serve: start, restart, empty instance', () => {
  const running: RunningServer[] = [];
  let dataDir = '';
  let firstZoneId = '';
  const figures: Record<string, number> = {};

  afterAll(async () => {
    for (const s of running) await s.stop();
    await cleanupTempDirs();
    if (Object.keys(figures).length) {
      console.log(`[startup] spawn → healthy: ${Object.entries(figures).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
    }
  });

  test('first start: migrates, loads the demo zone, prints the URL and the demo accounts, is healthy', async () => {
    const server = await startServer({ keepDataDir: true });
    running.push(server);
    dataDir = server.dataDir;
    figures['first start'] = server.readyMs;
    console.log(`[startup] first start (fresh data dir): healthy after ${server.readyMs} ms`);

    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'pglite' });

    const out = server.output();
    expect(out).toContain(server.url);
    expect(out).toContain('demo zone loaded');
    for (const username of DEMO_ACCOUNTS) expect(out).toContain(username);
    expect(out).toContain('Qibu@2026!');

    const cookie = await apiLogin(server.url, 'leader');
    const who = await me(server.url, cookie);
    expect(who.user.username).toBe('leader');
    expect(who.zone.isDemo).toBe(true);
    firstZoneId = who.zone.id;

    const wrong = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'leader', password: 'not-the-password' }),
    });
    expect(wrong.status).toBe(401);
  });

  test('GET / serves the web app with a Content-Security-Policy that allows no inline scripts', async () => {
    const server = running[0];
    expect(server, 'first start must have succeeded').toBeDefined();
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist/web/index.html')), 'the web app is not built: run `npm run build` (npm ci does it)').toBe(true);
    const res = await fetch(`${server!.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<div id="root"|<script type="module"/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).not.toBe('');
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('default-src ')) ?? '';
    expect(scriptSrc).not.toBe('');
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    // A client-side route is the same page.
    const deep = await fetch(`${server!.url}/org/units`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    // An unknown API path is a JSON 404, never the page.
    const unknownApi = await fetch(`${server!.url}/api/no-such-thing`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toMatch(/application\/json/);
  });

  test('second start on the same data dir keeps the data and does not reload the demo zone', async () => {
    expect(dataDir).not.toBe('');
    await running[0]!.stop();
    running.length = 0;

    const server = await startServer({ dataDir });
    running.push(server);
    figures['second start'] = server.readyMs;
    console.log(`[startup] second start (same data dir): healthy after ${server.readyMs} ms`);

    const out = server.output();
    expect(out).toContain(server.url);
    expect(out).not.toContain('demo zone loaded');
    expect(out).not.toMatch(/migrated:/);

    const cookie = await apiLogin(server.url, 'leader');
    const who = await me(server.url, cookie);
    expect(who.zone.id).toBe(firstZoneId);
  });

  test('QIBU_DEMO=0 on a fresh data dir starts an empty instance that asks for setup', async () => {
    const server = await startServer({ demo: false });
    running.push(server);
    figures['empty instance'] = server.readyMs;

    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', db: 'pglite' });
    // No demo accounts exist, and none are printed.
    const out = server.output();
    expect(out).not.toContain('demo accounts');
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'leader', password: 'Qibu@2026!' }),
    });
    expect(login.status).toBe(401);

    const setup = await fetch(`${server.url}/api/setup`);
    expect(setup.status).toBe(200);
    expect(await setup.json()).toMatchObject({ needed: true });
  });
});
