/** Every table, for drizzle-kit and for typed queries. Each module owns its own schema file. */
export * from '../modules/org/org.schema.ts';
export * from '../modules/users/users.schema.ts';
export * from '../auth/auth.schema.ts';
export * from '../audit/audit.schema.ts';
export * from '../plugins/idempotency.schema.ts';
export * from '../modules/dictionaries/dictionaries.schema.ts';
export * from '../modules/projects/projects.schema.ts';
export * from '../modules/files/files.schema.ts';
export * from '../modules/calendar/calendar.schema.ts';
export * from '../modules/problems/problems.schema.ts';
export * from '../modules/notifications/notifications.schema.ts';
export * from '../modules/meetings/meetings.schema.ts';
export * from '../modules/indicators/indicators.schema.ts';
export * from '../modules/briefings/briefings.schema.ts';
