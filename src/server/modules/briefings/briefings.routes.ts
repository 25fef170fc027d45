import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppServices } from '../../context.ts';
import { DOCUMENT_MIME, sendDocument, type DocumentFormat } from '../../lib/documents/index.ts';
import { COCKPIT_ROLES } from '../cockpit/cockpit.routes.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { Briefing, BriefingCreate, BriefingList, BriefingParams, BriefingQuery, Subscriptions, SubscriptionsPut } from './briefings.api.ts';
import { briefingDocument, generateBriefing, getBriefing, listBriefings, mySubscriptions, presentBriefing, setSubscriptions } from './briefings.service.ts';

const read = { access: 'signed_in', roles: COCKPIT_ROLES } as const;
const write = { access: 'signed_in', roles: COCKPIT_ROLES } as const;
const FORMATS: DocumentFormat[] = ['docx', 'pdf'];

/** 工作简报 (issue 6 point 4, docs/briefings.md): generate, list, read, download, subscribe to the weekly issue. */
export async function briefingRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/api/briefings',
    {
      config: write,
      schema: {
        tags: ['briefings'],
        summary: "Generates a briefing (工作简报) from the cockpit's figures for a period and scope; stores its docx and PDF",
        description:
          'Same period and scope rules as GET /api/cockpit/overview (`from`/`to` default to 1 January and today; HQ people get their HQ). ' +
          'The figures are frozen in the issue; the documents are rendered once and kept as files of the zone. Audited.',
        body: BriefingCreate,
        response: withErrors({ 201: Briefing }),
      },
    },
    async (req, reply) => {
      const row = await generateBriefing(s, callerOf(req), req.body);
      return reply.code(201).send(presentBriefing(row));
    },
  );
  r.get(
    '/api/briefings',
    {
      config: read,
      schema: { tags: ['briefings'], summary: 'Issues the caller may read, newest first', querystring: BriefingQuery, response: withErrors({ 200: BriefingList }) },
    },
    async (req) => listBriefings(s, callerOf(req), req.query),
  );
  r.get(
    '/api/briefings/subscriptions',
    {
      config: read,
      schema: { tags: ['briefings'], summary: "The series the caller may subscribe to, and whether they do", response: withErrors({ 200: Subscriptions }) },
    },
    async (req) => mySubscriptions(s, callerOf(req)),
  );
  r.put(
    '/api/briefings/subscriptions',
    {
      config: write,
      schema: {
        tags: ['briefings'],
        summary: "Sets the series whose weekly issue the caller receives (inbox, e-mail digest); audited",
        body: SubscriptionsPut,
        response: withErrors({ 200: Subscriptions }),
      },
    },
    async (req) => setSubscriptions(s, callerOf(req), req.body.series),
  );
  r.get(
    '/api/briefings/:id',
    { config: read, schema: { tags: ['briefings'], summary: 'One issue', params: BriefingParams, response: withErrors({ 200: Briefing }) } },
    async (req) => getBriefing(s, callerOf(req), req.params.id),
  );
  for (const format of FORMATS) {
    r.get(
      `/api/briefings/:id.${format}`,
      {
        config: read,
        schema: {
          tags: ['briefings'],
          summary: `The issue as ${format === 'pdf' ? 'PDF' : 'Word (docx)'}, exactly as generated (audited)`,
          params: BriefingParams,
          response: withErrors({ 200: Type.String({ format: 'binary', description: DOCUMENT_MIME[format] }) }),
        },
      },
      async (req, reply) => {
        const { body, baseName } = await briefingDocument(s, callerOf(req), req.params.id, format);
        return sendDocument(reply, format, baseName, body);
      },
    );
  }
}
