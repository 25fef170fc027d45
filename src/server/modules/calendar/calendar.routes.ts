import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BUSINESS_ROLES, type Role } from '../../../shared/roles.ts';
import { DateString, Nullable, Strict, Text } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { Ok, withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { addWorkdays, calendarYear, deleteOverride, putOverride } from './calendar.service.ts';

/** Anyone at work reads the calendar; the system administrator keeps the zone's entries (configuration, 三员分立). */
const READ_ROLES: readonly Role[] = [...BUSINESS_ROLES, 'sys_admin'];
const read = { access: 'signed_in', roles: READ_ROLES } as const;
const write = { access: 'signed_in', roles: ['sys_admin'] as Role[] } as const;
const tags = ['calendar'];

const OverrideKind = Type.Union([Type.Literal('workday'), Type.Literal('holiday')]);
const Override = Type.Object({ day: Type.String(), kind: OverrideKind, note: Nullable(Type.String()) });
const DayParams = Strict({ day: DateString });

export async function calendarRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/calendar/add-workdays',
    {
      config: read,
      schema: {
        tags,
        summary: 'The date N working days after `from` (`from` itself not counted), on the official calendar',
        description: 'Holidays and make-up workdays (调休) from the pinned `chinese-days` data plus the zone\'s own entries. `provisional` is true when the count crosses a year whose calendar is not yet known. Negative N counts back.',
        querystring: Strict({ from: DateString, days: Type.Integer({ minimum: -3650, maximum: 3650 }) }),
        response: withErrors({ 200: Type.Object({ from: Type.String(), days: Type.Integer(), date: Type.String(), provisional: Type.Boolean() }) }),
      },
    },
    async (req) => addWorkdays(s, callerOf(req), req.query.from, req.query.days),
  );

  r.get(
    '/api/calendar/years/:year',
    {
      config: read,
      schema: {
        tags,
        summary: "A year's days off on weekdays and make-up workdays, and the zone's own entries",
        params: Strict({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: withErrors({
          200: Type.Object({
            year: Type.Integer(),
            known: Type.Boolean(),
            days: Type.Array(Type.Object({ day: Type.String(), workday: Type.Boolean(), name: Nullable(Type.String()), source: Type.String() })),
            overrides: Type.Array(Override),
          }),
        }),
      },
    },
    async (req) => calendarYear(s, callerOf(req), req.params.year),
  );

  r.put(
    '/api/calendar/overrides/:day',
    {
      config: write,
      schema: {
        tags,
        summary: "Set one day as a workday or a day off for this zone (a new year's notice, a local holiday)",
        params: DayParams,
        body: Strict({ kind: OverrideKind, note: Type.Optional(Nullable(Text(100))) }),
        response: withErrors({ 200: Override }),
      },
    },
    async (req) => putOverride(s, callerOf(req), req.params.day, req.body),
  );

  r.delete(
    '/api/calendar/overrides/:day',
    { config: write, schema: { tags, summary: "Remove the zone's entry for a day", params: DayParams, response: withErrors({ 200: Ok }) } },
    async (req) => deleteOverride(s, callerOf(req), req.params.day),
  );
}
