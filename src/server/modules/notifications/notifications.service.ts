import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notifications } from './notifications.schema.ts';

export interface NotifyInput {
  zoneId: string;
  userIds: readonly string[];
  /** problem.assigned, problem.remind, … (the web groups by it). */
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
  problemId?: string | null;
}

/**
 * Puts a message in each recipient's in-app inbox, inside the caller's transaction (a change and its notices land
 * together or not at all). E-mail and robots receive digests of the inbox later (the scheduler), never one mail
 * per event.
 */
export async function notify(tx: Db, s: AppServices, input: NotifyInput): Promise<number> {
  const userIds = [...new Set(input.userIds)];
  if (!userIds.length) return 0;
  const createdAt = s.now();
  await tx.insert(notifications).values(
    userIds.map((userId) => ({
      zoneId: input.zoneId,
      userId,
      kind: input.kind,
      title: input.title,
      body: input.body ?? null,
      link: input.link ?? null,
      problemId: input.problemId ?? null,
      createdAt,
    })),
  );
  return userIds.length;
}
