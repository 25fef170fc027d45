import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { and, asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { auditLog } from '../../audit/audit.schema.ts';
import { getHarness, type Client, type TestZone } from '../../test/harness.ts';
import { projects } from '../projects/projects.schema.ts';
import { storedFiles } from './files.schema.ts';

/** Test helpers of the files module (not a test file itself): multipart bodies, sample files of every kind. */

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body built by hand, with its boundary. */
export function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----qibu${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(client: Client, url: string, filename: string, data: Buffer | string, contentType = 'application/octet-stream'): Promise<LightMyRequestResponse> {
  return uploadParts(client, url, [{ name: 'file', filename, contentType, data }]);
}

export function uploadParts(client: Client, url: string, parts: Part[]): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipartBody(parts);
  return client.request({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
}

/** A project led by 崔寨街道 under 崔寨片区建设指挥部, owned by the hydrogen enterprise (direct insert). */
export async function makeProject(zone: TestZone, overrides: Partial<typeof projects.$inferInsert> = {}): Promise<string> {
  const { services } = await getHarness();
  const [row] = await services.db
    .insert(projects)
    .values({
      zoneId: zone.zoneId,
      code: `F-${randomBytes(4).toString('hex')}`,
      name: '文件测试项目',
      totalInvestment: '1.00',
      commandId: zone.commands.cuizhai,
      leadUnitId: zone.units.cuizhai,
      enterpriseId: zone.enterprises.hydrogen,
      ...overrides,
    })
    .returning({ id: projects.id });
  return row!.id;
}

export async function fileRow(zoneId: string, id: string) {
  const { services } = await getHarness();
  const [row] = await services.db
    .select()
    .from(storedFiles)
    .where(and(eq(storedFiles.zoneId, zoneId), eq(storedFiles.id, id)));
  return row;
}

export async function auditOf(zoneId: string, action: string) {
  const { services } = await getHarness();
  return services.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.at));
}

/** A JPEG with EXIF (camera make, GPS position) and orientation 6 (shown rotated a quarter turn). */
export function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#33aa77' } })
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: 'QibuCam', Copyright: 'qibu test' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 50/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '117/1 0/1 0/1' },
      },
    })
    .toBuffer();
}

export function png(): Promise<Buffer> {
  return sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

export const MINIMAL_PDF = [
  '%PDF-1.4',
  '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj',
  '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj',
  'trailer<</Root 1 0 R>>',
  '%%EOF',
  '',
].join('\n');

interface ZipEntry {
  name: string;
  data: Buffer | string;
  /** Write deflated (8) or stored (0). */
  method?: 0 | 8;
  /** Override the uncompressed size and crc written in the headers (for entries whose data is supplied deflated). */
  raw?: { deflated: Buffer; size: number; crc: number };
}

/** A zip written by hand (local headers, central directory, end record). */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const method = e.raw ? 8 : (e.method ?? 8);
    const body = e.raw ? e.raw.deflated : method === 8 ? zlib.deflateRawSync(data) : data;
    const size = e.raw ? e.raw.size : data.length;
    const crc = e.raw ? e.raw.crc : zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const WORD_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

export function contentTypesXml(main: string = WORD_MAIN, part = '/word/document.xml'): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="${part}" ContentType="${main}"/>` +
    '</Types>'
  );
}

/** A minimal Word document (the three parts Word needs). */
export function docx(): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: contentTypesXml() },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        '<w:body><w:p><w:r><w:t>起步区项目资料</w:t></w:r></w:p></w:body></w:document>',
    },
  ]);
}

/** A docx-looking package holding 2001 entries (past the 2000-entry limit). */
export function docxWithTooManyEntries(): Buffer {
  const entries: ZipEntry[] = [{ name: '[Content_Types].xml', data: contentTypesXml() }];
  for (let i = 0; i < 2000; i++) entries.push({ name: `word/media/p${i}.xml`, data: '<x/>', method: 0 });
  return zip(entries);
}

/** A real decompression bomb shaped as a docx: ten parts of 21 MB of zeros each, about 200 KB zipped. */
export function docxBomb(): Buffer {
  const size = 21 * 1024 * 1024;
  const zeros = Buffer.alloc(size);
  const raw = { deflated: zlib.deflateRawSync(zeros, { level: 9 }), size, crc: zlib.crc32(zeros) };
  const entries: ZipEntry[] = [{ name: '[Content_Types].xml', data: contentTypesXml() }];
  for (let i = 0; i < 10; i++) entries.push({ name: `word/media/zeros${i}.bin`, data: '', raw });
  return zip(entries);
}

/**
 * A minimal OLE compound file (header, one FAT sector, one directory sector) whose directory lists a root entry and
 * one stream named `streamName` — "WordDocument" makes it a .doc, "Workbook" a .xls.
 */
export function compoundFile(streamName: string): Buffer {
  const sector = 512;
  const buf = Buffer.alloc(sector * 3, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  buf.writeUInt16LE(0x3e, 0x18); // minor version
  buf.writeUInt16LE(3, 0x1a); // major version 3: 512-byte sectors
  buf.writeUInt16LE(0xfffe, 0x1c); // byte order
  buf.writeUInt16LE(9, 0x1e); // sector shift
  buf.writeUInt16LE(6, 0x20); // mini sector shift
  buf.writeUInt32LE(1, 0x2c); // FAT sectors
  buf.writeUInt32LE(1, 0x30); // first directory sector
  buf.writeUInt32LE(0x1000, 0x38); // mini stream cutoff
  buf.writeUInt32LE(0xfffffffe, 0x3c); // no mini FAT
  buf.writeUInt32LE(0xfffffffe, 0x44); // no DIFAT sectors
  for (let i = 0; i < 109; i++) buf.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  // FAT (sector 0): itself, then the directory's one-sector chain.
  const fat = sector;
  for (let i = 0; i < 128; i++) buf.writeUInt32LE(0xffffffff, fat + i * 4);
  buf.writeUInt32LE(0xfffffffd, fat);
  buf.writeUInt32LE(0xfffffffe, fat + 4);
  // Directory (sector 1): root entry, then the stream.
  const dir = sector * 2;
  const entry = (at: number, name: string, type: number) => {
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(buf, at);
    buf.writeUInt16LE(n.length, at + 0x40);
    buf[at + 0x42] = type;
    buf.writeUInt32LE(0xffffffff, at + 0x44);
    buf.writeUInt32LE(0xffffffff, at + 0x48);
    buf.writeUInt32LE(0xffffffff, at + 0x4c);
  };
  entry(dir, 'Root Entry', 5);
  buf.writeUInt32LE(1, dir + 0x4c); // root's child: the stream
  entry(dir + 128, streamName, 2);
  for (let e = 2; e < 4; e++) buf.writeUInt32LE(0xffffffff, dir + e * 128 + 0x4c);
  return buf;
}
