import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { securitySettings } from './auth.schema.ts';

export type SecuritySettings = typeof securitySettings.$inferSelect;

/** A zone's security settings; a zone that never saved any gets the documented defaults. */
export async function getSecuritySettings(db: Db, zoneId: string): Promise<SecuritySettings> {
  const [row] = await db.select().from(securitySettings).where(eq(securitySettings.zoneId, zoneId));
  if (row) return row;
  const [created] = await db.insert(securitySettings).values({ zoneId }).onConflictDoNothing().returning();
  if (created) return created;
  const [again] = await db.select().from(securitySettings).where(eq(securitySettings.zoneId, zoneId));
  if (!again) throw new Error('security settings missing');
  return again;
}
