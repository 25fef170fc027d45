import type { AppServices, Caller } from '../context.ts';
import { DEMO_USERS } from './demo-data.ts';
import type { SeededZone } from './demo.ts';

/**
 * The demo's people as callers of the real services, and the services with the clock set to a moment of the
 * demo's history: demo data is written by the same code paths (numbering, deadlines, timelines, audit) as real work.
 */
export function demoCallers(zone: SeededZone): (username: string) => Caller {
  const callers = new Map<string, Caller>();
  for (const u of DEMO_USERS) {
    const commandId = u.command ? zone.commands[u.command.key] : undefined;
    callers.set(u.username, {
      zoneId: zone.zoneId,
      userId: zone.users[u.username]!,
      username: u.username,
      displayName: u.displayName,
      roles: u.roles,
      unitId: u.unit ? (zone.units[u.unit] ?? null) : null,
      enterpriseId: null,
      commandIds: commandId ? [commandId] : [],
      ledCommandIds: commandId && u.command?.as !== 'staff' ? [commandId] : [],
      sessionId: 'demo',
      ip: null,
      requestId: 'demo-seed',
    });
  }
  return (username) => {
    const c = callers.get(username);
    if (!c) throw new Error(`demo: unknown user ${username}`);
    return c;
  };
}

/** The services as they were at `day` (YYYY-MM-DD) `hour`:mm in Asia/Shanghai. */
export function servicesAt(s: AppServices, day: string, hour: number, minute = 0): AppServices {
  const when = new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
  return { ...s, now: () => when };
}
