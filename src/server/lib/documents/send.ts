import type { FastifyReply } from 'fastify';
import { cleanFileName } from '../file-names.ts';
import { contentDisposition } from '../file-names.ts';

export type DocumentFormat = 'docx' | 'pdf';

export const DOCUMENT_MIME: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/**
 * Sends a rendered document as a download: the Chinese file name in RFC 5987 form with an ASCII fallback
 * (交办单_WT-2026-0001.pdf), nosniff, and no caching (documents show live data and may hold personal names).
 */
export function sendDocument(reply: FastifyReply, format: DocumentFormat, baseName: string, body: Buffer): FastifyReply {
  const name = cleanFileName(`${baseName}.${format}`, `document.${format}`);
  return reply
    .header('content-type', DOCUMENT_MIME[format])
    .header('content-disposition', contentDisposition('attachment', name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body);
}
