import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices, Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { sendXlsx, todayStamp } from '../../lib/xlsx.ts';
import { AuditExportQuery, AuditListQuery, AuditPage, VerifyResponse } from './audit.dto.ts';
import { exportAudit, listAudit, verifyZoneAudit } from './audit.service.ts';

const tags = ['audit'];
/** 三员分立: only the audit admin reads the trail, and only their own zone's. */
const auditAdmin = { access: 'signed_in', roles: ['audit_admin'] } as const;

function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated');
  return req.caller;
}

/** /api/audit: read, export and verify the zone's audit trail. */
export async function auditRoutes(scope: FastifyInstance, s: AppServices): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/audit',
    {
      config: auditAdmin,
      schema: {
        tags,
        summary: "The zone's audit trail, newest first",
        description: '`actor` matches part of the actor name or username; `from`/`to` are days in Asia/Shanghai, both inclusive.',
        querystring: AuditListQuery,
        response: { 200: AuditPage },
      },
    },
    async (req) => listAudit(s, callerOf(req), req.query),
  );

  app.get(
    '/api/audit/export.xlsx',
    {
      config: auditAdmin,
      schema: {
        tags,
        summary: 'Export the audit trail (same filters; the export is itself audited)',
        querystring: AuditExportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const body = await exportAudit(s, callerOf(req), req.query, req.lang);
      const name = req.lang === 'en' ? `audit-trail_${todayStamp(s.now())}.xlsx` : `审计日志_${todayStamp(s.now())}.xlsx`;
      return sendXlsx(reply, name, body);
    },
  );

  app.post(
    '/api/audit/verify',
    {
      config: auditAdmin,
      schema: {
        tags,
        summary: "Verify the HMAC-SM3 chains of my zone's audit trail",
        description: 'Names the first altered or removed row of each broken chain. The check itself is audited.',
        response: { 200: VerifyResponse },
      },
    },
    async (req) => verifyZoneAudit(s, callerOf(req)),
  );
}
