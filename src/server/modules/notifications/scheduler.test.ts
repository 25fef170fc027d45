import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeServices } from '../../app.ts';
import type { AppServices } from '../../context.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { createZone, getHarness } from '../../test/harness.ts';
import { scheduledJobs } from './notifications.schema.ts';
import { nextDigestAt } from '../problems/chasing.ts';
import { runDueJobs, type JobDef } from './scheduler.ts';
import { resetClock, setClock } from './notifications.testkit.ts';

// The run's one database is created by whichever file asks first: in a hook (2 min), not inside a 30 s test.
beforeAll(async () => {
  await getHarness();
});

/** The next full hour after `now`. */
const nextHour = (now: Date) => new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);

function countingJob(name: string, runs: { zoneId: string; at: Date }[], opts: Partial<JobDef> = {}): JobDef {
  return {
    name,
    next: (_s, _z, now) => nextHour(now),
    run: async (_s, ctx) => {
      runs.push({ zoneId: ctx.zoneId, at: ctx.now });
    },
    ...opts,
  };
}

async function jobRow(s: AppServices, zoneId: string, name: string) {
  const [row] = await s.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.zoneId, zoneId), eq(scheduledJobs.name, name)));
  return row!;
}

/** A second app instance on the same PostgreSQL database (its own pool), or the same PGlite. */
async function secondInstance(s: AppServices): Promise<{ s2: AppServices; close: () => Promise<void> }> {
  if (s.database.kind !== 'postgres') return { s2: { ...s }, close: async () => {} };
  const database: Database = await openDatabase({ databaseUrl: process.env.QIBU_TEST_DATABASE_URL, dataDir: s.config.dataDir, poolSize: 4 });
  return { s2: makeServices({ config: s.config, database, now: s.now }), close: () => database.close() };
}

describe('persistent scheduler', () => {
  afterEach(resetClock);
  afterAll(resetClock);

  it('creates a zone’s rows on the first tick and runs each job when due on a moved clock', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    const runs: { zoneId: string; at: Date }[] = [];
    const job = countingJob('test.hourly', runs);
    const opts = { zoneIds: [zone.zoneId], jobs: [job] };

    const t0 = await setClock('2025-09-29T01:30:00Z'); // 09:30 Shanghai
    expect(await runDueJobs(s, t0, opts)).toEqual([]);
    const row = await jobRow(s, zone.zoneId, 'test.hourly');
    expect(row.nextRunAt.toISOString()).toBe('2025-09-29T02:00:00.000Z');
    expect(runs).toEqual([]);

    // Not yet due, then due.
    expect(await runDueJobs(s, new Date('2025-09-29T01:59:59Z'), opts)).toEqual([]);
    const out = await runDueJobs(s, new Date('2025-09-29T02:00:30Z'), opts);
    expect(out.map((o) => [o.name, o.ok])).toEqual([['test.hourly', true]]);
    expect(runs).toHaveLength(1);
    const after = await jobRow(s, zone.zoneId, 'test.hourly');
    expect(after.nextRunAt.toISOString()).toBe('2025-09-29T03:00:00.000Z');
    expect(after.lastRunAt?.toISOString()).toBe('2025-09-29T02:00:30.000Z');
    expect(after.runs).toBe(1);

    // The same instant again: nothing is due.
    await runDueJobs(s, new Date('2025-09-29T02:00:30Z'), opts);
    expect(runs).toHaveLength(1);

    // A jump of several hours runs the job once and schedules it after the new now (no burst of missed runs).
    await runDueJobs(s, new Date('2025-09-29T07:10:00Z'), opts);
    expect(runs).toHaveLength(2);
    expect((await jobRow(s, zone.zoneId, 'test.hourly')).nextRunAt.toISOString()).toBe('2025-09-29T08:00:00.000Z');
  });

  it('survives a restart: a new instance finds the due time in the database', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    const runs: { zoneId: string; at: Date }[] = [];
    const opts = { zoneIds: [zone.zoneId], jobs: [countingJob('test.restart', runs)] };
    await runDueJobs(s, new Date('2025-10-09T01:10:00Z'), opts);
    const { s2, close } = await secondInstance(s);
    try {
      // "Instance 1" is gone; the second one, started later, runs what fell due meanwhile.
      await runDueJobs(s2, new Date('2025-10-09T02:05:00Z'), opts);
      expect(runs).toHaveLength(1);
      expect((await jobRow(s2, zone.zoneId, 'test.restart')).nextRunAt.toISOString()).toBe('2025-10-09T03:00:00.000Z');
    } finally {
      await close();
    }
  });

  it('records a failure and retries it later', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    let attempts = 0;
    const job: JobDef = {
      name: 'test.flaky',
      retryMs: 120_000,
      next: (_s, _z, now) => nextHour(now),
      run: async () => {
        attempts++;
        if (attempts === 1) throw new Error('mail server down');
      },
    };
    const opts = { zoneIds: [zone.zoneId], jobs: [job] };
    await runDueJobs(s, new Date('2025-10-10T00:30:00Z'), opts);
    const failed = await runDueJobs(s, new Date('2025-10-10T01:00:10Z'), opts);
    expect(failed).toMatchObject([{ name: 'test.flaky', ok: false, error: 'mail server down' }]);
    const row = await jobRow(s, zone.zoneId, 'test.flaky');
    expect(row.lastError).toBe('mail server down');
    expect(row.nextRunAt.toISOString()).toBe('2025-10-10T01:02:10.000Z');
    expect(await runDueJobs(s, new Date('2025-10-10T01:01:00Z'), opts)).toEqual([]);
    const ok = await runDueJobs(s, new Date('2025-10-10T01:02:30Z'), opts);
    expect(ok).toMatchObject([{ ok: true }]);
    expect((await jobRow(s, zone.zoneId, 'test.flaky')).lastError).toBeNull();
    expect(attempts).toBe(2);
  });

  it('never runs a job in two instances at once; a run whose instance died is taken over when its lease ends', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    let started = 0;
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    const job: JobDef = {
      name: 'test.lease',
      leaseMs: 10 * 60_000,
      next: (_s, _z, now) => nextHour(now),
      run: async () => {
        started++;
        if (started === 1) await hang;
      },
    };
    const opts = { zoneIds: [zone.zoneId], jobs: [job] };
    await runDueJobs(s, new Date('2025-10-13T00:30:00Z'), opts);
    const { s2, close } = await secondInstance(s);
    try {
      const first = runDueJobs(s, new Date('2025-10-13T01:00:05Z'), opts);
      // Wait until instance 1 has claimed and started the run.
      for (let i = 0; i < 200 && started === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(started).toBe(1);
      // Instance 2 at the same moment: the row is claimed (moved to the lease's end), nothing to do.
      expect(await runDueJobs(s2, new Date('2025-10-13T01:00:06Z'), opts)).toEqual([]);
      expect((await jobRow(s2, zone.zoneId, 'test.lease')).nextRunAt.toISOString()).toBe('2025-10-13T01:10:05.000Z');
      // Instance 1 "died" mid-run; after the lease instance 2 runs the job.
      const taken = await runDueJobs(s2, new Date('2025-10-13T01:10:10Z'), opts);
      expect(taken).toMatchObject([{ name: 'test.lease', ok: true }]);
      expect(started).toBe(2);
      release();
      await first;
    } finally {
      release();
      await close();
    }
  });

  it('two instances ticking together run each due job once', async () => {
    const { services: s } = await getHarness();
    const zones = [await createZone(), await createZone(), await createZone()];
    const runs: { zoneId: string; at: Date }[] = [];
    const job = countingJob('test.race', runs, {
      run: async (_s, ctx) => {
        runs.push({ zoneId: ctx.zoneId, at: ctx.now });
        await new Promise((r) => setTimeout(r, 30));
      },
    });
    const opts = { zoneIds: zones.map((z) => z.zoneId), jobs: [job] };
    await runDueJobs(s, new Date('2025-10-14T00:10:00Z'), opts);
    const { s2, close } = await secondInstance(s);
    try {
      const t = new Date('2025-10-14T01:00:01Z');
      const outs = await Promise.all([runDueJobs(s, t, opts), runDueJobs(s2, t, opts), runDueJobs(s, t, opts), runDueJobs(s2, t, opts)]);
      expect(runs).toHaveLength(3);
      expect(new Set(runs.map((r) => r.zoneId))).toEqual(new Set(opts.zoneIds));
      expect(outs.flat()).toHaveLength(3);
    } finally {
      await close();
    }
  });

  it('schedules the daily chasing run at the digest hour, Asia/Shanghai', () => {
    expect(nextDigestAt(new Date('2025-09-29T00:30:00Z'), 9).toISOString()).toBe('2025-09-29T01:00:00.000Z');
    expect(nextDigestAt(new Date('2025-09-29T01:00:00Z'), 9).toISOString()).toBe('2025-09-30T01:00:00.000Z');
    // 23:30 Shanghai on the 29th is 15:30 UTC; the next 09:00 is on the 30th.
    expect(nextDigestAt(new Date('2025-09-29T15:30:00Z'), 9).toISOString()).toBe('2025-09-30T01:00:00.000Z');
    // Hour 0..7 falls on the previous UTC day.
    expect(nextDigestAt(new Date('2025-09-29T12:00:00Z'), 6).toISOString()).toBe('2025-09-29T22:00:00.000Z');
  });
});
