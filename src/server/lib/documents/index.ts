/**
 * Printable documents (交办单, 督办单, 会议纪要, 简报 …): build a `DocumentSpec`, render it with `renderDocx` /
 * `renderPdf` (or `renderDocument`), send it with `sendDocument`. docs/documents.md says how to add a document type.
 */
import { renderDocx } from './docx.ts';
import { renderPdf } from './pdf.ts';
import type { DocumentSpec } from './model.ts';
import type { DocumentFormat } from './send.ts';

export * from './model.ts';
export { chineseDate, chineseNumber, documentNumber, numericDate, numericDateTime } from './chinese.ts';
export { cjkFonts, cjkFontStatus, MissingFontError, type CjkFonts, type FontRole } from './fonts.ts';
export { qrPng } from './qr.ts';
export { DOCUMENT_MIME, sendDocument, type DocumentFormat } from './send.ts';
export { renderDocx, renderPdf };

/** Renders `spec` in the format asked for. */
export function renderDocument(spec: DocumentSpec, format: DocumentFormat): Promise<Buffer> {
  return format === 'pdf' ? renderPdf(spec) : renderDocx(spec);
}
