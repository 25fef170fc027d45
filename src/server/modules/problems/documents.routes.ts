import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id, Strict } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { DOCUMENT_MIME, sendDocument, type DocumentFormat } from '../../lib/documents/index.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { PROBLEM_DOCUMENTS, problemDocument, type ProblemDocumentKind } from './documents.ts';
import { PROBLEM_ROLES } from './problems.policy.ts';

const read = { access: 'signed_in', roles: PROBLEM_ROLES } as const;
const Params = Strict({ id: Id });
const FORMATS: DocumentFormat[] = ['docx', 'pdf'];
const SUMMARIES: Record<ProblemDocumentKind, string> = {
  'assignment-notice': '交办单 (assignment notice): the problem, lead and cooperating units, deadline, sign-for, progress, result, verification, QR code (audited)',
  'supervision-notice': '督办单 (supervision notice): supervisions and escalations, overdue working days, the reply date, QR code (audited)',
};

/**
 * GET /api/problems/{id}/assignment-notice.docx|.pdf and /supervision-notice.docx|.pdf (docs/api-problems.md,
 * docs/documents.md). Scoped like GET /api/problems/{id}: out of scope answers 404.
 */
export async function problemDocumentRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  for (const kind of Object.keys(PROBLEM_DOCUMENTS) as ProblemDocumentKind[]) {
    for (const format of FORMATS) {
      r.get(
        `/api/problems/:id/${kind}.${format}`,
        {
          config: read,
          schema: {
            tags: ['problems'],
            summary: SUMMARIES[kind],
            params: Params,
            response: withErrors({ 200: Type.String({ format: 'binary', description: DOCUMENT_MIME[format] }) }),
          },
        },
        async (req, reply) => {
          const baseUrl = s.config.publicUrl ?? `${req.protocol}://${req.host}`;
          const { body, fileName } = await problemDocument(s, callerOf(req), req.params.id, kind, format, baseUrl);
          return sendDocument(reply, format, fileName, body);
        },
      );
    }
  }
}
