import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Role } from '../../../shared/roles.ts';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { CockpitMap, CockpitMapQuery, CockpitOverview, CockpitQuery } from './cockpit.api.ts';
import { cockpitMap, cockpitOverview } from './cockpit.service.ts';

/** Who opens the cockpit: zone leaders (the whole zone) and HQ commanders and staff (their HQs). */
export const COCKPIT_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff'];

const read = { access: 'signed_in', roles: COCKPIT_ROLES } as const;

/** 驾驶舱 / 大屏 (issue 6): the overview and the map's points. */
export async function cockpitRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/cockpit/overview',
    {
      config: read,
      schema: {
        tags: ['cockpit'],
        summary: 'The cockpit: projects, problems, meetings and indicators for a period and optionally one HQ',
        description:
          'Scoped like the lists (leaders: the zone; HQ people: their HQs). `from`/`to` default to 1 January of this year and today ' +
          '(Asia/Shanghai); `commandId` narrows to one HQ the caller may pick (else 404). Open counts and lights are as of today; ' +
          'the ledger is measured for the year of min(to, today), as of that day. Every figure carries `link`, the web list behind it.',
        querystring: CockpitQuery,
        response: withErrors({ 200: CockpitOverview }),
      },
    },
    async (req) => cockpitOverview(s, callerOf(req), req.query, req.lang),
  );
  r.get(
    '/api/cockpit/map',
    {
      config: read,
      schema: {
        tags: ['cockpit'],
        summary: "The big screen's map: project locations in scope, the zone outline's URL and the optional tile URL",
        querystring: CockpitMapQuery,
        response: withErrors({ 200: CockpitMap }),
      },
    },
    async (req) => cockpitMap(s, callerOf(req), req.query),
  );
}
