import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AppServices, Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { todayStamp } from '../../lib/xlsx.ts';

/** The signed-in caller of a route that declares roles (the auth hook has already refused anyone else). */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated');
  return req.caller;
}

/** 单位_20261127.xlsx: the sheet's subject and today's date in Asia/Shanghai. */
export function exportFileName(s: AppServices, subject: string): string {
  return `${subject}_${todayStamp(s.now())}.xlsx`;
}

/** For the OpenAPI description of a spreadsheet download (the body is sent as a buffer, never serialised). */
export const XlsxFile = Type.String({ format: 'binary', description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
