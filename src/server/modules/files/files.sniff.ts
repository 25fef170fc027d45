import fsp from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';
import yauzl from 'yauzl';
import { AppError, fieldError } from '../../errors.ts';

/**
 * What a file is, decided by its CONTENT. The name the uploader gave never decides; it is only checked not to
 * contradict the content (a PNG called photo.jpg, a program called photo.jpg are refused). Office formats:
 * docx/xlsx are zip packages, recognised by their [Content_Types].xml after the zip's central directory passed the
 * bomb limits; doc/xls are OLE compound files, recognised by their WordDocument / Workbook stream.
 */

export type FileKind = 'image' | 'document';
export type FileType = 'jpeg' | 'png' | 'webp' | 'gif' | 'pdf' | 'docx' | 'xlsx' | 'doc' | 'xls';

interface TypeInfo {
  mime: string;
  kind: FileKind;
  /** Extensions a name may end in for this content; the first is added to a download name that has none. */
  extensions: string[];
  /** How messages name the type (the same in both languages). */
  label: string;
}

export const FILE_TYPES: Record<FileType, TypeInfo> = {
  jpeg: { mime: 'image/jpeg', kind: 'image', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], label: 'JPEG' },
  png: { mime: 'image/png', kind: 'image', extensions: ['png'], label: 'PNG' },
  webp: { mime: 'image/webp', kind: 'image', extensions: ['webp'], label: 'WebP' },
  gif: { mime: 'image/gif', kind: 'image', extensions: ['gif'], label: 'GIF' },
  pdf: { mime: 'application/pdf', kind: 'document', extensions: ['pdf'], label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document', extensions: ['docx'], label: 'Word (.docx)' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document', extensions: ['xlsx'], label: 'Excel (.xlsx)' },
  doc: { mime: 'application/msword', kind: 'document', extensions: ['doc'], label: 'Word (.doc)' },
  xls: { mime: 'application/vnd.ms-excel', kind: 'document', extensions: ['xls'], label: 'Excel (.xls)' },
};

/** Decompression-bomb limits for zip-based documents, read from the central directory before anything inflates. */
export const ZIP_LIMITS = {
  maxEntries: 2000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** [Content_Types].xml is the only entry ever inflated here. */
  maxContentTypesBytes: 1024 * 1024,
};

export interface Sniffed {
  type: FileType;
  mime: string;
  kind: FileKind;
}

const OOXML_MAIN: Record<string, FileType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
};

const HEAD_BYTES = 4100;

async function readHead(filePath: string): Promise<Buffer> {
  const handle = await fsp.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The extension of an uploader's file name, lower case, or null when it has none. */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

/**
 * Sniffs the file at `filePath` and checks it against the name it was uploaded under. Throws a 400 on field `file`
 * for anything not allowed, a contradicting name, a damaged document or a zip past the bomb limits.
 */
export async function sniffFile(filePath: string, originalName: string): Promise<Sniffed> {
  const head = await readHead(filePath);
  let type: FileType | null;
  let actual: string | null;
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
    ({ type, actual } = await inspectOoxml(filePath));
  } else if (head.subarray(0, 8).equals(CFB_MAGIC)) {
    ({ type, actual } = cfbType(await fsp.readFile(filePath)));
  } else {
    const found = await fileTypeFromBuffer(head);
    actual = found?.ext ?? null;
    type = fromFileTypeExt(found?.ext);
  }
  if (!type) {
    if (actual === null) throw fieldError('file', 'file.type_unknown');
    throw fieldError('file', 'file.type_not_allowed', { actual });
  }
  const info = FILE_TYPES[type];
  const ext = extensionOf(originalName);
  if (ext !== null && !info.extensions.includes(ext)) throw fieldError('file', 'file.type_mismatch', { ext, actual: info.label });
  return { type, mime: info.mime, kind: info.kind };
}

function fromFileTypeExt(ext: string | undefined): FileType | null {
  switch (ext) {
    case 'jpg':
      return 'jpeg';
    case 'png':
    case 'apng':
      return 'png';
    case 'webp':
      return 'webp';
    case 'gif':
      return 'gif';
    case 'pdf':
      return 'pdf';
    default:
      return null;
  }
}

function corrupt(cause?: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError('validation_failed', { fields: [{ path: 'file', key: 'file.corrupt' }], cause });
}

/**
 * A zip package: refuses bombs from the central directory alone (entry count, declared uncompressed total), then
 * reads [Content_Types].xml (size-checked; yauzl stops a stream that inflates past its declared size) to tell a
 * Word document from a workbook. Anything else zipped (plain zip, macro-enabled docm/xlsm, templates) is no type.
 */
export async function inspectOoxml(filePath: string): Promise<{ type: FileType | null; actual: string }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw corrupt(err);
  }
  try {
    if (zip.entryCount > ZIP_LIMITS.maxEntries) throw fieldError('file', 'file.zip_too_many_entries', { max: ZIP_LIMITS.maxEntries });
    const entries = await readCentralDirectory(zip);
    const contentTypes = entries.find((e) => e.fileName === '[Content_Types].xml');
    if (!contentTypes || contentTypes.uncompressedSize > ZIP_LIMITS.maxContentTypesBytes) return { type: null, actual: 'zip' };
    const xml = await readEntry(zip, contentTypes);
    for (const [contentType, type] of Object.entries(OOXML_MAIN)) {
      if (xml.includes(`ContentType="${contentType}"`)) return { type, actual: type };
    }
    return { type: null, actual: 'zip' };
  } finally {
    zip.close();
  }
}

function readCentralDirectory(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    let total = 0;
    const fail = (err: unknown) => {
      zip.removeAllListeners('entry');
      zip.removeAllListeners('end');
      reject(err);
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      // Counted again while walking: the count in the end record is what yauzl walks, but never trust one number.
      if (entries.length + 1 > ZIP_LIMITS.maxEntries) return fail(fieldError('file', 'file.zip_too_many_entries', { max: ZIP_LIMITS.maxEntries }));
      if (total > ZIP_LIMITS.maxUncompressedBytes) return fail(fieldError('file', 'file.zip_too_large', { max: `${ZIP_LIMITS.maxUncompressedBytes / 1024 / 1024} MB` }));
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: unknown) => fail(corrupt(err)));
    zip.readEntry();
  });
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > ZIP_LIMITS.maxContentTypesBytes) {
        stream.destroy();
        throw new Error('[Content_Types].xml larger than declared');
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    throw corrupt(err);
  }
}

const FREE_OR_END = 0xfffffffa; // sector numbers at or above this are markers (free, end of chain, FAT, DIFAT)

/**
 * An OLE compound file (CFB, the pre-2007 Office container): the names of its streams, read by walking the
 * directory chain through the FAT. Returns null for a file that is not a well-formed CFB.
 */
export function cfbStreamNames(buf: Buffer): string[] | null {
  if (buf.length < 512 || !buf.subarray(0, 8).equals(CFB_MAGIC)) return null;
  const shift = buf.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor((buf.length - sectorSize) / sectorSize);
  const offsetOf = (sector: number) => (sector + 1) * sectorSize;
  const inFile = (sector: number) => sector < sectorCount;

  const fatSectorCount = buf.readUInt32LE(0x2c);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatSectorCount; i++) {
    const sector = buf.readUInt32LE(0x4c + i * 4);
    if (sector >= FREE_OR_END) break;
    fatSectors.push(sector);
  }
  let difat = buf.readUInt32LE(0x44);
  for (let guard = 0; difat < FREE_OR_END && fatSectors.length < fatSectorCount; guard++) {
    if (guard > sectorCount || !inFile(difat)) return null;
    const base = offsetOf(difat);
    for (let i = 0; i < sectorSize / 4 - 1 && fatSectors.length < fatSectorCount; i++) fatSectors.push(buf.readUInt32LE(base + i * 4));
    difat = buf.readUInt32LE(base + sectorSize - 4);
  }

  const perFatSector = sectorSize / 4;
  const next = (sector: number): number => {
    const fatSector = fatSectors[Math.floor(sector / perFatSector)];
    if (fatSector === undefined || !inFile(fatSector)) return 0xfffffffe;
    return buf.readUInt32LE(offsetOf(fatSector) + (sector % perFatSector) * 4);
  };

  const names: string[] = [];
  let sector = buf.readUInt32LE(0x30);
  for (let guard = 0; sector < FREE_OR_END; guard++) {
    if (guard > sectorCount || !inFile(sector)) return null;
    const base = offsetOf(sector);
    for (let e = 0; e < sectorSize / 128; e++) {
      const entry = base + e * 128;
      const nameBytes = buf.readUInt16LE(entry + 0x40);
      const objectType = buf[entry + 0x42];
      if (objectType === 2 && nameBytes >= 2 && nameBytes <= 64) names.push(buf.toString('utf16le', entry, entry + nameBytes - 2));
    }
    sector = next(sector);
  }
  return names;
}

/** doc (a WordDocument stream) or xls (Workbook, or Book for the older BIFF5); other compound files are no type. */
export function cfbType(buf: Buffer): { type: FileType | null; actual: string } {
  const names = cfbStreamNames(buf);
  if (!names) throw corrupt();
  if (names.includes('WordDocument')) return { type: 'doc', actual: 'doc' };
  if (names.includes('Workbook') || names.includes('Book')) return { type: 'xls', actual: 'xls' };
  return { type: null, actual: 'cfb' };
}
