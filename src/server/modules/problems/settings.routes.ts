import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Role } from '../../../shared/roles.ts';
import { Nullable, Strict } from '../../../shared/schema.ts';
import type { AppServices, Caller } from '../../context.ts';
import { fieldError } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { scheduledJobs } from '../notifications/notifications.schema.ts';
import { CHASING_JOB_NAME } from '../notifications/jobs.ts';
import { rescheduleJob } from '../notifications/scheduler.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { loadSettings, nextDigestAt } from './chasing.ts';
import { problemSettings } from './problems.schema.ts';

/**
 * The zone's chasing rules (催办 / 督办, chasing.ts): read by leaders, HQ people and the system administrator (who
 * configures the robots the digests go to); changed by zone leaders and HQ commanders.
 */
const READ_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'sys_admin'];
const WRITE_ROLES: readonly Role[] = ['zone_leader', 'hq_commander'];
const tags = ['problems'];

const Settings = Type.Object({
  remindBeforeWorkdays: Type.Integer({ description: 'remind the lead unit this many working days before the deadline' }),
  escalateCommanderAfter: Type.Integer({ description: 'escalate to the HQ commander after this many working days overdue' }),
  escalateLeaderAfter: Type.Integer({ description: 'escalate to the zone leaders after this many working days overdue' }),
  digestHour: Type.Integer({ description: 'hour of the day (Asia/Shanghai) of the daily chasing run and its digests' }),
  version: Type.Integer({ description: '0 while the zone uses the defaults' }),
  nextRunAt: Nullable(Type.String({ description: 'the next chasing run, once the scheduler has seen the zone' })),
  canEdit: Type.Boolean(),
});

const SettingsPut = Strict({
  version: Type.Integer({ minimum: 0 }),
  remindBeforeWorkdays: Type.Integer({ minimum: 0, maximum: 10 }),
  escalateCommanderAfter: Type.Integer({ minimum: 1, maximum: 30 }),
  escalateLeaderAfter: Type.Integer({ minimum: 1, maximum: 60 }),
  digestHour: Type.Integer({ minimum: 0, maximum: 23 }),
});

async function present(s: AppServices, caller: Caller) {
  const set = await loadSettings(s.db, caller.zoneId);
  const [job] = await s.db
    .select({ nextRunAt: scheduledJobs.nextRunAt })
    .from(scheduledJobs)
    .where(and(eq(scheduledJobs.zoneId, caller.zoneId), eq(scheduledJobs.name, CHASING_JOB_NAME)));
  return { ...set, nextRunAt: job ? job.nextRunAt.toISOString() : null, canEdit: caller.roles.some((r) => WRITE_ROLES.includes(r)) };
}

type SettingsInput = { version: number; remindBeforeWorkdays: number; escalateCommanderAfter: number; escalateLeaderAfter: number; digestHour: number };

export async function putSettings(s: AppServices, caller: Caller, input: SettingsInput) {
  if (input.escalateLeaderAfter < input.escalateCommanderAfter) throw fieldError('escalateLeaderAfter', 'field.escalate_order');
  const { version, ...values } = input;
  const now = s.now();
  const hourBefore = await s.db.transaction(async (tx) => {
    const before = await loadSettings(tx, caller.zoneId);
    if (before.version !== version) throw await versionConflict(tx, caller.zoneId, 'problem_settings', caller.zoneId);
    const written =
      version === 0
        ? await tx.insert(problemSettings).values({ zoneId: caller.zoneId, ...values, version: 1, updatedAt: now }).onConflictDoNothing().returning()
        : await tx
            .update(problemSettings)
            .set({ ...values, version: version + 1, updatedAt: now })
            .where(and(eq(problemSettings.zoneId, caller.zoneId), eq(problemSettings.version, version)))
            .returning();
    if (!written.length) throw await versionConflict(tx, caller.zoneId, 'problem_settings', caller.zoneId);
    const { version: _v, ...was } = before;
    await audit(tx, s, caller, { action: 'problem_settings.update', entityType: 'problem_settings', entityId: caller.zoneId, before: was, after: values });
    return before.digestHour;
  });
  if (values.digestHour !== hourBefore) {
    await rescheduleJob(s, caller.zoneId, CHASING_JOB_NAME, nextDigestAt(now, values.digestHour));
  }
  return present(s, caller);
}

export async function problemSettingsRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/problems/settings',
    { config: { access: 'signed_in', roles: READ_ROLES }, schema: { tags, summary: "The zone's chasing rules (催办/督办), in working days", response: withErrors({ 200: Settings }) } },
    async (req) => present(s, callerOf(req)),
  );
  r.put(
    '/api/problems/settings',
    {
      config: { access: 'signed_in', roles: WRITE_ROLES },
      schema: { tags, summary: "Change the zone's chasing rules (version; 0 while the defaults apply)", body: SettingsPut, response: withErrors({ 200: Settings }) },
    },
    async (req) => putSettings(s, callerOf(req), req.body),
  );
}
