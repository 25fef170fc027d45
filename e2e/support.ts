/**
 * Browser / process test support: start a real `qibu serve` on a free port with its own data dir, and launch
 * Debian's Chromium through playwright-core. Used by every `e2e/*.e2e.ts` file (run with `npm run test:e2e`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** A fixed master secret, so a second start on the same data dir decrypts what the first one wrote. */
export const E2E_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
export const DEMO_PASSWORD = 'Qibu@2026!';
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const HEALTH_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export interface StartOptions {
  /** Load the demo zone (QIBU_DEMO=1); default true. */
  demo?: boolean;
  /** Extra environment for the server (wins over everything else). */
  env?: Record<string, string>;
  /** Reuse a data dir (e.g. from an earlier start) instead of a fresh temporary one. */
  dataDir?: string;
  /** Keep the temporary data dir after stop() (to start again on it); cleanupTempDirs() removes it later. */
  keepDataDir?: boolean;
}

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first healthy answer of GET /api/health. */
  readyMs: number;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output(): string;
  /**
   * SIGTERM, wait for exit (SIGKILL after 15 s). A temporary data dir made by startServer is then removed, unless
   * `keepDataDir` was set; a data dir passed in is never removed.
   */
  stop(): Promise<void>;
}

const tempDirs: string[] = [];
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    for (const dir of tempDirs) removeDir(dir);
  });
}

/**
 * A fresh temporary directory, removed by cleanupTempDirs() (call it in afterAll) or, as a fallback, when the test
 * process exits normally. QIBU_E2E_KEEP=1 keeps them all for inspection.
 */
export function tempDir(prefix = 'qibu-e2e-'): string {
  installExitHook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function removeDir(dir: string): void {
  if (process.env.QIBU_E2E_KEEP === '1') return;
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

/** Stops every server still running and removes every temporary dir made so far. */
export async function cleanupTempDirs(): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
  }
  children.clear();
  for (const dir of tempDirs.splice(0)) removeDir(dir);
}

/** A directory for screenshots: $QIBU_E2E_SCREENSHOTS if set, else a temporary one that is kept for inspection. */
export function screenshotDir(): string {
  const fixed = process.env.QIBU_E2E_SCREENSHOTS;
  if (fixed) {
    fs.mkdirSync(fixed, { recursive: true });
    return fixed;
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-e2e-shots-'));
}

/** A port that was free a moment ago: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Environment inherited from the test process, minus anything that would change which database or port is used. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k.startsWith('QIBU_') || ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL', 'NODE_OPTIONS'].includes(k)) continue;
    if (k.startsWith('VITEST') || k === 'TEST' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return env;
}

/** Spawns `node bin/qibu.mjs serve` and resolves once GET /api/health answers 200 (rejects after 90 s). */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  installExitHook();
  const given = opts.dataDir ?? opts.env?.QIBU_DATA_DIR;
  const ownDir = given ? null : tempDir();
  const dataDir = given ?? path.join(ownDir!, 'data');
  const port = opts.env?.PORT ? Number(opts.env.PORT) : await freePort();
  const env: Record<string, string> = {
    ...baseEnv(),
    QIBU_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    QIBU_DEMO: opts.demo === false ? '0' : '1',
    QIBU_SECRET_KEY: E2E_SECRET_KEY,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const child = spawn(process.execPath, ['bin/qibu.mjs', 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  const stop = async () => {
    if (isRunning()) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
      if (timedOut && isRunning()) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    children.delete(child);
    if (ownDir && !opts.keepDataDir) {
      removeDir(ownDir);
      const i = tempDirs.indexOf(ownDir);
      if (i >= 0) tempDirs.splice(i, 1);
    }
  };

  const describe = (why: string) =>
    new Error(`${why}\n--- qibu serve (pid ${child.pid}, ${url}, data ${dataDir}) output ---\n${out || '(nothing printed)'}\n---`);

  for (;;) {
    if (!isRunning()) {
      await exited;
      throw describe(`qibu serve exited (code ${child.exitCode}, signal ${child.signalCode}) before it was healthy`);
    }
    if (Date.now() - started > HEALTH_TIMEOUT_MS) {
      await stop();
      throw describe(`qibu serve was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        await res.arrayBuffer();
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  return { url, dataDir, port, pid: child.pid ?? -1, readyMs: Date.now() - started, output: () => out, stop };
}

/** Debian's Chromium, headless, through playwright-core (never Playwright's own browser download). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Signs in through the API; returns the session cookie header value (name=value) or throws with the answer. */
export async function apiLogin(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${body}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (!cookies.length) throw new Error(`login ${username}: no session cookie`);
  return cookies.join('; ');
}
