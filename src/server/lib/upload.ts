import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import yauzl from 'yauzl';
import { AppError } from '../errors.ts';
import { cleanFileName } from './file-names.ts';

/**
 * Spreadsheet uploads (xlsx only). Everything is decided from the bytes, never from the name or the declared
 * content type, and before exceljs reads anything:
 *  - the size of the upload (≤ 10 MB, refused with 413 while it streams in);
 *  - a zip (PK\3\4) whose [Content_Types].xml declares a SpreadsheetML workbook — a PNG renamed .xlsx, a text
 *    file, an old .xls or a password-protected workbook (both OLE containers) and a .docx are refused with 400;
 *  - the zip's central directory (read by yauzl): ≤ 200 entries, ≤ 100 MB declared uncompressed in total, no
 *    encrypted entries, local headers that agree with the central directory and no bytes between entries (so a
 *    streaming reader that walks the local headers, as exceljs does, sees exactly the entries checked here);
 *  - every entry is then inflated once with the sizes enforced (yauzl validateEntrySizes), so a header that lies
 *    about the uncompressed size is caught too — a decompression bomb costs at most the limit.
 * Problems answer with a clear field message on `file` (keys upload.* in i18n.ts).
 */
export interface XlsxLimits {
  maxBytes: number;
  maxUncompressedBytes: number;
  maxEntries: number;
}

export const XLSX_LIMITS: XlsxLimits = { maxBytes: 10 * 1024 * 1024, maxUncompressedBytes: 100 * 1024 * 1024, maxEntries: 200 };

export interface CheckedXlsx {
  fileName: string;
  buffer: Buffer;
  /** Total uncompressed size of all entries. */
  uncompressedBytes: number;
  /** Row elements per worksheet part ("xl/worksheets/sheet1.xml" → n): an estimate for progress, known up front. */
  worksheetRows: Map<string, number>;
}

const SPREADSHEET_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;

const problem = (code: 'validation_failed' | 'payload_too_large', key: string, params?: Record<string, string | number>) =>
  new AppError(code, { fields: [{ path: 'file', key, ...(params ? { params } : {}) }] });

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Registers @fastify/multipart in this scope unless a parent scope already did. */
export async function ensureMultipart(app: FastifyInstance): Promise<void> {
  if (app.hasContentTypeParser('multipart/form-data')) return;
  await app.register(multipart, { limits: { fileSize: XLSX_LIMITS.maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 } });
}

/** Reads the multipart field `file` of the request into memory (at most limits.maxBytes) and checks it. */
export async function receiveXlsx(req: FastifyRequest, limits: XlsxLimits = XLSX_LIMITS): Promise<CheckedXlsx> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', { fields: [{ path: 'file', key: 'upload.missing' }] });
  let buffer: Buffer;
  let fileName: string;
  try {
    const part = await req.file({ limits: { fileSize: limits.maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 }, throwFileSizeLimit: true });
    if (!part || part.fieldname !== 'file') throw problem('validation_failed', 'upload.missing');
    fileName = cleanFileName(part.filename, 'upload.xlsx');
    buffer = await part.toBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || (err as { statusCode?: number }).statusCode === 413) {
      throw problem('payload_too_large', 'upload.too_large', { max: mb(limits.maxBytes) });
    }
    // A broken multipart body (cut off, bad boundary): the client's fault, never a 500.
    throw problem('validation_failed', 'upload.unreadable');
  }
  if (buffer.length === 0) throw problem('validation_failed', 'upload.empty');
  if (buffer.length > limits.maxBytes) throw problem('payload_too_large', 'upload.too_large', { max: mb(limits.maxBytes) });
  return { fileName, buffer, ...(await inspectXlsx(buffer, limits)) };
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DATA_DESCRIPTOR_SIG = 0x08074b50;

/** Checks the bytes of an xlsx as described above; throws AppError (400 on `file`) when they are not one. */
export async function inspectXlsx(buffer: Buffer, limits: XlsxLimits = XLSX_LIMITS): Promise<Omit<CheckedXlsx, 'fileName' | 'buffer'>> {
  if (buffer.subarray(0, 8).equals(OLE_MAGIC)) throw problem('validation_failed', 'upload.xls_or_encrypted');
  if (!buffer.subarray(0, 4).equals(ZIP_MAGIC)) throw problem('validation_failed', 'upload.not_xlsx');

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw problem('validation_failed', 'upload.not_xlsx');
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw problem('validation_failed', 'upload.too_many_entries', { max: limits.maxEntries });
    const entries: yauzl.Entry[] = [];
    let declared = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        entries.push(entry);
        if (entries.length > limits.maxEntries) throw problem('validation_failed', 'upload.too_many_entries', { max: limits.maxEntries });
        declared += entry.uncompressedSize;
        if (declared > limits.maxUncompressedBytes) throw problem('validation_failed', 'upload.bomb', { max: mb(limits.maxUncompressedBytes) });
        if (entry.isEncrypted() || !entry.canDecodeFileData()) throw problem('validation_failed', 'upload.not_xlsx');
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw problem('validation_failed', 'upload.not_xlsx');
    }
    const names = new Set(entries.map((e) => e.fileName));
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) throw problem('validation_failed', 'upload.not_xlsx');
    await checkLayout(zip, entries, buffer);

    // Inflate every entry once, sizes enforced: the header's uncompressed size is now a fact.
    let inflated = 0;
    const worksheetRows = new Map<string, number>();
    let contentTypes = '';
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const isSheet = /^xl\/worksheets\/sheet\d+\.xml$/.test(entry.fileName);
      const isTypes = entry.fileName === '[Content_Types].xml';
      if (isTypes && entry.uncompressedSize > MAX_CONTENT_TYPES_BYTES) throw problem('validation_failed', 'upload.not_xlsx');
      const chunks: Buffer[] = [];
      let rows = 0;
      let tail = '';
      try {
        const stream = await zip.openReadStreamPromise(entry);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          inflated += chunk.length;
          if (inflated > limits.maxUncompressedBytes) {
            stream.destroy();
            throw problem('validation_failed', 'upload.bomb', { max: mb(limits.maxUncompressedBytes) });
          }
          if (isTypes) chunks.push(chunk);
          if (isSheet) {
            const text = tail + chunk.toString('latin1');
            rows += countRows(text);
            // Keep the last few characters so a "<row " split between chunks is counted once, by the next one.
            const cut = Math.max(0, text.length - 5);
            tail = text.slice(cut);
            rows -= countRows(tail);
          }
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        // Sizes that lie, bad deflate data, a truncated file.
        throw problem('validation_failed', 'upload.corrupt');
      }
      if (isSheet) worksheetRows.set(entry.fileName, rows + countRows(tail));
      if (isTypes) contentTypes = Buffer.concat(chunks).toString('utf8');
    }
    if (!contentTypes.includes(SPREADSHEET_MAIN)) throw problem('validation_failed', 'upload.not_xlsx');
    return { uncompressedBytes: inflated, worksheetRows };
  } finally {
    zip.close();
  }
}

function countRows(text: string): number {
  let n = 0;
  let at = text.indexOf('<row');
  while (at !== -1) {
    const next = text.charCodeAt(at + 4);
    if (next === 0x20 || next === 0x3e || next === 0x2f) n++; // "<row ", "<row>", "<row/>"
    at = text.indexOf('<row', at + 4);
  }
  return n;
}

/**
 * Each central-directory entry's local header agrees with it, and the entries tile the file from offset 0 up to
 * the central directory with nothing hidden in between.
 */
async function checkLayout(zip: yauzl.ZipFile, entries: yauzl.Entry[], buffer: Buffer): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let expected = 0;
  for (const entry of sorted) {
    if (entry.relativeOffsetOfLocalHeader !== expected) throw problem('validation_failed', 'upload.corrupt');
    let header: yauzl.LocalFileHeader;
    try {
      header = await zip.readLocalFileHeaderPromise(entry);
    } catch {
      throw problem('validation_failed', 'upload.corrupt');
    }
    const hasDescriptor = (header.generalPurposeBitFlag & 0x8) !== 0;
    if (header.compressionMethod !== entry.compressionMethod) throw problem('validation_failed', 'upload.corrupt');
    if (!hasDescriptor) {
      // zip64 entries carry 0xffffffff here and the real sizes in an extra field.
      const sizesAgree = (header.compressedSize === entry.compressedSize || header.compressedSize === 0xffffffff) && (header.uncompressedSize === entry.uncompressedSize || header.uncompressedSize === 0xffffffff);
      if (!sizesAgree) throw problem('validation_failed', 'upload.corrupt');
    }
    let end = header.fileDataStart + entry.compressedSize;
    if (hasDescriptor) end += descriptorLength(buffer, end, entry);
    expected = end;
  }
  const cdOffset = centralDirectoryOffset(buffer);
  if (cdOffset === null || expected !== cdOffset) throw problem('validation_failed', 'upload.corrupt');
}

/** A data descriptor: optional signature, crc32, then 4- or 8-byte sizes. */
function descriptorLength(buffer: Buffer, at: number, entry: yauzl.Entry): number {
  const signed = at + 4 <= buffer.length && buffer.readUInt32LE(at) === DATA_DESCRIPTOR_SIG;
  const base = signed ? 4 : 0;
  const fits = (len: number) => at + base + len <= buffer.length;
  // crc32 + 32-bit sizes, or crc32 + 64-bit sizes (zip64): pick the one whose fields match the entry.
  if (fits(12) && buffer.readUInt32LE(at + base + 4) === entry.compressedSize && buffer.readUInt32LE(at + base + 8) === entry.uncompressedSize) return base + 12;
  if (fits(20) && Number(buffer.readBigUInt64LE(at + base + 4)) === entry.compressedSize && Number(buffer.readBigUInt64LE(at + base + 12)) === entry.uncompressedSize) return base + 20;
  throw problem('validation_failed', 'upload.corrupt');
}

/** Where the central directory starts (zip64 aware), from the end-of-central-directory record. */
function centralDirectoryOffset(buffer: Buffer): number | null {
  const min = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= min; i--) {
    if (buffer.readUInt32LE(i) !== 0x06054b50) continue;
    const offset = buffer.readUInt32LE(i + 16);
    if (offset !== 0xffffffff) return offset;
    // zip64: the locator sits right before the EOCD and points at the zip64 EOCD record.
    const loc = i - 20;
    if (loc < 0 || buffer.readUInt32LE(loc) !== 0x07064b50) return null;
    const z64 = Number(buffer.readBigUInt64LE(loc + 8));
    if (z64 + 56 > buffer.length || buffer.readUInt32LE(z64) !== 0x06064b50) return null;
    return Number(buffer.readBigUInt64LE(z64 + 48));
  }
  return null;
}
