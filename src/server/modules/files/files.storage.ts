import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded bytes live: `<dataDir>/files/<zoneId>/<id>`, a server-generated name (never the uploader's),
 * outside any web root (the backup packs `<dataDir>/files`). Bytes arrive in `<dataDir>/.uploads/` first — the same
 * filesystem, so moving them into place is an atomic rename, and a half-written upload never sits among the files
 * (nor in a backup). Nothing here knows about the database: files.service.ts pairs each blob with its row.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filesRoot(dataDir: string): string {
  return path.join(dataDir, 'files');
}

function incomingDir(dataDir: string): string {
  return path.join(dataDir, '.uploads');
}

/** The path of one stored blob. Both parts must be UUIDs, so no name can climb out of the zone's directory. */
export function blobPath(dataDir: string, zoneId: string, id: string): string {
  if (!UUID.test(zoneId) || !UUID.test(id)) throw new Error(`files: not a blob id: ${zoneId}/${id}`);
  return path.join(filesRoot(dataDir), zoneId.toLowerCase(), id.toLowerCase());
}

/** Bytes written to a temporary file, not yet in place. */
export interface Staged {
  path: string;
  size: number;
  sha256: string;
}

export class StagedTooLarge extends Error {
  constructor() {
    super('staged file exceeds its limit');
  }
}

async function newTempFile(dataDir: string) {
  const dir = incomingDir(dataDir);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${randomUUID()}.part`);
  return { file, handle: await fsp.open(file, 'wx', 0o600) };
}

/**
 * Streams `source` into a temporary file, hashing as the bytes pass; flushed to disk before it returns. More than
 * `maxBytes` throws StagedTooLarge (the multipart limit normally stops an upload first) and leaves nothing behind.
 */
export async function stageStream(dataDir: string, source: AsyncIterable<Buffer> | Iterable<Buffer> | Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<Staged> {
  const { file, handle } = await newTempFile(dataDir);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer> | Iterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new StagedTooLarge();
      hash.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await fsp.rm(file, { force: true });
    throw err;
  }
  await handle.close();
  return { path: file, size, sha256: hash.digest('hex') };
}

export function stageBuffer(dataDir: string, bytes: Buffer): Promise<Staged> {
  return stageStream(dataDir, [bytes]);
}

/**
 * Removes staged files a crashed process left behind (older than `maxAgeMs`, so uploads in flight in another
 * process sharing the data directory are untouched). Called once when the routes are registered.
 */
export async function sweepIncoming(dataDir: string, maxAgeMs = 24 * 60 * 60 * 1000, now = Date.now()): Promise<number> {
  const dir = incomingDir(dataDir);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(dir, name);
    try {
      if (now - (await fsp.stat(file)).mtimeMs > maxAgeMs) {
        await fsp.rm(file, { force: true });
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

/** Forgets a staged file that will not be kept (no error when it is already gone, e.g. moved into place). */
export async function discard(staged: Staged | null | undefined): Promise<void> {
  if (staged) await fsp.rm(staged.path, { force: true });
}

/** Moves a staged file into place under its id: one rename, so readers see the whole file or none. */
export async function commit(dataDir: string, staged: Staged, zoneId: string, id: string): Promise<void> {
  const target = blobPath(dataDir, zoneId, id);
  await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await fsp.rename(staged.path, target);
}

/** Deletes a stored blob; one that is already gone is not an error. */
export async function removeBlob(dataDir: string, zoneId: string, id: string): Promise<void> {
  await fsp.rm(blobPath(dataDir, zoneId, id), { force: true });
}

/** Opens a stored blob for reading, or null when it is missing. */
export async function openBlob(dataDir: string, zoneId: string, id: string): Promise<{ stream: fs.ReadStream; size: number } | null> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(blobPath(dataDir, zoneId, id), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    return { stream: handle.createReadStream({ autoClose: true }), size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The sha256 of a stored blob (tests and integrity checks). */
export async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
