import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { addDays, shanghaiDay } from '../../../shared/days.ts';
import { PLATFORM_ZONE_ID, writeAudit } from '../../audit/audit.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError, notFound, pgConstraint } from '../../errors.ts';
import { audit, auditEvent } from '../../lib/audited.ts';
import { DOCUMENT_MIME, renderDocx, renderPdf, type DocumentFormat } from '../../lib/documents/index.ts';
import { cockpitCommands, cockpitOverview, type CockpitInput } from '../cockpit/cockpit.service.ts';
import { registerFileOwner } from '../files/files.owners.ts';
import { keepGeneratedFiles } from '../files/files.service.ts';
import { openBlob } from '../files/files.storage.ts';
import { notify } from '../notifications/notifications.service.ts';
import { enqueue } from '../notifications/outbox.ts';
import { robotChannels } from '../notifications/notifications.schema.ts';
import type { RobotKind } from '../notifications/robots.ts';
import { commands, units, zones } from '../org/org.schema.ts';
import { systemActor } from '../problems/chasing.ts';
import { mondayOf } from '../problems/metrics.service.ts';
import type { BriefingDto, SubscriptionsDto } from './briefings.api.ts';
import { indicatorChartPng } from './briefings.chart.ts';
import { briefingSpec, briefingTitle, periodText, type BriefingContent } from './briefings.document.ts';
import { briefings, briefingSubscriptions } from './briefings.schema.ts';

/**
 * 工作简报 (issue 6 point 4, docs/briefings.md). An issue is the cockpit's overview for a period and a scope
 * (`cockpitOverview`, the very function behind GET /api/cockpit/overview), frozen as JSON, printed as docx and PDF
 * and kept as files of the zone. Who may generate or read an issue of a series is who may open the cockpit on that
 * scope: zone leaders every series, HQ people their HQs' series.
 */

export type BriefingRow = typeof briefings.$inferSelect;
const ZONE_SERIES = 'zone';

// ---------------------------------------------------------------- scope

/** The series the caller may read (and generate, and subscribe to): 'zone' for leaders, and HQ ids. */
async function readableSeries(s: AppServices, caller: Caller): Promise<{ series: string; commandId: string | null; name: string }[]> {
  const hqs = await cockpitCommands(s, caller);
  const list = hqs.map((c) => ({ series: c.id, commandId: c.id as string | null, name: c.name }));
  if (hasRole(caller, 'zone_leader')) list.unshift({ series: ZONE_SERIES, commandId: null, name: await zoneShortName(s.db, caller.zoneId) });
  return list;
}

async function zoneShortName(db: Db, zoneId: string): Promise<string> {
  const [z] = await db.select({ name: zones.name, shortName: zones.shortName }).from(zones).where(eq(zones.id, zoneId));
  return z?.shortName || z?.name || '';
}

/** 编发单位: an HQ issues its own; the zone's briefing comes from the committee (党工委、管委会), else the zone. */
async function issuingBodyOf(db: Db, zoneId: string, commandName: string | null): Promise<string> {
  if (commandName) return commandName;
  const [committee] = await db
    .select({ name: units.name })
    .from(units)
    .where(and(eq(units.zoneId, zoneId), eq(units.kind, 'committee')))
    .limit(1);
  if (committee) return committee.name;
  const [z] = await db.select({ name: zones.name }).from(zones).where(eq(zones.id, zoneId));
  return z?.name ?? '';
}

async function loadReadable(s: AppServices, caller: Caller, id: string): Promise<BriefingRow> {
  const [row] = await s.db.select().from(briefings).where(and(eq(briefings.zoneId, caller.zoneId), eq(briefings.id, id)));
  if (!row) throw notFound();
  const series = await readableSeries(s, caller);
  if (!series.some((x) => x.series === row.series)) throw notFound();
  return row;
}

registerFileOwner('briefing', {
  async resolve(s, caller, ownerId) {
    const row = await loadReadable(s, caller, ownerId);
    return { canWrite: false, auditRef: { briefingId: row.id } };
  },
});

// ---------------------------------------------------------------- generate

export interface GenerateInput extends CockpitInput {
  kind?: 'manual' | 'weekly';
}

/**
 * Generates an issue: the cockpit's figures for the caller's period and scope, the documents rendered from them,
 * the row, the two files and the audit entry in one transaction. The issue number is the series' next for the year;
 * two generations racing for it meet the unique index, and the loser renders again with the next number.
 */
export async function generateBriefing(s: AppServices, caller: Caller, input: GenerateInput, actor = caller): Promise<BriefingRow> {
  const overview = await cockpitOverview(s, caller, input, 'zh-CN');
  const series = overview.commandId ?? ZONE_SERIES;
  const commandName = overview.commandId ? (overview.commands.find((c) => c.id === overview.commandId)?.name ?? '') : null;
  const scopeName = commandName ?? (await zoneShortName(s.db, caller.zoneId));
  const issuingBody = await issuingBodyOf(s.db, caller.zoneId, commandName);
  const year = Number(overview.today.slice(0, 4));
  const kind = input.kind ?? 'manual';
  const chart = await indicatorChartPng(overview.indicators);

  for (let attempt = 0; ; attempt++) {
    const issueNo = (await lastIssueNo(s.db, caller.zoneId, series, year)) + 1;
    const content: BriefingContent = {
      v: 1,
      scopeName,
      issuingBody,
      year,
      issueNo,
      kind,
      generatedAt: s.now().toISOString(),
      generatedByName: actor.displayName,
      overview,
    };
    const spec = briefingSpec(content, chart);
    const [docx, pdf] = [await renderDocx(spec), await renderPdf(spec)];
    const base = `工作简报_${year}年第${issueNo}期_${scopeName}`;
    try {
      return await insertIssue(s, caller, actor, { series, commandId: overview.commandId, content, files: { docx, pdf }, base });
    } catch (err) {
      if (pgConstraint(err) === 'briefings_issue_uq' && attempt < 3) continue;
      throw err;
    }
  }
}

async function lastIssueNo(db: Db, zoneId: string, series: string, year: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`coalesce(max(${briefings.issueNo}), 0)::int` })
    .from(briefings)
    .where(and(eq(briefings.zoneId, zoneId), eq(briefings.series, series), eq(briefings.year, year)));
  return Number(r?.n ?? 0);
}

interface NewIssue {
  series: string;
  commandId: string | null;
  content: BriefingContent;
  files: Record<DocumentFormat, Buffer>;
  base: string;
}

async function insertIssue(s: AppServices, caller: Caller, actor: Caller, n: NewIssue): Promise<BriefingRow> {
  const id = randomUUID();
  const o = n.content.overview;
  const system = actor.userId === PLATFORM_ZONE_ID;
  let discard: (() => Promise<void>) | undefined;
  try {
    return await s.db.transaction(async (tx) => {
      const kept = await keepGeneratedFiles(
        tx,
        s,
        caller.zoneId,
        { type: 'briefing', id },
        [
          { bytes: n.files.docx, name: `${n.base}.docx`, mime: DOCUMENT_MIME.docx },
          { bytes: n.files.pdf, name: `${n.base}.pdf`, mime: DOCUMENT_MIME.pdf },
        ],
        system ? null : actor.userId,
      );
      discard = kept.discard;
      const [row] = await tx
        .insert(briefings)
        .values({
          id,
          zoneId: caller.zoneId,
          series: n.series,
          commandId: n.commandId,
          year: n.content.year,
          issueNo: n.content.issueNo,
          periodFrom: o.from,
          periodTo: o.to,
          asOf: o.today,
          kind: n.content.kind,
          title: briefingTitle(n.content),
          issuingBody: n.content.issuingBody,
          content: n.content as unknown as Record<string, unknown>,
          docxFileId: kept.ids[0]!,
          pdfFileId: kept.ids[1]!,
          generatedBy: system ? null : actor.userId,
          generatedByName: actor.displayName,
        })
        .returning();
      const entry = {
        action: 'briefing.generate',
        entityType: 'briefing',
        entityId: id,
        after: { series: n.series, year: n.content.year, issueNo: n.content.issueNo, from: o.from, to: o.to, asOf: o.today, kind: n.content.kind, files: kept.ids },
      };
      if (system) await writeAudit(tx, s.keys.auditKey, systemActor(caller.zoneId), entry);
      else await audit(tx, s, actor, entry);
      return row!;
    });
  } catch (err) {
    await discard?.().catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------- read

export function presentBriefing(row: BriefingRow): BriefingDto {
  const c = row.content as unknown as BriefingContent;
  const o = c.overview;
  return {
    id: row.id,
    series: row.series,
    commandId: row.commandId,
    scopeName: c.scopeName,
    issuingBody: row.issuingBody,
    year: row.year,
    issueNo: row.issueNo,
    title: row.title,
    from: row.periodFrom,
    to: row.periodTo,
    period: periodText(row.periodFrom, row.periodTo),
    asOf: row.asOf,
    kind: row.kind as BriefingDto['kind'],
    generatedByName: row.generatedByName,
    createdAt: row.createdAt.toISOString(),
    docx: `/api/briefings/${row.id}.docx`,
    pdf: `/api/briefings/${row.id}.pdf`,
    figures: {
      projects: o.projects.count.n,
      laggingProjects: o.projects.laggingCount.n,
      investmentRate: o.projects.rates.investment.rate,
      problemsRaised: o.problems.raised.n,
      problemsClosed: o.problems.closed.n,
      problemsOpen: o.problems.open.n,
      problemsOverdue: o.problems.overdue.n,
      onTimeRate: o.problems.onTime.rate,
      meetingsHeld: o.meetings.held.n,
      decisionsOpen: o.meetings.decisionsOpen.n,
    },
  };
}

export async function listBriefings(s: AppServices, caller: Caller, q: { series?: string | undefined; page?: number | undefined; pageSize?: number | undefined }) {
  const readable = await readableSeries(s, caller);
  const allowed = readable.map((x) => x.series).filter((x) => !q.series || x === q.series);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  if (!allowed.length) return { items: [], total: 0, page, pageSize, series: readable };
  const where = and(eq(briefings.zoneId, caller.zoneId), inArray(briefings.series, allowed));
  const rows = await s.db
    .select()
    .from(briefings)
    .where(where)
    .orderBy(desc(briefings.createdAt), desc(briefings.issueNo))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [t] = await s.db.select({ n: sql<number>`count(*)::int` }).from(briefings).where(where);
  return { items: rows.map(presentBriefing), total: Number(t?.n ?? 0), page, pageSize, series: readable };
}

export async function getBriefing(s: AppServices, caller: Caller, id: string): Promise<BriefingDto> {
  return presentBriefing(await loadReadable(s, caller, id));
}

/** The stored document of an issue, for download (audited like the other document exports). */
export async function briefingDocument(s: AppServices, caller: Caller, id: string, format: DocumentFormat) {
  const row = await loadReadable(s, caller, id);
  const fileId = format === 'pdf' ? row.pdfFileId : row.docxFileId;
  const blob = await openBlob(s.config.dataDir, caller.zoneId, fileId);
  if (!blob) throw notFound();
  await auditEvent(s, caller, { action: 'briefing.document.export', entityType: 'briefing', entityId: row.id, after: { format, year: row.year, issueNo: row.issueNo, series: row.series } });
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
  const c = row.content as unknown as BriefingContent;
  return { body: Buffer.concat(chunks), baseName: `工作简报_${row.year}年第${row.issueNo}期_${c.scopeName}` };
}

// ---------------------------------------------------------------- subscriptions

export async function mySubscriptions(s: AppServices, caller: Caller): Promise<SubscriptionsDto> {
  const readable = await readableSeries(s, caller);
  const rows = await s.db
    .select({ series: briefingSubscriptions.series })
    .from(briefingSubscriptions)
    .where(and(eq(briefingSubscriptions.zoneId, caller.zoneId), eq(briefingSubscriptions.userId, caller.userId)));
  const mine = new Set(rows.map((r) => r.series));
  return { items: readable.map((x) => ({ ...x, subscribed: mine.has(x.series) })) };
}

/** Replaces the caller's subscriptions with `series` (each one the caller may read; else 400 naming it). */
export async function setSubscriptions(s: AppServices, caller: Caller, series: readonly string[]): Promise<SubscriptionsDto> {
  const readable = await readableSeries(s, caller);
  const wanted = [...new Set(series)];
  wanted.forEach((x, i) => {
    if (!readable.some((r) => r.series === x)) throw fieldError(`series/${i}`, 'field.briefing_series');
  });
  await s.db.transaction(async (tx) => {
    const before = await tx
      .select({ series: briefingSubscriptions.series })
      .from(briefingSubscriptions)
      .where(and(eq(briefingSubscriptions.zoneId, caller.zoneId), eq(briefingSubscriptions.userId, caller.userId)));
    await tx.delete(briefingSubscriptions).where(and(eq(briefingSubscriptions.zoneId, caller.zoneId), eq(briefingSubscriptions.userId, caller.userId)));
    if (wanted.length) {
      await tx.insert(briefingSubscriptions).values(
        wanted.map((x) => ({ zoneId: caller.zoneId, userId: caller.userId, series: x, commandId: x === ZONE_SERIES ? null : x })),
      );
    }
    await audit(tx, s, caller, {
      action: 'briefing.subscriptions',
      entityType: 'user',
      entityId: caller.userId,
      before: { series: before.map((b) => b.series).sort() },
      after: { series: [...wanted].sort() },
    });
  });
  return mySubscriptions(s, caller);
}

// ---------------------------------------------------------------- the weekly run

/** The scheduler's caller for a zone: sees what a zone leader sees (the weekly issues are the zone's and its HQs'). */
export function weeklyCaller(zoneId: string): Caller {
  return {
    zoneId,
    userId: PLATFORM_ZONE_ID,
    username: 'qibu',
    displayName: '系统',
    roles: ['zone_leader'],
    unitId: null,
    enterpriseId: null,
    commandIds: [],
    ledCommandIds: [],
    sessionId: 'scheduler',
    ip: null,
    requestId: 'briefings.weekly',
  };
}

/** Last week, Monday to Sunday, seen from `now` in Asia/Shanghai. */
export function lastWeek(now: Date): { from: string; to: string } {
  const monday = mondayOf(shanghaiDay(now));
  return { from: addDays(monday, -7), to: addDays(monday, -1) };
}

/**
 * The weekly issues of a zone for last week: the zone's own, and one for each HQ someone subscribes to or that has a
 * group robot. A series that already has last week's weekly issue is skipped (a re-run after a crash sends nothing
 * twice). Each new issue goes to its subscribers' inboxes (and so to their e-mail digest) and, as a link, to the
 * zone's (or the HQ's) robots.
 */
export async function runWeeklyBriefings(s: AppServices, zoneId: string, now: Date): Promise<BriefingRow[]> {
  const { from, to } = lastWeek(now);
  const caller = weeklyCaller(zoneId);
  const at = { ...s, now: () => now };
  const subscribed = await s.db
    .selectDistinct({ series: briefingSubscriptions.series })
    .from(briefingSubscriptions)
    .where(eq(briefingSubscriptions.zoneId, zoneId));
  const robotHqs = await s.db
    .selectDistinct({ commandId: robotChannels.commandId })
    .from(robotChannels)
    .where(and(eq(robotChannels.zoneId, zoneId), eq(robotChannels.enabled, true)));
  const hqs = new Set<string>([...subscribed.map((x) => x.series), ...robotHqs.flatMap((r) => (r.commandId ? [r.commandId] : []))]);
  hqs.delete(ZONE_SERIES);
  const existingHqs = hqs.size
    ? (await s.db.select({ id: commands.id }).from(commands).where(and(eq(commands.zoneId, zoneId), inArray(commands.id, [...hqs])))).map((c) => c.id)
    : [];
  const made: BriefingRow[] = [];
  for (const series of [ZONE_SERIES, ...existingHqs.sort()]) {
    const [done] = await s.db
      .select({ id: briefings.id })
      .from(briefings)
      .where(and(eq(briefings.zoneId, zoneId), eq(briefings.series, series), eq(briefings.kind, 'weekly'), eq(briefings.periodFrom, from), eq(briefings.periodTo, to)));
    if (done) continue;
    const row = await generateBriefing(at, caller, { from, to, ...(series === ZONE_SERIES ? {} : { commandId: series }), kind: 'weekly' });
    await deliver(at, row, now);
    made.push(row);
  }
  return made;
}

/** Inbox messages to the series' subscribers and a link to its robots, in one transaction. */
async function deliver(s: AppServices, row: BriefingRow, now: Date): Promise<void> {
  const dto = presentBriefing(row);
  const f = dto.figures;
  const title = `工作简报 ${row.year}年第${row.issueNo}期：${row.title}`;
  const summary =
    `${dto.period}：新发现问题${f.problemsRaised}件、销号${f.problemsClosed}件；在办${f.problemsOpen}件，其中超期${f.problemsOverdue}件；` +
    `召开会议${f.meetingsHeld}次，未办结议定事项${f.decisionsOpen}项；滞后项目${f.laggingProjects}个。`;
  const link = `/briefings/${row.id}`;
  await s.db.transaction(async (tx) => {
    const subs = await tx
      .select({ userId: briefingSubscriptions.userId })
      .from(briefingSubscriptions)
      .where(and(eq(briefingSubscriptions.zoneId, row.zoneId), eq(briefingSubscriptions.series, row.series)));
    await notify(tx, s, { zoneId: row.zoneId, userIds: subs.map((x) => x.userId), kind: 'briefing.weekly', title, body: summary, link });
    const robots = await tx
      .select({ id: robotChannels.id, kind: robotChannels.kind })
      .from(robotChannels)
      .where(
        and(
          eq(robotChannels.zoneId, row.zoneId),
          eq(robotChannels.enabled, true),
          row.commandId ? eq(robotChannels.commandId, row.commandId) : sql`${robotChannels.commandId} is null`,
        ),
      );
    const url = s.config.publicUrl ? `${s.config.publicUrl}${link}` : null;
    const body = [`#### ${title}`, '', summary, '', url ? `[查看简报（PDF / Word）](${url})` : '请登录平台“工作简报”查看全文。'].join('\n');
    await enqueue(
      tx,
      now,
      robots.map((r) => ({ zoneId: row.zoneId, channel: r.kind as RobotKind, target: r.id, runKey: `briefing:${row.id}`, subject: title, body })),
    );
  });
}
