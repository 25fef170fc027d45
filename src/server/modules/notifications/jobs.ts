import { weeklyBriefingJob } from '../briefings/briefings.jobs.ts';
import { loadSettings, nextDigestAt, runChasing } from '../problems/chasing.ts';
import { buildEmailDigests, buildRobotDigests } from './digest.ts';
import { sendPending } from './outbox.ts';
import type { JobDef } from './scheduler.ts';

/**
 * The jobs every instance runs (scheduler.ts), each once per zone:
 * - `problems.chasing`: daily at the zone's digest hour (Asia/Shanghai): automatic reminders and escalations,
 *   then the robot digests, the e-mail digests and a sender pass;
 * - `notifications.digest`: every QIBU_DIGEST_MINUTES: e-mail digests of the inbox, then a sender pass;
 * - `notifications.send`: every minute: retries and robot messages held back by the per-minute limit;
 * - `briefings.weekly`: Mondays 08:00: last week's 工作简报, to subscribers' inboxes and the robots (briefings.jobs.ts).
 */

export const CHASING_JOB_NAME = 'problems.chasing';

const chasingJob: JobDef = {
  name: CHASING_JOB_NAME,
  leaseMs: 30 * 60_000,
  async next(s, zoneId, now) {
    const settings = await loadSettings(s.db, zoneId);
    return nextDigestAt(now, settings.digestHour);
  },
  async run(s, { zoneId, now }) {
    await runChasing(s, zoneId, now);
    const key = `chasing:${now.toISOString()}`;
    await buildRobotDigests(s, zoneId, now, key);
    await buildEmailDigests(s, zoneId, now, key);
    await sendPending(s, zoneId, now);
  },
};

const digestJob: JobDef = {
  name: 'notifications.digest',
  next: (s, _zoneId, now) => new Date(now.getTime() + s.config.digestMinutes * 60_000),
  async run(s, { zoneId, now }) {
    await buildEmailDigests(s, zoneId, now, `digest:${now.toISOString()}`);
    await sendPending(s, zoneId, now);
  },
};

const sendJob: JobDef = {
  name: 'notifications.send',
  retryMs: 60_000,
  next: (_s, _zoneId, now) => new Date(now.getTime() + 60_000),
  async run(s, { zoneId, now }) {
    await sendPending(s, zoneId, now);
  },
};

export const STANDARD_JOBS: readonly JobDef[] = [chasingJob, digestJob, sendJob, weeklyBriefingJob];
