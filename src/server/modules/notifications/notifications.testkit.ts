import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { addDays } from '../../../shared/days.ts';
import { WARN_WORKDAYS, type ProblemState } from '../../../shared/problem-flow.ts';
import type { AppServices } from '../../context.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { problems } from '../problems/problems.schema.ts';
import { users } from '../users/users.schema.ts';
import { getHarness, type TestZone } from '../../test/harness.ts';

/** Test plumbing for notifications: a real SMTP listener and a real webhook listener on loopback, a movable clock. */

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

function decodeWords(value: string): string {
  // RFC 2047: adjacent encoded words are joined without the whitespace between them.
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

/** Minimal parse of a single-part mail as nodemailer writes it (text/plain, base64 or quoted-printable). */
export function parseMail(raw: string): { subject: string; text: string; headers: Record<string, string> } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const text =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : cte === 'quoted-printable'
        ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
        : body;
  return { subject: decodeWords(headers.subject ?? ''), text, headers };
}

export interface SmtpListener {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpListener> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const parsed = parseMail(Buffer.concat(chunks).toString('utf8'));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: parsed.subject, text: parsed.text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface Hit {
  path: string;
  query: URLSearchParams;
  body: { msgtype?: string; markdown?: { title?: string; text?: string; content?: string } };
  at: number;
}

export interface WebhookListener {
  base: string;
  hits: Hit[];
  /** What the robot answers (default: HTTP 200 `{"errcode":0,"errmsg":"ok"}`). */
  reply: (hit: Hit) => { status: number; body: unknown };
  close(): Promise<void>;
}

export async function startWebhook(): Promise<WebhookListener> {
  const listener: WebhookListener = {
    base: '',
    hits: [],
    reply: () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }),
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const hit: Hit = { path: url.pathname, query: url.searchParams, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), at: Date.now() };
      listener.hits.push(hit);
      const { status, body } = listener.reply(hit);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  listener.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  listener.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return listener;
}

/** Sets the harness clock so that `s.now()` is (about) this instant; returns it. */
export async function setClock(iso: string): Promise<Date> {
  const h = await getHarness();
  h.clock.offsetMs = Date.parse(iso) - Date.now();
  return h.services.now();
}

export async function resetClock(): Promise<void> {
  (await getHarness()).clock.offsetMs = 0;
}

/** The services with an SMTP server configured (the app's own services have none in tests). */
export function withSmtp(s: AppServices, smtpUrl: string, extra: Partial<AppServices['config']> = {}): AppServices {
  return { ...s, config: { ...s.config, smtpUrl, mailFrom: '"起步 Qibu" <qibu@test.local>', publicUrl: 'https://qibu.test', ...extra } };
}

export async function giveEmails(zone: TestZone, demoUsernames: readonly string[]): Promise<Record<string, string>> {
  const { services } = await getHarness();
  const out: Record<string, string> = {};
  for (const u of demoUsernames) {
    const email = `${zone.prefix}${u}@test.local`.replace(/\.\./g, '.');
    await services.db.update(users).set({ email }).where(and(eq(users.zoneId, zone.zoneId), eq(users.id, zone.users[u]!)));
    out[u] = email;
  }
  return out;
}

let counter = 0;

/**
 * A problem written straight into the table (the chasing tests need exact deadlines, not the core service's
 * rules): assigned / in progress, with its deadline and warn-on day from the zone's calendar.
 */
export async function insertProblem(
  zone: TestZone,
  opts: { deadline: string; state?: ProblemState; command?: string; leadUnit?: string; title?: string; raisedOn?: string },
): Promise<{ id: string; code: string }> {
  const { services } = await getHarness();
  const cal = await loadCalendar(services.db, zone.zoneId);
  counter++;
  const code = `WT-T-${String(counter).padStart(4, '0')}-${zone.prefix.slice(1, 5)}`;
  const raisedOn = opts.raisedOn ?? addDays(opts.deadline, -14);
  const [row] = await services.db
    .insert(problems)
    .values({
      zoneId: zone.zoneId,
      code,
      title: opts.title ?? `测试问题${counter}`,
      source: 'field',
      commandId: zone.commands[opts.command ?? 'cuizhai']!,
      category: 'other',
      state: opts.state ?? 'in_progress',
      leadUnitId: zone.units[opts.leadUnit ?? 'cuizhai']!,
      deadline: opts.deadline,
      warnOn: cal.addWorkdays(opts.deadline, -WARN_WORKDAYS).date,
      raisedByName: '测试',
      raisedAt: new Date(`${raisedOn}T02:00:00Z`),
      raisedOn,
      assignedAt: new Date(`${raisedOn}T02:00:00Z`),
      assignedOn: raisedOn,
      ...(opts.state === 'suspended' ? { suspendedOn: raisedOn } : {}),
    })
    .returning({ id: problems.id, code: problems.code });
  return row!;
}

export async function problemRows(zone: TestZone, ids: readonly string[]) {
  const { services } = await getHarness();
  return services.db.select().from(problems).where(and(eq(problems.zoneId, zone.zoneId), inArray(problems.id, [...ids])));
}
