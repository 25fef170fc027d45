import type { Db } from '../../db/client.ts';
import type { SeededZone } from '../../demo/demo.ts';
import { briefingSubscriptions } from './briefings.schema.ts';

/**
 * The demo's weekly briefing subscriptions: the zone leader takes the zone's issue, 崔寨's commander his HQ's. A running
 * demo therefore makes and sends them every Monday at 08:00 (briefings.jobs.ts); issues by hand come from the page.
 */
export async function seedBriefingSubscriptions(tx: Db, zone: SeededZone): Promise<void> {
  const cuizhai = zone.commands.cuizhai!;
  await tx.insert(briefingSubscriptions).values([
    { zoneId: zone.zoneId, userId: zone.users.leader!, series: 'zone', commandId: null },
    { zoneId: zone.zoneId, userId: zone.users['hq.cuizhai']!, series: cuizhai, commandId: cuizhai },
  ]);
}
