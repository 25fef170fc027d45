import { createHmac } from 'node:crypto';

/**
 * DingTalk and WeCom group robots (群自定义机器人): their webhook message formats, DingTalk's signature, and how a
 * webhook URL is shown (masked: the URL carries the access token).
 *
 * - DingTalk: POST JSON `{"msgtype":"markdown","markdown":{"title","text"}}` to
 *   `https://oapi.dingtalk.com/robot/send?access_token=…`; with 加签 the URL also carries `timestamp` (ms) and
 *   `sign` = urlencode(base64(HMAC-SHA256(key = secret, "timestamp\nsecret"))). Answer `{"errcode":0,"errmsg":"ok"}`.
 * - WeCom: POST JSON `{"msgtype":"markdown","markdown":{"content"}}` to
 *   `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…` (content at most 4096 bytes). Same answer shape.
 * Both allow 20 messages a minute per robot (the sender enforces it, see outbox.ts).
 */

export const ROBOT_KINDS = ['dingtalk', 'wecom'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

/** A robot message stays under WeCom's 4096-byte limit (DingTalk allows more); longer digests are cut with a note. */
export const ROBOT_MAX_BYTES = 3800;

/** Each robot takes at most this many messages in any 60 seconds (both platforms' documented limit). */
export const ROBOT_PER_MINUTE = 20;

export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** The URL to POST to: DingTalk's webhook plus `timestamp` and `sign` when a secret is configured. */
export function robotUrl(kind: RobotKind, webhook: string, secret: string | null, timestamp: number): string {
  if (kind !== 'dingtalk' || !secret) return webhook;
  const sep = webhook.includes('?') ? '&' : '?';
  return `${webhook}${sep}timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(secret, timestamp))}`;
}

export function robotPayload(kind: RobotKind, title: string, markdown: string): unknown {
  return kind === 'dingtalk' ? { msgtype: 'markdown', markdown: { title, text: markdown } } : { msgtype: 'markdown', markdown: { content: markdown } };
}

export class RobotError extends Error {}

/** Posts one message; resolves when the robot answered errcode 0, throws RobotError with its answer otherwise. */
export async function postToRobot(kind: RobotKind, webhook: string, secret: string | null, title: string, markdown: string, timeoutMs = 10_000): Promise<void> {
  const url = robotUrl(kind, webhook, secret, Date.now());
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(robotPayload(kind, title, markdown)),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    throw new RobotError(`request failed: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new RobotError(`HTTP ${res.status} ${text.slice(0, 200)}`);
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new RobotError(`not a robot answer: ${text.slice(0, 200)}`);
  }
  if (answer.errcode !== 0) throw new RobotError(`errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')}`.slice(0, 300));
}

/** Cuts markdown to `max` UTF-8 bytes at a line end, noting how many lines were left out. */
export function fitBytes(lines: readonly string[], max = ROBOT_MAX_BYTES, more: (n: number) => string = (n) => `…… 另有 ${n} 项，请登录平台查看`): string {
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    const add = Buffer.byteLength(line, 'utf8') + 1;
    const tail = Buffer.byteLength(more(lines.length - i), 'utf8') + 1;
    if (size + add + tail > max && i < lines.length - 1) {
      out.push(more(lines.length - i));
      return out.join('\n');
    }
    out.push(line);
    size += add;
  }
  return out.join('\n');
}

/** A webhook URL for display: scheme, host and path, each query value reduced to its last 4 characters. */
export function maskWebhook(url: string): string {
  try {
    const u = new URL(url);
    const params = [...u.searchParams.entries()].map(([k, v]) => `${k}=${v.length > 8 ? `****${v.slice(-4)}` : '****'}`);
    return `${u.protocol}//${u.host}${u.pathname}${params.length ? `?${params.join('&')}` : ''}`;
  } catch {
    return '****';
  }
}

/** True for an http(s) URL without credentials (the token belongs in the query, as both platforms issue it). */
export function isWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname.length > 0;
  } catch {
    return false;
  }
}
