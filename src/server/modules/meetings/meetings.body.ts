import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldError } from '../../errors.ts';
import { commands, orgGroups } from '../org/org.schema.ts';

/** The body's name (HQ or leading group), checking it exists; 400 on the field otherwise. */
export async function bodyName(db: Db, zoneId: string, m: { commandId: string | null; groupId: string | null }): Promise<{ name: string; shortName: string }> {
  if (m.commandId) {
    const [c] = await db.select({ name: commands.name, shortName: commands.shortName }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, m.commandId)));
    if (!c) throw fieldError('commandId', 'field.not_found');
    return { name: c.name, shortName: c.shortName ?? c.name.replace(/建设指挥部$/, '指挥部') };
  }
  const [g] = await db
    .select({ name: orgGroups.name, kind: orgGroups.kind })
    .from(orgGroups)
    .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, m.groupId!)));
  if (!g || g.kind !== 'leading_group') throw fieldError('groupId', 'field.not_found');
  return { name: g.name, shortName: '领导小组' };
}

