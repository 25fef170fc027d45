import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, signInAs } from '../../test/harness.ts';
import { contentDisposition } from './files.routes.ts';
import { cleanFileName } from '../../lib/file-names.ts';
import { cfbType } from './files.sniff.ts';
import { blobPath, stageBuffer, sweepIncoming } from './files.storage.ts';
import {
  auditOf,
  compoundFile,
  contentTypesXml,
  docx,
  docxBomb,
  docxWithTooManyEntries,
  fileRow,
  jpegWithGps,
  makeProject,
  MINIMAL_PDF,
  png,
  upload,
  uploadParts,
  zip,
} from './files.testkit.ts';

interface FileBody {
  id: string;
  originalName: string;
  mime: string;
  kind: 'image' | 'document';
  size: number;
  uploadedBy: { id: string; displayName: string } | null;
  createdAt: string;
  can: { delete: boolean };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fieldMessage = (res: { json(): unknown }) => (res.json() as { error: { fields: { path: string; message: string }[] } }).error.fields.find((f) => f.path === 'file')?.message;
const dataDir = async () => (await getHarness()).services.config.dataDir;

// Starting the shared app (database, migrations) counts against the hook timeout, not the first test's.
beforeAll(async () => {
  await getHarness();
});

describe('files: upload, sniff, clean copy, download', () => {
  it('keeps a JPEG with its EXIF for the zone staff and gives outsiders a clean copy without it', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const hq = await signIn(zone, 'hq.cuizhai');
    const jpeg = await jpegWithGps();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();

    const res = await upload(hq, `/api/projects/${projectId}/files`, '现场照片 (1).jpg', jpeg, 'text/plain');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json() as FileBody;
    expect(file).toMatchObject({ originalName: '现场照片 (1).jpg', mime: 'image/jpeg', kind: 'image', size: jpeg.length, can: { delete: true } });
    expect(file.uploadedBy?.id).toBe(zone.users['hq.cuizhai']);

    // On disk: the original as uploaded, and the clean copy named by clean_id, both under <dataDir>/files/<zone>/.
    const row = (await fileRow(zone.zoneId, file.id))!;
    expect(row).toMatchObject({ ownerType: 'project', ownerId: projectId, sha256: sha256(jpeg) });
    expect(row.cleanId).toBeTruthy();
    const dir = await dataDir();
    expect(fs.readFileSync(blobPath(dir, zone.zoneId, file.id)).equals(jpeg)).toBe(true);
    const clean = fs.readFileSync(blobPath(dir, zone.zoneId, row.cleanId!));
    const cleanMeta = await sharp(clean).metadata();
    expect(cleanMeta.exif).toBeUndefined();
    expect(cleanMeta.xmp).toBeUndefined();
    expect(cleanMeta.orientation).toBeUndefined();
    expect([cleanMeta.width, cleanMeta.height]).toEqual([48, 64]); // orientation 6 applied to the pixels
    expect(clean.includes(Buffer.from('QibuCam'))).toBe(false);

    // Zone staff (the HQ, the zone leader) get the original.
    const mine = await hq.get(`/api/files/${file.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.equals(jpeg)).toBe(true);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect(mine.headers['content-disposition']).toBe(
      `inline; filename="____ (1).jpg"; filename*=UTF-8''${encodeURIComponent('现场照片').replace(/\(/g, '%28')}%20%281%29.jpg`,
    );
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(mine.headers['content-length']).toBe(String(jpeg.length));
    const leader = await signIn(zone, 'leader');
    expect((await leader.get(`/api/files/${file.id}`)).rawPayload.equals(jpeg)).toBe(true);

    // The enterprise contact of the project's owner reads the project, but gets only the clean copy.
    const contact = await signIn(zone, 'ent.hydrogen');
    const theirs = await contact.get(`/api/files/${file.id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.headers['content-type']).toBe('image/jpeg');
    expect(theirs.rawPayload.equals(clean)).toBe(true);
    expect((await sharp(theirs.rawPayload).metadata()).exif).toBeUndefined();
    const list = await contact.get(`/api/projects/${projectId}/files`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: FileBody[] }).items).toEqual([{ ...file, can: { delete: false } }]);

    // Revalidation: the same blob answers 304.
    const etag = String(mine.headers.etag);
    expect((await hq.request({ method: 'GET', url: `/api/files/${file.id}`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    // Audited with the project, so the project's timeline finds it.
    const [audit] = await auditOf(zone.zoneId, 'file.upload');
    expect(audit).toMatchObject({ entityType: 'file', entityId: file.id, actorId: zone.users['hq.cuizhai'] });
    expect(audit!.after).toMatchObject({ projectId, ownerType: 'project', ownerId: projectId, originalName: '现场照片 (1).jpg', kind: 'image', sha256: sha256(jpeg) });
  });

  it('accepts PNG, PDF, docx, xlsx and doc by content, and serves documents as attachments', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const staff = await signIn(zone, 'staff.cuizhai');
    const url = `/api/projects/${projectId}/files`;

    const pngBytes = await png();
    const p = await upload(staff, url, 'chart.png', pngBytes);
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ mime: 'image/png', kind: 'image' });
    const pngRow = (await fileRow(zone.zoneId, (p.json() as FileBody).id))!;
    expect(pngRow.cleanId).toBeTruthy();
    expect((await sharp(blobPath(await dataDir(), zone.zoneId, pngRow.cleanId!)).metadata()).format).toBe('png');

    const pdf = await upload(staff, url, '可行性研究报告.pdf', MINIMAL_PDF, 'image/png');
    expect(pdf.statusCode, pdf.body).toBe(201);
    const pdfFile = pdf.json() as FileBody;
    expect(pdfFile).toMatchObject({ mime: 'application/pdf', kind: 'document', originalName: '可行性研究报告.pdf' });
    expect((await fileRow(zone.zoneId, pdfFile.id))!.cleanId).toBeNull();
    const got = await staff.get(`/api/files/${pdfFile.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe(MINIMAL_PDF);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="_______.pdf"; filename*=UTF-8''${encodeURIComponent('可行性研究报告.pdf')}`);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toContain("default-src 'none'");
    // Outsiders get documents as they are.
    expect((await (await signIn(zone, 'ent.hydrogen')).get(`/api/files/${pdfFile.id}`)).body).toBe(MINIMAL_PDF);

    const d = await upload(staff, url, '会议纪要.docx', docx());
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json()).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document' });

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('台账').addRow(['项目', '投资']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const x = await upload(staff, url, '台账.xlsx', xlsx);
    expect(x.statusCode, x.body).toBe(201);
    expect(x.json()).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document' });

    const doc = await upload(staff, url, '旧文件.doc', compoundFile('WordDocument'));
    expect(doc.statusCode, doc.body).toBe(201);
    expect(doc.json()).toMatchObject({ mime: 'application/msword', kind: 'document' });

    // A name without an extension is fine; the download name gets the type's.
    const bare = await upload(staff, url, 'scan', MINIMAL_PDF);
    expect(bare.statusCode).toBe(201);
    expect((await staff.get(`/api/files/${(bare.json() as FileBody).id}`)).headers['content-disposition']).toBe(`attachment; filename="scan.pdf"; filename*=UTF-8''scan.pdf`);

    const list = (await staff.get(url)).json() as { items: FileBody[] };
    expect(list.items.map((f) => f.originalName).sort()).toEqual(['chart.png', 'scan', '会议纪要.docx', '可行性研究报告.pdf', '台账.xlsx', '旧文件.doc'].sort());
    expect(list.items.every((f) => f.can.delete && f.uploadedBy?.displayName === '孙晓燕（演示）')).toBe(true);
  });

  it('refuses what the content says is not allowed, or a name that contradicts the content', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const hq = await signIn(zone, 'hq.cuizhai');
    const en = await signIn(zone, 'hqstaff.cuizhai', 'en');
    const url = `/api/projects/${projectId}/files`;

    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
    const a = await upload(hq, url, 'photo.jpg', exe, 'image/jpeg');
    expect(a.statusCode).toBe(400);
    expect(fieldMessage(a)).toBe('不支持此类文件（exe）。只能上传 JPEG、PNG、WebP、GIF 图片和 PDF、Word（doc/docx）、Excel（xls/xlsx）文档');

    const b = await upload(en, url, 'photo.jpg', 'just some text, not a picture\n', 'image/jpeg');
    expect(b.statusCode).toBe(400);
    expect(fieldMessage(b)).toMatch(/^The file type is not recognised/);

    const c = await upload(en, url, 'photo.jpg', await png(), 'image/jpeg');
    expect(c.statusCode).toBe(400);
    expect(fieldMessage(c)).toBe('The name ends in .jpg but the content is PNG; check the file and upload it again');
    const c2 = await upload(hq, url, 'report.docx', MINIMAL_PDF);
    expect(fieldMessage(c2)).toBe('文件名后缀为 .docx，但文件内容是 PDF，请确认文件后重新上传');

    const plainZip = await upload(en, url, 'archive.docx', zip([{ name: 'a.txt', data: 'hello' }]));
    expect(plainZip.statusCode).toBe(400);
    expect(fieldMessage(plainZip)).toMatch(/\(zip\) are not accepted/);
    const macro = await upload(en, url, 'm.docx', zip([{ name: '[Content_Types].xml', data: contentTypesXml('application/vnd.ms-word.document.macroEnabled.main+xml') }]));
    expect(macro.statusCode).toBe(400);
    const otherOle = await upload(en, url, 'x.doc', compoundFile('EncryptedPackage'));
    expect(fieldMessage(otherOle)).toMatch(/\(cfb\) are not accepted/);

    const empty = await upload(en, url, 'empty.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(fieldMessage(empty)).toBe('The file is empty');

    const broken = await upload(en, url, 'broken.png', (await png()).subarray(0, 60));
    expect(broken.statusCode).toBe(400);
    expect(fieldMessage(broken)).toBe('The image cannot be read (damaged or too large)');

    const noFile = await uploadParts(en, url, [{ name: 'note', data: 'no file here' }]);
    expect(noFile.statusCode).toBe(400);
    expect(fieldMessage(noFile)).toBe('Required');
    const wrongField = await uploadParts(en, url, [{ name: 'upload', filename: 'a.pdf', data: MINIMAL_PDF }]);
    expect(wrongField.statusCode).toBe(400);

    const json = await en.post(url, { file: 'x' });
    expect(json.statusCode).toBe(415);

    expect(((await hq.get(url)).json() as { items: unknown[] }).items).toEqual([]);
    // Nothing half-written is left behind.
    const incoming = `${await dataDir()}/.uploads`;
    expect(fs.existsSync(incoming) ? fs.readdirSync(incoming) : []).toEqual([]);
    expect(fs.existsSync(`${await dataDir()}/files/${zone.zoneId}`) ? fs.readdirSync(`${await dataDir()}/files/${zone.zoneId}`) : []).toEqual([]);
  });

  it('answers 413 with a clear message for a file over 20 MB or a second file, and refuses zip bombs', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const hq = await signIn(zone, 'hq.cuizhai');
    const url = `/api/projects/${projectId}/files`;

    const big = Buffer.concat([Buffer.from(MINIMAL_PDF), Buffer.alloc(20 * 1024 * 1024 + 1 - MINIMAL_PDF.length)]);
    const tooBig = await upload(hq, url, 'big.pdf', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ error: { code: 'payload_too_large', message: '上传内容过大' } });
    expect(fieldMessage(tooBig)).toBe('文件超过20 MB，请压缩或拆分后再上传');
    // Exactly the limit is fine.
    const atLimit = await upload(hq, url, 'limit.pdf', big.subarray(0, 20 * 1024 * 1024));
    expect(atLimit.statusCode, atLimit.body).toBe(201);

    const two = await uploadParts(hq, url, [
      { name: 'file', filename: 'a.pdf', data: MINIMAL_PDF },
      { name: 'file', filename: 'b.pdf', data: MINIMAL_PDF },
    ]);
    expect(two.statusCode).toBe(413);
    expect(fieldMessage(two)).toBe('一次只能上传一个文件');

    const many = await upload(hq, url, 'many.docx', docxWithTooManyEntries());
    expect(many.statusCode).toBe(400);
    expect(fieldMessage(many)).toBe('文档内部包含超过2000个文件，疑似压缩炸弹，已拒绝');

    const bomb = docxBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const boom = await upload(hq, url, 'bomb.docx', bomb);
    expect(boom.statusCode).toBe(400);
    expect(fieldMessage(boom)).toBe('文档解压后超过200 MB，疑似压缩炸弹，已拒绝');

    expect(((await hq.get(url)).json() as { items: FileBody[] }).items.map((f) => f.originalName)).toEqual(['limit.pdf']);
  });
});

describe('files: who may see and change them', () => {
  it('answers 404 outside the caller scope and 403 to readers who may not change', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const url = `/api/projects/${projectId}/files`;
    const hq = await signIn(zone, 'hq.cuizhai');
    const fileId = ((await upload(hq, url, 'a.pdf', MINIMAL_PDF)).json() as FileBody).id;

    // Another HQ, unit staff of another unit: the project does not exist for them.
    for (const username of ['hq.fuzhongxin', 'staff.daqiao']) {
      const other = await signIn(zone, username);
      expect((await upload(other, url, 'b.pdf', MINIMAL_PDF)).statusCode, username).toBe(404);
      expect((await other.get(url)).statusCode, username).toBe(404);
      expect((await other.get(`/api/files/${fileId}`)).statusCode, username).toBe(404);
      expect((await other.delete(`/api/files/${fileId}`)).statusCode, username).toBe(404);
    }
    // An enterprise contact sees only its own company's projects.
    const foreignProject = await makeProject(zone, { enterpriseId: zone.enterprises.nev });
    const contact = await signIn(zone, 'ent.hydrogen');
    expect((await contact.get(`/api/projects/${foreignProject}/files`)).statusCode).toBe(404);

    // Readers who may not change the project: 403, audited.
    const leader = await signIn(zone, 'leader');
    expect((await leader.get(url)).statusCode).toBe(200);
    expect((await upload(leader, url, 'c.pdf', MINIMAL_PDF)).statusCode).toBe(403); // route: not a project writer role
    const agent = await signIn(zone, 'agent.approval');
    expect((await agent.get(`/api/files/${fileId}`)).statusCode).toBe(200);
    expect((await agent.delete(`/api/files/${fileId}`)).statusCode).toBe(403);
    expect((await contact.delete(`/api/files/${fileId}`)).statusCode).toBe(403);
    const denials = await auditOf(zone.zoneId, 'access.denied');
    expect(denials.filter((d) => d.entityType === 'project' && d.entityId === projectId && (d.after as { action?: string }).action === 'file.delete')).toHaveLength(2);

    // The three admins never reach business files.
    const sysAdmin = await signInAs(zone, 'sys_admin');
    expect((await sysAdmin.get(`/api/files/${fileId}`)).statusCode).toBe(403);
    expect((await sysAdmin.get(url)).statusCode).toBe(403);
  });

  it("never shows another zone's files", async () => {
    const zone = await createZone();
    const other = await createZone();
    const theirProject = await makeProject(other);
    const theirHq = await signIn(other, 'hq.cuizhai');
    const theirFile = ((await upload(theirHq, `/api/projects/${theirProject}/files`, 'x.pdf', MINIMAL_PDF)).json() as FileBody).id;

    for (const username of ['leader', 'hq.cuizhai', 'staff.cuizhai', 'agent.approval']) {
      const client = await signIn(zone, username);
      expect((await client.get(`/api/files/${theirFile}`)).statusCode, username).toBe(404);
      expect((await client.get(`/api/projects/${theirProject}/files`)).statusCode, username).toBe(404);
      expect((await client.delete(`/api/files/${theirFile}`)).statusCode, username).toBe(404);
      if (username.includes('cuizhai')) {
        expect((await upload(client, `/api/projects/${theirProject}/files`, 'y.pdf', MINIMAL_PDF)).statusCode, username).toBe(404);
      }
    }
    expect((await theirHq.get(`/api/files/${theirFile}`)).statusCode).toBe(200);
  });

  it('deletes a file with its clean copy, audited with the project', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const staff = await signIn(zone, 'staff.cuizhai');
    const file = (await upload(staff, `/api/projects/${projectId}/files`, 'site.jpg', await jpegWithGps())).json() as FileBody;
    const row = (await fileRow(zone.zoneId, file.id))!;
    const dir = await dataDir();

    const hq = await signIn(zone, 'hq.cuizhai');
    const res = await hq.delete(`/api/files/${file.id}?version=1`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(await fileRow(zone.zoneId, file.id)).toBeUndefined();
    expect(fs.existsSync(blobPath(dir, zone.zoneId, file.id))).toBe(false);
    expect(fs.existsSync(blobPath(dir, zone.zoneId, row.cleanId!))).toBe(false);
    expect((await hq.get(`/api/files/${file.id}`)).statusCode).toBe(404);
    expect((await hq.delete(`/api/files/${file.id}`)).statusCode).toBe(404);

    const [audit] = await auditOf(zone.zoneId, 'file.delete');
    expect(audit).toMatchObject({ entityType: 'file', entityId: file.id, actorId: zone.users['hq.cuizhai'], result: 'ok' });
    expect(audit!.before).toMatchObject({ projectId, originalName: 'site.jpg', kind: 'image' });
    expect(audit!.after).toMatchObject({ projectId, ownerType: 'project', ownerId: projectId, deleted: true });
  });
});

describe('files: helpers', () => {
  it('documents the file routes', async () => {
    const { app } = await getHarness();
    const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { tags?: string[]; summary?: string }>> };
    for (const [path, methods] of [
      ['/api/projects/{id}/files', ['post', 'get']],
      ['/api/files/{id}', ['get', 'delete']],
    ] as const) {
      for (const method of methods) {
        expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['files']);
        expect(doc.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
      }
    }
  });

  it('writes Content-Disposition with an ASCII fallback and the RFC 5987 name', () => {
    expect(contentDisposition('attachment', 'report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('inline', '照片 "1";.jpg')).toBe(`inline; filename="__ _1__.jpg"; filename*=UTF-8''%E7%85%A7%E7%89%87%20%221%22%3B.jpg`);
    expect(contentDisposition('attachment', "it's (v2)*.pdf")).toBe(`attachment; filename="it's (v2)*.pdf"; filename*=UTF-8''it%27s%20%28v2%29%2A.pdf`);
  });

  it('keeps only a harmless base name', () => {
    expect(cleanFileName('C:\\fakepath\\现场.jpg')).toBe('现场.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(cleanFileName('a\r\nb.pdf')).toBe('ab.pdf');
    expect(cleanFileName('..')).toBe('file');
    expect(cleanFileName('')).toBe('file');
    const long = cleanFileName(`${'长'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });

  it('sweeps staged files a crashed process left behind, and only old ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-files-'));
    try {
      const old = await stageBuffer(dir, Buffer.from('old'));
      const fresh = await stageBuffer(dir, Buffer.from('fresh'));
      const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
      fs.utimesSync(old.path, dayAgo, dayAgo);
      expect(await sweepIncoming(dir)).toBe(1);
      expect(fs.existsSync(old.path)).toBe(false);
      expect(fs.existsSync(fresh.path)).toBe(true);
      expect(fresh.sha256).toBe(sha256(Buffer.from('fresh')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells doc from xls by the compound file streams', () => {
    expect(cfbType(compoundFile('WordDocument'))).toEqual({ type: 'doc', actual: 'doc' });
    expect(cfbType(compoundFile('Workbook'))).toEqual({ type: 'xls', actual: 'xls' });
    expect(cfbType(compoundFile('Book'))).toEqual({ type: 'xls', actual: 'xls' });
    expect(cfbType(compoundFile('PowerPoint Document'))).toEqual({ type: null, actual: 'cfb' });
    expect(() => cfbType(compoundFile('WordDocument').subarray(0, 600))).toThrow();
  });
});

describe('files of a deleted project', () => {
  it('go with the project: rows in its transaction, bytes after', async () => {
    const zone = await createZone();
    const { services } = await getHarness();
    const projectId = await makeProject(zone);
    const hq = await signIn(zone, 'hq.cuizhai');
    const up = await upload(hq, `/api/projects/${projectId}/files`, 'a.png', await png(), 'image/png');
    expect(up.statusCode).toBe(201);
    const fileId = (up.json() as FileBody).id;
    expect(fs.existsSync(blobPath(services.config.dataDir, zone.zoneId, fileId))).toBe(true);
    const del = await hq.delete(`/api/projects/${projectId}?version=1`);
    expect(del.statusCode).toBe(200);
    expect(await fileRow(zone.zoneId, fileId)).toBeUndefined();
    expect(fs.existsSync(blobPath(services.config.dataDir, zone.zoneId, fileId))).toBe(false);
  });
});
