import { seedBriefingSubscriptions } from '../modules/briefings/briefings.demo.ts';
import { seedMeetings } from '../modules/meetings/meetings.demo.ts';
import { seedProblems } from '../modules/problems/problems.demo.ts';
import { eq } from 'drizzle-orm';
import { completeCreditCode } from '../../shared/credit-code.ts';
import { writeAudit } from '../audit/audit.ts';
import { securitySettings } from '../auth/auth.schema.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { AppServices } from '../context.ts';
import { encrypt, lookupDigest } from '../crypto.ts';
import type { Db } from '../db/client.ts';
import { commandMembers, commands, enterprises, orgGroupMembers, orgGroups, units, zones } from '../modules/org/org.schema.ts';
import { userRoles, users } from '../modules/users/users.schema.ts';
import { seedDefaultDictionaries } from '../modules/dictionaries/dictionaries.defaults.ts';
import { seedLedger } from '../modules/projects/projects.demo.ts';
import { seedDefaultIndicators } from '../modules/indicators/indicators.defaults.ts';
import { seedIndicatorsDemo } from '../modules/indicators/indicators.demo.ts';
import { DEMO_COMMANDS, DEMO_ENTERPRISES, DEMO_GROUPS, DEMO_UNITS, DEMO_USERS, DEMO_ZONE } from './demo-data.ts';

export const DEMO_ACCOUNTS = DEMO_USERS.filter((u) => u.label).map((u) => ({ username: u.username, label: u.label ?? '' }));

export interface SeedOptions {
  zoneCode: string;
  zoneName: string;
  /** Prepended to every username (tests make many demo-shaped zones; usernames are unique per deployment). */
  usernamePrefix: string;
  isDemo: boolean;
  passwordHash: string;
  /** Also load the demo ledger (projects, batches, reports). Tests that need it ask; the rest stay fast. */
  withLedger: boolean;
  /** Also load the demo problems (needs the ledger). */
  withProblems?: boolean;
}

export interface SeededZone {
  zoneId: string;
  units: Record<string, string>;
  commands: Record<string, string>;
  users: Record<string, string>;
  enterprises: Record<string, string>;
  groups: Record<string, string>;
}

function need(map: Record<string, string>, key: string): string {
  const v = map[key];
  if (!v) throw new Error(`demo data refers to unknown key ${key}`);
  return v;
}

/** Writes a demo-shaped zone (org tree, HQs, groups, enterprises, users) in the caller's transaction. */
export async function seedZone(tx: Db, services: AppServices, opts: SeedOptions): Promise<SeededZone> {
  const { keys } = services;
  const [zone] = await tx
    .insert(zones)
    .values({ code: opts.zoneCode, name: opts.zoneName, shortName: DEMO_ZONE.shortName, isDemo: opts.isDemo })
    .returning({ id: zones.id });
  if (!zone) throw new Error('zone insert failed');
  const zoneId = zone.id;
  await tx.insert(securitySettings).values({ zoneId });
  await seedDefaultDictionaries(tx, zoneId);
  await seedDefaultIndicators(tx, zoneId, DEMO_ZONE.shortName);

  const unitIds: Record<string, string> = {};
  for (const [i, u] of DEMO_UNITS.entries()) {
    const [row] = await tx
      .insert(units)
      .values({
        zoneId,
        parentId: u.parent ? need(unitIds, u.parent) : null,
        kind: u.kind,
        name: u.name,
        shortName: u.shortName ?? null,
        description: u.description ?? null,
        establishedOn: u.establishedOn ?? null,
        sortOrder: i,
      })
      .returning({ id: units.id });
    unitIds[u.key] = row!.id;
  }

  const enterpriseIds: Record<string, string> = {};
  for (const e of DEMO_ENTERPRISES) {
    const [row] = await tx
      .insert(enterprises)
      .values({
        zoneId,
        name: e.name,
        creditCode: completeCreditCode(e.creditCodeBody),
        industry: e.industry,
        unitId: need(unitIds, e.unit),
        address: e.address,
        legalRepresentative: e.legalRepresentative ?? null,
        contactName: e.contactName ?? null,
        contactPhoneEnc: e.contactPhone ? encrypt(keys, e.contactPhone) : null,
      })
      .returning({ id: enterprises.id });
    enterpriseIds[e.key] = row!.id;
  }

  const userIds: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const [row] = await tx
      .insert(users)
      .values({
        zoneId,
        username: opts.usernamePrefix + u.username,
        displayName: u.displayName,
        title: u.title ?? null,
        unitId: u.unit ? need(unitIds, u.unit) : null,
        enterpriseId: u.enterprise ? need(enterpriseIds, u.enterprise) : null,
        phoneEnc: u.phone ? encrypt(keys, u.phone) : null,
        phoneDigest: u.phone ? lookupDigest(keys, u.phone) : null,
        passwordHash: opts.passwordHash,
      })
      .returning({ id: users.id });
    userIds[u.username] = row!.id;
    await tx.insert(userRoles).values(u.roles.map((role) => ({ zoneId, userId: row!.id, role })));
  }

  const groupIds: Record<string, string> = {};
  const commandIds: Record<string, string> = {};
  const leading = DEMO_GROUPS.find((g) => g.kind === 'leading_group');
  for (const g of [leading!]) {
    const [row] = await tx.insert(orgGroups).values({ zoneId, kind: g.kind, name: g.name, establishedOn: g.establishedOn }).returning({ id: orgGroups.id });
    groupIds[g.key] = row!.id;
  }
  for (const [i, c] of DEMO_COMMANDS.entries()) {
    const [row] = await tx
      .insert(commands)
      .values({
        zoneId,
        name: c.name,
        areaUnitId: need(unitIds, c.area),
        leadingGroupId: leading ? need(groupIds, leading.key) : null,
        responsibility: c.responsibility,
        establishedOn: c.establishedOn,
        sortOrder: i,
      })
      .returning({ id: commands.id });
    commandIds[c.key] = row!.id;
  }
  for (const u of DEMO_USERS) {
    if (!u.command) continue;
    await tx.insert(commandMembers).values({
      zoneId,
      commandId: need(commandIds, u.command.key),
      userId: need(userIds, u.username),
      memberRole: u.command.as,
      fromUnitId: u.command.from ? need(unitIds, u.command.from) : null,
      mode: u.command.mode ?? 'seconded',
    });
  }
  for (const g of DEMO_GROUPS) {
    if (g.kind !== 'leading_group') {
      const [row] = await tx
        .insert(orgGroups)
        .values({ zoneId, kind: g.kind, name: g.name, theme: 'theme' in g ? g.theme : null, commandId: 'command' in g && g.command ? need(commandIds, g.command) : null, establishedOn: g.establishedOn })
        .returning({ id: orgGroups.id });
      groupIds[g.key] = row!.id;
    }
    await tx.insert(orgGroupMembers).values(g.members.map((m) => ({ zoneId, groupId: need(groupIds, g.key), userId: need(userIds, m.user), memberRole: m.as })));
  }

  const seeded: SeededZone = { zoneId, units: unitIds, commands: commandIds, users: userIds, enterprises: enterpriseIds, groups: groupIds };
  if (opts.withLedger) await seedLedger(tx, services, seeded, shanghaiToday(services.now()));
  if (opts.withLedger) await seedIndicatorsDemo(tx, services, seeded);
  if (opts.withLedger && opts.withProblems) {
    const today = shanghaiToday(services.now());
    const { wallProblemId } = await seedMeetings(tx, services, seeded, today);
    await seedProblems(tx, services, seeded, today, { wallProblemId });
    await seedBriefingSubscriptions(tx, seeded);
  }
  await writeAudit(
    tx,
    keys.auditKey,
    { zoneId, actorId: null, actorName: 'qibu', actorRole: 'system', ip: null, requestId: null },
    { action: 'zone.seed', entityType: 'zone', entityId: zoneId, after: { code: opts.zoneCode, units: DEMO_UNITS.length, commands: DEMO_COMMANDS.length, users: DEMO_USERS.length } },
  );
  return seeded;
}

/** Today's date in Asia/Shanghai (YYYY-MM-DD). */
function shanghaiToday(now: Date): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** Loads the demo zone (one transaction). With ifAbsent, does nothing when it is already there. */
export async function loadDemoZone(services: AppServices, opts: { ifAbsent: boolean }): Promise<boolean> {
  const [existing] = await services.db.select({ id: zones.id }).from(zones).where(eq(zones.code, DEMO_ZONE.code));
  if (existing) {
    if (opts.ifAbsent) return false;
    throw new Error('the demo zone already exists');
  }
  const passwordHash = await hashPassword(services.config.demoPassword);
  await services.db.transaction((tx) =>
    seedZone(tx, services, { zoneCode: DEMO_ZONE.code, zoneName: DEMO_ZONE.name, usernamePrefix: '', isDemo: true, passwordHash, withLedger: true, withProblems: true }),
  );
  return true;
}
