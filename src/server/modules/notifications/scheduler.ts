import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { PLATFORM_ZONE_ID } from '../../audit/audit.ts';
import type { AppServices } from '../../context.ts';
import { zones } from '../org/org.schema.ts';
import { STANDARD_JOBS } from './jobs.ts';
import { scheduledJobs } from './notifications.schema.ts';

/**
 * The persistent scheduler (docs/operations.md "Notifications and the scheduler"). Every job has one row per zone
 * in `scheduled_jobs` holding its next due time, so a restart loses nothing: the rows say what is due.
 *
 * A tick claims due rows with `FOR UPDATE SKIP LOCKED` in a short transaction and moves each claimed row's
 * `next_run_at` forward by the job's lease before committing: another instance neither waits for the lock nor
 * finds the row due. The job then runs outside that transaction (PGlite has one connection; a transaction held
 * open across the run would block the job's own queries). When it ends the row gets the job's next time; when it
 * fails, a retry time and the error. If the process dies mid-run, the lease runs out and any instance runs the job
 * again: jobs are written to be re-run safely (each reminder, e-mail and robot message is claimed by a unique row).
 */

export interface JobContext {
  zoneId: string;
  /** The clock of this tick (`s.now()` unless a test passes its own). */
  now: Date;
  /** When the run was due. */
  dueAt: Date;
}

export interface JobDef {
  /** Stable name, the key in `scheduled_jobs`. */
  name: string;
  /** The first due time for a zone without a row, and the next one after a run that ended at `now`. */
  next(s: AppServices, zoneId: string, now: Date): Promise<Date> | Date;
  run(s: AppServices, ctx: JobContext): Promise<void>;
  /** How long a claim holds before another instance may take the run over. Default 10 minutes. */
  leaseMs?: number;
  /** Wait after a failed run. Default 5 minutes. */
  retryMs?: number;
}

export interface RunDueOptions {
  /** Only these zones (tests share one database between many zones). Default: every zone. */
  zoneIds?: readonly string[];
  /** The jobs to run. Default: the registered ones (STANDARD_JOBS plus any `registerJob`). */
  jobs?: readonly JobDef[];
  /** Stop claiming new runs after this long (one tick must not run forever). Default 60 s. */
  budgetMs?: number;
}

export interface JobOutcome {
  zoneId: string;
  name: string;
  dueAt: Date;
  ok: boolean;
  error?: string;
}

const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_RETRY_MS = 5 * 60_000;
const CLAIM_BATCH = 10;

const registry = new Map<string, JobDef>(STANDARD_JOBS.map((j) => [j.name, j]));

/** Adds (or replaces) a job; every instance that runs the scheduler must register the same jobs. */
export function registerJob(job: JobDef): void {
  registry.set(job.name, job);
}

export function registeredJobs(): JobDef[] {
  return [...registry.values()];
}

/** Creates the missing `scheduled_jobs` rows of these zones (insert … on conflict do nothing: instances race harmlessly). */
export async function ensureJobRows(s: AppServices, now: Date, jobs: readonly JobDef[], zoneIds?: readonly string[]): Promise<number> {
  if (!jobs.length) return 0;
  const zoneRows = zoneIds
    ? zoneIds.map((id) => ({ id }))
    : await s.db.select({ id: zones.id }).from(zones).where(ne(zones.id, PLATFORM_ZONE_ID));
  if (!zoneRows.length) return 0;
  const ids = zoneRows.map((z) => z.id);
  const existing = await s.db
    .select({ zoneId: scheduledJobs.zoneId, name: scheduledJobs.name })
    .from(scheduledJobs)
    .where(and(inArray(scheduledJobs.zoneId, ids), inArray(scheduledJobs.name, jobs.map((j) => j.name))));
  const have = new Set(existing.map((r) => `${r.zoneId}/${r.name}`));
  const missing: { zoneId: string; name: string; nextRunAt: Date }[] = [];
  for (const zoneId of ids) {
    for (const job of jobs) {
      if (!have.has(`${zoneId}/${job.name}`)) missing.push({ zoneId, name: job.name, nextRunAt: await job.next(s, zoneId, now) });
    }
  }
  if (!missing.length) return 0;
  const inserted = await s.db.insert(scheduledJobs).values(missing).onConflictDoNothing().returning({ name: scheduledJobs.name });
  return inserted.length;
}

/** Claims up to `limit` due runs: locked rows are skipped, claimed rows move to `now + lease` before commit. */
async function claimDue(s: AppServices, now: Date, jobs: ReadonlyMap<string, JobDef>, zoneIds: readonly string[] | undefined, limit: number) {
  return s.db.transaction(async (tx) => {
    const conds = [lte(scheduledJobs.nextRunAt, now), inArray(scheduledJobs.name, [...jobs.keys()])];
    if (zoneIds) conds.push(inArray(scheduledJobs.zoneId, [...zoneIds]));
    const due = await tx
      .select({ zoneId: scheduledJobs.zoneId, name: scheduledJobs.name, nextRunAt: scheduledJobs.nextRunAt })
      .from(scheduledJobs)
      .where(and(...conds))
      .orderBy(asc(scheduledJobs.nextRunAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const row of due) {
      const lease = jobs.get(row.name)?.leaseMs ?? DEFAULT_LEASE_MS;
      await tx
        .update(scheduledJobs)
        .set({ nextRunAt: new Date(now.getTime() + lease) })
        .where(and(eq(scheduledJobs.zoneId, row.zoneId), eq(scheduledJobs.name, row.name)));
    }
    return due;
  });
}

async function finish(s: AppServices, zoneId: string, name: string, values: Partial<typeof scheduledJobs.$inferInsert>, bumpRuns: boolean): Promise<void> {
  await s.db
    .update(scheduledJobs)
    .set({ ...values, ...(bumpRuns ? { runs: sql`${scheduledJobs.runs} + 1` } : {}) })
    .where(and(eq(scheduledJobs.zoneId, zoneId), eq(scheduledJobs.name, name)));
}

/**
 * One tick: creates missing rows, then claims and runs due jobs until none is due (or the budget is spent).
 * Safe to call from any number of instances at once; tests call it directly with a moved clock.
 */
export async function runDueJobs(s: AppServices, now: Date = s.now(), opts: RunDueOptions = {}): Promise<JobOutcome[]> {
  const list = opts.jobs ?? registeredJobs();
  const jobs = new Map(list.map((j) => [j.name, j]));
  await ensureJobRows(s, now, list, opts.zoneIds);
  const outcomes: JobOutcome[] = [];
  const started = Date.now();
  const budget = opts.budgetMs ?? 60_000;
  while (Date.now() - started < budget) {
    const claimed = await claimDue(s, now, jobs, opts.zoneIds, CLAIM_BATCH);
    if (!claimed.length) break;
    for (const row of claimed) {
      const job = jobs.get(row.name)!;
      try {
        await job.run(s, { zoneId: row.zoneId, now, dueAt: row.nextRunAt });
        await finish(s, row.zoneId, row.name, { nextRunAt: await job.next(s, row.zoneId, now), lastRunAt: now, lastError: null }, true);
        outcomes.push({ zoneId: row.zoneId, name: row.name, dueAt: row.nextRunAt, ok: true });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await finish(s, row.zoneId, row.name, { nextRunAt: new Date(now.getTime() + (job.retryMs ?? DEFAULT_RETRY_MS)), lastError: message.slice(0, 1000) }, false);
        outcomes.push({ zoneId: row.zoneId, name: row.name, dueAt: row.nextRunAt, ok: false, error: message });
      }
    }
    if (claimed.length < CLAIM_BATCH) break;
  }
  return outcomes;
}

/** Moves one zone's job to a new due time (e.g. when the digest hour changes). No-op when the row does not exist yet. */
export async function rescheduleJob(s: AppServices, zoneId: string, name: string, at: Date): Promise<void> {
  await s.db
    .update(scheduledJobs)
    .set({ nextRunAt: at })
    .where(and(eq(scheduledJobs.zoneId, zoneId), eq(scheduledJobs.name, name)));
}

export interface SchedulerLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface RunningScheduler {
  /** Stops ticking and waits for a tick in progress to end. */
  stop(): Promise<void>;
}

/**
 * Ticks every `intervalMs` (QIBU_SCHEDULER_SECONDS) on the services' clock. A tick never overlaps the one before
 * it in this process; other instances tick on their own and share the work through the claims.
 */
export function startScheduler(s: AppServices, opts: { intervalMs: number; firstDelayMs?: number; log: SchedulerLog }): RunningScheduler {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const outcomes = await runDueJobs(s, s.now());
      for (const o of outcomes) if (!o.ok) opts.log.error(`scheduled job ${o.name} (zone ${o.zoneId}) failed: ${o.error}`);
    } catch (err) {
      opts.log.error(`scheduler tick failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = tick().finally(() => {
        current = undefined;
        schedule(opts.intervalMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(opts.firstDelayMs ?? Math.min(opts.intervalMs, 5_000));
  opts.log.info(`scheduler ticking every ${Math.round(opts.intervalMs / 1000)} s`);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
