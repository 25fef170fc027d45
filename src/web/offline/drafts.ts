/**
 * Problems drafted on a phone without network (问题草稿): kept in IndexedDB, photos as Blobs, until they are sent.
 * A tiny hand-written wrapper over one object store; every change announces itself with a `qibu:drafts` event.
 */
import type { ProblemCreate } from '../api/problems.ts';

export type DraftState = 'waiting' | 'sending' | 'failed';

export interface DraftPhoto {
  name: string;
  type: string;
  blob: Blob;
  /** Uploaded to the problem already (a retry skips it). */
  uploaded: boolean;
}

export interface Draft {
  /** Also the Idempotency-Key of its POST: a retry after a lost answer never makes a second problem. */
  id: string;
  /** Whose draft it is: only sent while the same user is signed in. */
  userId: string;
  createdAt: string;
  body: ProblemCreate;
  photos: DraftPhoto[];
  state: DraftState;
  /** Set once the problem exists on the server (photos may still be waiting). */
  problemId?: string;
  problemCode?: string;
  /** The server's message when it refused the draft (it will not be retried by itself). */
  error?: string;
  attempts: number;
  lastTriedAt?: string;
}

const DB_NAME = 'qibu-offline';
const STORE = 'problem-drafts';
export const DRAFTS_EVENT = 'qibu:drafts';

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' }).createIndex('userId', 'userId');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  dbPromise.catch(() => {
    dbPromise = null;
  });
  return dbPromise;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB request failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
}

function announce(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(DRAFTS_EVENT));
}

/** The user's drafts, oldest first. */
export async function listDrafts(userId: string): Promise<Draft[]> {
  const all = await run<Draft[]>('readonly', (s) => s.index('userId').getAll(userId) as IDBRequest<Draft[]>);
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function getDraft(id: string): Promise<Draft | undefined> {
  return run<Draft | undefined>('readonly', (s) => s.get(id) as IDBRequest<Draft | undefined>);
}

export async function putDraft(d: Draft): Promise<void> {
  await run('readwrite', (s) => s.put(d));
  announce();
}

export async function deleteDraft(id: string): Promise<void> {
  await run('readwrite', (s) => s.delete(id));
  announce();
}

/** Whether anything at all waits (cheap; used before asking the server who is signed in). */
export async function countAllDrafts(): Promise<number> {
  return run<number>('readonly', (s) => s.count());
}
