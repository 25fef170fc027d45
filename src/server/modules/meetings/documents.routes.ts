import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id, Strict } from '../../../shared/schema.ts';
import { auditDenial } from '../../auth/auth.plugin.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { cleanFileName, contentDisposition } from '../../lib/file-names.ts';
import { DOCUMENT_MIME, sendDocument, type DocumentFormat } from '../../lib/documents/index.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { MEETING_DOCUMENTS, meetingDocument, type MeetingDocumentKind } from './documents.ts';
import { callerFromFeedToken, hqMeetingsIcs, ICS_MIME, meetingsFeedLink } from './ics.ts';
import { MEETING_ROLES } from './meetings.policy.ts';

const read = { access: 'signed_in', roles: MEETING_ROLES } as const;
const tags = ['meetings'];
const Params = Strict({ id: Id });
const FORMATS: DocumentFormat[] = ['docx', 'pdf'];

const MinutesQuery = Strict({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'An issued minutes version (default: the latest issued)' })),
  draft: Type.Optional(Type.Boolean({ description: 'The current, not yet issued content, marked 征求意见稿' })),
});

const SUMMARIES: Record<MeetingDocumentKind, string> = {
  minutes:
    '会议纪要 (minutes, GB/T 9704 §10.3): the latest issued version as frozen (?version=N for an older one); never issued, or ?draft=true: the current content marked 征求意见稿 (audited)',
  'attendance-sheet': '签到表 (sign-in sheet): the invited units’ people, the HQ’s members and anyone recorded, with a blank column to sign (audited)',
};

const baseUrlOf = (s: AppServices, req: FastifyRequest) => s.config.publicUrl ?? `${req.protocol}://${req.host}`;

/**
 * The caller of the .ics route: a feed token (calendar apps carry no cookie), else the session, checked as the
 * auth hook checks `signed_in` routes with MEETING_ROLES.
 */
async function feedCaller(s: AppServices, req: FastifyRequest, token: string | undefined, commandId: string): Promise<Caller> {
  if (token !== undefined) return callerFromFeedToken(s, token, commandId, req);
  const session = req.session;
  const caller = req.caller;
  if (!session || !caller) throw new AppError('unauthenticated');
  if (session.mustChangePassword) throw new AppError('password_change_required');
  if (session.mustEnrollTotp) throw new AppError('second_factor_setup_required');
  if (!hasRole(caller, ...MEETING_ROLES)) {
    await auditDenial(s, caller, req, 'route', req.routeOptions.url ?? null);
    throw new AppError('forbidden');
  }
  return caller;
}

/**
 * GET /api/meetings/{id}/minutes.docx|.pdf, /attendance-sheet.docx|.pdf; GET /api/hqs/{id}/meetings.ics and
 * /meetings-feed (docs/api-meetings-documents.md). Scoped like GET /api/meetings/{id}: out of scope answers 404.
 */
export async function meetingDocumentRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  for (const kind of Object.keys(MEETING_DOCUMENTS) as MeetingDocumentKind[]) {
    for (const format of FORMATS) {
      r.get(
        `/api/meetings/:id/${kind}.${format}`,
        {
          config: read,
          schema: {
            tags,
            summary: SUMMARIES[kind],
            params: Params,
            ...(kind === 'minutes' ? { querystring: MinutesQuery } : {}),
            response: withErrors({ 200: Type.String({ format: 'binary', description: DOCUMENT_MIME[format] }) }),
          },
        },
        async (req, reply) => {
          const q = (kind === 'minutes' ? req.query : {}) as { version?: number; draft?: boolean };
          const { body, fileName } = await meetingDocument(s, callerOf(req), req.params.id, kind, format, q);
          return sendDocument(reply, format, fileName, body);
        },
      );
    }
  }

  r.get(
    '/api/hqs/:id/meetings-feed',
    {
      config: read,
      schema: {
        tags,
        summary: 'A personal link to subscribe to the HQ’s meetings in a calendar app (the .ics with a token instead of a cookie; audited)',
        params: Params,
        response: withErrors({ 200: Type.Object({ url: Type.String(), webcalUrl: Type.String() }) }),
      },
    },
    async (req) => meetingsFeedLink(s, callerOf(req), req.params.id, baseUrlOf(s, req)),
  );

  r.get(
    '/api/hqs/:id/meetings.ics',
    {
      // Public to the auth hook: a calendar app brings ?token= instead of a cookie; feedCaller checks either.
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The HQ’s meetings from 90 days ago on as iCalendar (RFC 5545), as the caller may see them; signed in, or ?token= from /meetings-feed',
        params: Params,
        querystring: Strict({ token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        response: withErrors({ 200: Type.String({ format: 'binary', description: 'text/calendar' }) }),
      },
    },
    async (req, reply) => {
      const caller = await feedCaller(s, req, req.query.token, req.params.id);
      const ics = await hqMeetingsIcs(s, caller, req.params.id, baseUrlOf(s, req));
      return sendIcs(reply, ics.name, ics.text);
    },
  );
}

/** The calendar as a download named after it (<HQ>会议.ics); calendar apps re-fetch it, so nothing is cached. */
function sendIcs(reply: FastifyReply, name: string, text: string): FastifyReply {
  return reply
    .header('content-type', ICS_MIME)
    .header('content-disposition', contentDisposition('attachment', cleanFileName(`${name}.ics`, 'meetings.ics')))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-cache')
    .send(Buffer.from(text, 'utf8'));
}
