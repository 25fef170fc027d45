import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError } from '../../errors.ts';
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

// ---- the inbox (GET /api/notifications, POST /api/notifications/read) -------------------------------------------

export interface InboxQuery {
  unread?: boolean;
  page?: number;
  pageSize?: number;
}

/** The caller's own messages, newest first, with the number still unread. */
export async function listInbox(s: AppServices, caller: Caller, q: InboxQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const mine = and(eq(notifications.zoneId, caller.zoneId), eq(notifications.userId, caller.userId));
  const where = q.unread ? and(mine, isNull(notifications.readAt)) : mine;
  const rows = await s.db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [counts] = await s.db
    .select({ total: sql<number>`count(*)::int`, unread: sql<number>`(count(*) filter (where ${notifications.readAt} is null))::int` })
    .from(notifications)
    .where(mine);
  const total = q.unread ? Number(counts?.unread ?? 0) : Number(counts?.total ?? 0);
  return {
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      problemId: n.problemId,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt ? n.readAt.toISOString() : null,
    })),
    total,
    unread: Number(counts?.unread ?? 0),
    page,
    pageSize,
  };
}

/**
 * Marks the caller's messages read: the ones named, or all. Someone else's ids are ignored (no error: nobody
 * learns which ids exist). Reading is the person's own state, not a change to the zone's records: not audited.
 */
export async function markRead(s: AppServices, caller: Caller, input: { ids?: string[]; all?: boolean }) {
  if (input.all === undefined && input.ids === undefined) throw fieldError('ids', 'field.required');
  if (input.all !== undefined && input.ids !== undefined) throw fieldError('all', 'field.invalid');
  if (input.all === false) throw fieldError('all', 'field.invalid');
  const mine = and(eq(notifications.zoneId, caller.zoneId), eq(notifications.userId, caller.userId), isNull(notifications.readAt));
  const updated = input.ids?.length === 0
    ? []
    : await s.db
        .update(notifications)
        .set({ readAt: s.now() })
        .where(input.all ? mine : and(mine, inArray(notifications.id, input.ids!)))
        .returning({ id: notifications.id });
  const [left] = await s.db
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.zoneId, caller.zoneId), eq(notifications.userId, caller.userId), isNull(notifications.readAt)));
  return { updated: updated.length, unread: Number(left?.unread ?? 0) };
}
