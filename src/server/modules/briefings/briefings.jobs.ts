import { addDays, shanghaiDay } from '../../../shared/days.ts';
import type { JobDef } from '../notifications/scheduler.ts';
import { mondayOf } from '../problems/metrics.service.ts';
import { runWeeklyBriefings } from './briefings.service.ts';

/** The weekly issue is made on Monday at this hour (Asia/Shanghai), for the week that ended the day before. */
export const WEEKLY_BRIEFING_HOUR = 8;

/** The next Monday 08:00 in Asia/Shanghai strictly after `now`. */
export function nextWeeklyAt(now: Date): Date {
  const at = (day: string) => new Date(`${day}T${String(WEEKLY_BRIEFING_HOUR).padStart(2, '0')}:00:00+08:00`);
  const thisMonday = at(mondayOf(shanghaiDay(now)));
  return thisMonday.getTime() > now.getTime() ? thisMonday : at(addDays(mondayOf(shanghaiDay(now)), 7));
}

/** `briefings.weekly` (scheduler.ts): last week's issues, their inbox messages and robot links, then the e-mail digests pick them up. */
export const weeklyBriefingJob: JobDef = {
  name: 'briefings.weekly',
  leaseMs: 30 * 60_000,
  next: (_s, _zoneId, now) => nextWeeklyAt(now),
  async run(s, { zoneId, now }) {
    await runWeeklyBriefings(s, zoneId, now);
  },
};
