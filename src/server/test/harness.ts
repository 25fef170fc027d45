import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../shared/roles.ts';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { AppServices } from '../context.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { hashPassword } from '../auth/passwords.ts';
import { seedZone, type SeededZone } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/demo-data.ts';

export const TEST_PASSWORD = 'Test@Pass2026';

interface Harness {
  app: App;
  services: AppServices;
  /** A movable clock: tests of timeouts shift it instead of sleeping. */
  clock: { offsetMs: number };
}

let harness: Promise<Harness> | undefined;
let passwordHash: Promise<string> | undefined;

async function start(): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-test-'));
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: process.env.QIBU_TEST_DATABASE_URL,
    secretKey: randomBytes(32).toString('hex'),
    demo: false,
    logLevel: 'silent',
    // Tests sign in hundreds of times from one address; the limit itself is tested with its own app.
    authRateLimit: 1_000_000,
  };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrate(database.db);
  const clock = { offsetMs: 0 };
  const { app, services } = await buildApp({ config, database, logger: false, now: () => new Date(Date.now() + clock.offsetMs) });
  return { app, services, clock };
}

/** The one app and database of this test run. */
export function getHarness(): Promise<Harness> {
  harness ??= start();
  return harness;
}

export interface TestZone extends SeededZone {
  prefix: string;
  /** Usernames in this zone by demo username (leader → t3k9.leader). */
  username(demoUsername: string): string;
}

/**
 * A fresh demo-shaped zone for one test: its own org tree, HQs and a user for every role, so tests never clean up
 * and never see each other's data. Demo usernames get a unique prefix.
 */
export async function createZone(opts: { ledger?: boolean; problems?: boolean } = {}): Promise<TestZone> {
  const { services } = await getHarness();
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  const seeded = await services.db.transaction(async (tx) =>
    seedZone(tx, services, { zoneCode: prefix.slice(0, -1), zoneName: `测试区 ${prefix}`, usernamePrefix: prefix, isDemo: true, passwordHash: await passwordHash!, withLedger: (opts.ledger ?? false) || (opts.problems ?? false), withProblems: opts.problems ?? false }),
  );
  return { ...seeded, prefix, username: (u) => prefix + u };
}

/** The demo username that holds a role (the first one listed in demo-data). */
export function demoUserWithRole(role: Role): string {
  const user = DEMO_USERS.find((u) => u.roles.includes(role));
  if (!user) throw new Error(`no demo user has role ${role}`);
  return user.username;
}

export class Client {
  cookie: string | undefined;
  constructor(
    readonly app: App,
    readonly lang: 'zh-CN' | 'en' = 'zh-CN',
  ) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { 'accept-language': this.lang, ...(opts.headers as Record<string, string> | undefined) };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.app.inject({ ...opts, headers });
    const set = res.cookies.find((c) => c.name === 'qibu_sid');
    if (set) this.cookie = set.value ? `qibu_sid=${set.value}` : undefined;
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request({ method: 'POST', url, payload: payload as InjectOptions['payload'], ...(headers ? { headers } : {}) });
  }
  patch(url: string, payload?: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] });
  }
  put(url: string, payload?: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as InjectOptions['payload'] });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

/** Signs in as a demo user of the zone and returns a client carrying the session cookie. */
export async function signIn(zone: TestZone, demoUsername: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Client> {
  const { app } = await getHarness();
  const client = new Client(app, lang);
  const res = await client.post('/api/auth/login', { username: zone.username(demoUsername), password: TEST_PASSWORD });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${demoUsername} failed: ${res.statusCode} ${res.body}`);
  return client;
}

export async function signInAs(zone: TestZone, role: Role, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Client> {
  return signIn(zone, demoUserWithRole(role), lang);
}

export async function anonymous(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Client> {
  const { app } = await getHarness();
  return new Client(app, lang);
}
