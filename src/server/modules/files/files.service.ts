import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { audit, auditEvent } from '../../lib/audited.ts';
import { cleanFileName } from '../../lib/file-names.ts';
import { users } from '../users/users.schema.ts';
import { cleanImage, isImageType } from './files.images.ts';
import { resolveFileOwner, seesOriginalImages, type FileOwnerAccess } from './files.owners.ts';
import { storedFiles } from './files.schema.ts';
import { extensionOf, FILE_TYPES, sniffFile, type FileKind, type FileType } from './files.sniff.ts';
import { commit, discard, openBlob, removeBlob, stageBuffer, type Staged } from './files.storage.ts';

/**
 * The one upload path (docs/api-projects.md "Files"). An upload is checked by content (files.sniff.ts), images
 * get a clean copy without metadata (files.images.ts), the bytes go to <dataDir>/files/<zone>/<id>
 * (files.storage.ts), and the row and its audit entry are written in one transaction.
 *
 * Clean copy design: the re-encoded image is a second blob in the same zone directory, named by the original
 * row's `clean_id`. It has no row of its own (so owner lists never show it twice) and lives and dies with the
 * original: written before the row, deleted with it. Documents have no clean copy (`clean_id` null).
 */

export const FILE_MAX_BYTES = 20 * 1024 * 1024;
export const FILE_MAX_LABEL = '20 MB';

export type FileRow = typeof storedFiles.$inferSelect;

export interface FileView {
  id: string;
  originalName: string;
  mime: string;
  kind: FileKind;
  size: number;
  uploadedBy: { id: string; displayName: string } | null;
  createdAt: string;
  can: { delete: boolean };
}

export interface OwnerRef {
  type: string;
  id: string;
}

/** What an upload route received: the staged bytes and the name the uploader's system gave them. */
export interface ReceivedFile {
  staged: Staged;
  filename: string;
}

/** A record the caller may see but not change: the refusal is audited and answered 403. */
async function deny(s: AppServices, caller: Caller, owner: OwnerRef, action: string): Promise<AppError> {
  await auditEvent(s, caller, { action: 'access.denied', entityType: owner.type, entityId: owner.id, result: 'denied', after: { action } });
  return forbidden();
}

/**
 * Checks, before a byte of the body is read, that the caller may add files to the owner: 404 when they may not
 * see it, 403 (audited) when they may see but not change it.
 */
export async function authorizeUpload(s: AppServices, caller: Caller, owner: OwnerRef): Promise<FileOwnerAccess> {
  const access = await resolveFileOwner(s, caller, owner.type, owner.id);
  if (!access.canWrite) throw await deny(s, caller, owner, 'file.upload');
  return access;
}

/**
 * Keeps a received upload: sniff, clean copy for images, bytes into place, row and audit in one transaction. The
 * staged bytes are always consumed (moved into place or deleted), whatever happens.
 */
export async function storeUpload(s: AppServices, caller: Caller, owner: OwnerRef, access: FileOwnerAccess, received: ReceivedFile): Promise<FileView> {
  const { dataDir } = s.config;
  const { staged } = received;
  let clean: Staged | null = null;
  const id = randomUUID();
  let cleanId: string | null = null;
  const committed: string[] = [];
  try {
    if (staged.size === 0) throw new AppError('validation_failed', { fields: [{ path: 'file', key: 'file.empty' }] });
    if (staged.size > FILE_MAX_BYTES) throw tooLarge();
    const originalName = cleanFileName(received.filename);
    const sniffed = await sniffFile(staged.path, originalName);
    if (isImageType(sniffed.type)) {
      clean = await stageBuffer(dataDir, await cleanImage(staged.path, sniffed.type));
      cleanId = randomUUID();
    }

    // Bytes first, then the row: a crash in between leaves an unreferenced blob, never a row without bytes.
    await commit(dataDir, staged, caller.zoneId, id);
    committed.push(id);
    if (clean && cleanId) {
      await commit(dataDir, clean, caller.zoneId, cleanId);
      committed.push(cleanId);
    }

    const row = await s.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(storedFiles)
        .values({
          id,
          zoneId: caller.zoneId,
          ownerType: owner.type,
          ownerId: owner.id,
          originalName,
          mime: sniffed.mime,
          kind: sniffed.kind,
          size: staged.size,
          sha256: staged.sha256,
          cleanId,
          uploadedBy: caller.userId,
        })
        .returning();
      await audit(tx, s, caller, { action: 'file.upload', entityType: 'file', entityId: id, after: auditState(inserted!, owner, access) });
      return inserted!;
    });
    return present(row, { id: caller.userId, displayName: caller.displayName }, access);
  } catch (err) {
    for (const blobId of committed) await removeBlob(dataDir, caller.zoneId, blobId).catch(() => {});
    throw err;
  } finally {
    await discard(staged).catch(() => {});
    await discard(clean).catch(() => {});
  }
}

export function tooLarge(): AppError {
  return new AppError('payload_too_large', { fields: [{ path: 'file', key: 'file.too_large', params: { max: FILE_MAX_LABEL } }] });
}

function auditState(row: FileRow, owner: OwnerRef, access: FileOwnerAccess) {
  return {
    ...access.auditRef,
    ownerType: owner.type,
    ownerId: owner.id,
    originalName: row.originalName,
    mime: row.mime,
    kind: row.kind,
    size: row.size,
    sha256: row.sha256,
    cleanId: row.cleanId,
  };
}

function present(row: FileRow, uploader: { id: string; displayName: string } | null, access: FileOwnerAccess): FileView {
  return {
    id: row.id,
    originalName: row.originalName,
    mime: row.mime,
    kind: row.kind as FileKind,
    size: row.size,
    uploadedBy: uploader,
    createdAt: row.createdAt.toISOString(),
    can: { delete: access.canWrite },
  };
}

/** The files of one owner the caller may read, newest first. */
export async function listFiles(s: AppServices, caller: Caller, owner: OwnerRef): Promise<FileView[]> {
  const access = await resolveFileOwner(s, caller, owner.type, owner.id);
  const rows = await s.db
    .select({ file: storedFiles, uploaderName: users.displayName })
    .from(storedFiles)
    .leftJoin(users, and(eq(users.zoneId, storedFiles.zoneId), eq(users.id, storedFiles.uploadedBy)))
    .where(and(eq(storedFiles.zoneId, caller.zoneId), eq(storedFiles.ownerType, owner.type), eq(storedFiles.ownerId, owner.id)))
    .orderBy(desc(storedFiles.createdAt), desc(storedFiles.id));
  return rows.map(({ file, uploaderName }) =>
    present(file, file.uploadedBy && uploaderName !== null ? { id: file.uploadedBy, displayName: uploaderName } : null, access),
  );
}

/** One file row of the caller's zone whose owner the caller may read, or 404. */
async function loadFile(s: AppServices, caller: Caller, id: string): Promise<{ row: FileRow; access: FileOwnerAccess }> {
  const [row] = await s.db
    .select()
    .from(storedFiles)
    .where(and(eq(storedFiles.zoneId, caller.zoneId), eq(storedFiles.id, id)));
  if (!row) throw notFound();
  const access = await resolveFileOwner(s, caller, row.ownerType, row.ownerId);
  return { row, access };
}

export interface FileDownload {
  row: FileRow;
  /** The blob served: the original's id, or its clean copy's. Never changes content, so it serves as the ETag. */
  blobId: string;
  /** The name to send, with the type's extension added when the uploader's name had none. */
  downloadName: string;
  inline: boolean;
  open(): Promise<{ stream: ReadStream; size: number }>;
}

/**
 * A file for download by a caller who may read its owner. Images reach people outside the zone's staff only as
 * the clean copy; when an image has none, they get nothing (404) rather than the original.
 */
export async function getFileDownload(s: AppServices, caller: Caller, id: string): Promise<FileDownload> {
  const { row } = await loadFile(s, caller, id);
  let blobId = row.id;
  if (row.kind === 'image' && !seesOriginalImages(caller)) {
    if (!row.cleanId) throw notFound();
    blobId = row.cleanId;
  }
  const type = (Object.keys(FILE_TYPES) as FileType[]).find((t) => FILE_TYPES[t].mime === row.mime);
  const hasExtension = extensionOf(row.originalName) !== null;
  const downloadName = hasExtension || !type ? row.originalName : `${row.originalName}.${FILE_TYPES[type].extensions[0]}`;
  return {
    row,
    blobId,
    downloadName,
    inline: row.kind === 'image',
    async open() {
      const blob = await openBlob(s.config.dataDir, caller.zoneId, blobId);
      if (!blob) throw notFound();
      return blob;
    },
  };
}

/** Deletes a file (writers of its owner only): row and audit in one transaction, then the bytes. */
export async function deleteFile(s: AppServices, caller: Caller, id: string): Promise<void> {
  const { row, access } = await loadFile(s, caller, id);
  const owner = { type: row.ownerType, id: row.ownerId };
  if (!access.canWrite) throw await deny(s, caller, owner, 'file.delete');
  const deleted = await s.db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(storedFiles)
      .where(and(eq(storedFiles.zoneId, caller.zoneId), eq(storedFiles.id, id)))
      .returning();
    if (!gone) return null;
    await audit(tx, s, caller, {
      action: 'file.delete',
      entityType: 'file',
      entityId: id,
      before: auditState(gone, owner, access),
      after: { ...access.auditRef, ownerType: owner.type, ownerId: owner.id, deleted: true },
    });
    return gone;
  });
  // Deleted meanwhile by someone else: as if it never existed.
  if (!deleted) throw notFound();
  await removeBlobsOf(s, caller.zoneId, [deleted]);
}

/**
 * For modules deleting an owner record (a pipeline project, a problem): removes its file rows inside the caller's
 * transaction and returns them; call `removeBlobsOf` with them after the transaction commits.
 */
export async function deleteFilesOfOwner(tx: Db, zoneId: string, owner: OwnerRef): Promise<FileRow[]> {
  return tx
    .delete(storedFiles)
    .where(and(eq(storedFiles.zoneId, zoneId), eq(storedFiles.ownerType, owner.type), eq(storedFiles.ownerId, owner.id)))
    .returning();
}

/** Deletes the bytes (and clean copies) of file rows already deleted. A blob that stays behind harms nobody. */
export async function removeBlobsOf(s: AppServices, zoneId: string, rows: Pick<FileRow, 'id' | 'cleanId'>[]): Promise<void> {
  for (const row of rows) {
    for (const blobId of [row.id, row.cleanId]) {
      if (blobId) await removeBlob(s.config.dataDir, zoneId, blobId).catch(() => {});
    }
  }
}

/** A document the platform generated (a briefing's docx and PDF) to keep as a file of its owner. */
export interface GeneratedFile {
  bytes: Buffer;
  name: string;
  mime: string;
}

/**
 * Keeps generated documents as files of `owner`: the bytes into place first, then the rows inside the caller's
 * transaction `tx` (with the owner's own row and audit). Returns the file ids in order and a `discard` that removes
 * the bytes again, for when the transaction fails.
 */
export async function keepGeneratedFiles(
  tx: Db,
  s: AppServices,
  zoneId: string,
  owner: OwnerRef,
  files: readonly GeneratedFile[],
  by: string | null,
): Promise<{ ids: string[]; discard(): Promise<void> }> {
  const ids: string[] = [];
  const discardAll = () => removeBlobsOf(s, zoneId, ids.map((id) => ({ id, cleanId: null })));
  try {
    for (const f of files) {
      const staged = await stageBuffer(s.config.dataDir, f.bytes);
      const id = randomUUID();
      try {
        await commit(s.config.dataDir, staged, zoneId, id);
      } finally {
        await discard(staged).catch(() => {});
      }
      ids.push(id);
      await tx.insert(storedFiles).values({
        id,
        zoneId,
        ownerType: owner.type,
        ownerId: owner.id,
        originalName: cleanFileName(f.name),
        mime: f.mime,
        kind: 'document',
        size: staged.size,
        sha256: staged.sha256,
        cleanId: null,
        uploadedBy: by,
      });
    }
  } catch (err) {
    await discardAll().catch(() => {});
    throw err;
  }
  return { ids, discard: discardAll };
}
