/**
 * Sends problem drafts (drafts.ts): the raise POST with the draft's id as Idempotency-Key, then its photos one by
 * one, each with its own key (each marked once uploaded, so a retry resumes where it stopped). Runs when the network comes back (`online`),
 * when the app starts, every minute while drafts wait, and when a page asks.
 */
import { fetchMe } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { isNetworkError, problemsApi } from '../api/problems.ts';
import { countAllDrafts, deleteDraft, listDrafts, putDraft, type Draft } from './drafts.ts';

export type Outcome =
  | { kind: 'sent'; problemId: string; problemCode: string; photoErrors: string[] }
  | { kind: 'kept'; draft: Draft }
  | { kind: 'refused'; draft: Draft; error: unknown };

/** Still worth retrying by itself: no answer, signed out, or the first attempt with this key still running. */
function transient(e: unknown): boolean {
  if (isNetworkError(e)) return true;
  return e instanceof ApiError && (e.status === 401 || e.status === 429 || (e.status === 409 && e.code === 'conflict'));
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Sends one draft. `persist`: the draft lives in IndexedDB (progress is saved there and it is removed once sent);
 * otherwise it is a fresh form the caller stores only if the outcome is `kept`.
 */
export async function deliver(d: Draft, persist: boolean): Promise<Outcome> {
  const photoErrors: string[] = [];
  d.attempts += 1;
  d.lastTriedAt = new Date().toISOString();
  try {
    if (!d.problemId) {
      const p = await problemsApi.raise(d.body, d.id);
      d.problemId = p.id;
      d.problemCode = p.code;
      if (persist) await putDraft(d);
    }
    for (const [i, photo] of d.photos.entries()) {
      if (photo.uploaded) continue;
      try {
        // Keyed like the raise: a photo whose answer was lost is not stored twice when sent again.
        await problemsApi.upload(d.problemId, new File([photo.blob], photo.name, { type: photo.type }), undefined, `${d.id}:photo:${i}`);
      } catch (e) {
        if (transient(e)) throw e;
        // the server refused this one photo (type, size): the problem stands, the photo is dropped
        photoErrors.push(`${photo.name}: ${errorMessage(e)}`);
      }
      photo.uploaded = true;
      if (persist) await putDraft(d);
    }
    if (persist) await deleteDraft(d.id);
    return { kind: 'sent', problemId: d.problemId, problemCode: d.problemCode ?? '', photoErrors };
  } catch (e) {
    if (transient(e)) {
      d.state = 'waiting';
      d.error = undefined;
      if (persist) await putDraft(d);
      return { kind: 'kept', draft: d };
    }
    d.state = 'failed';
    d.error = errorMessage(e);
    if (persist) await putDraft(d);
    return { kind: 'refused', draft: d, error: e };
  }
}

let running: Promise<number> | null = null;

/** Sends every waiting draft of the user, one at a time; resolves with how many were sent. */
export function sendWaiting(userId: string): Promise<number> {
  if (running) return running;
  running = (async () => {
    let sent = 0;
    const drafts = await listDrafts(userId);
    for (const d of drafts) {
      if (d.state === 'failed') continue;
      d.state = 'sending';
      await putDraft(d);
      const out = await deliver(d, true);
      if (out.kind === 'sent') sent += 1;
      else if (out.kind === 'kept') break; // still no network: try the rest next time
    }
    return sent;
  })().finally(() => {
    running = null;
  });
  return running;
}

/** Asks the server who is signed in (only when something waits) and sends their drafts. */
export async function kickDraftSender(userId?: string): Promise<number> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 0;
  try {
    if ((await countAllDrafts()) === 0) return 0;
    const uid = userId ?? (await fetchMe())?.user.id;
    if (!uid) return 0;
    return await sendWaiting(uid);
  } catch {
    return 0;
  }
}

let started = false;

/** Once per page load: send on `online`, now, and every minute while drafts wait. */
export function startDraftSender(): void {
  if (started || typeof window === 'undefined' || typeof indexedDB === 'undefined') return;
  started = true;
  window.addEventListener('online', () => void kickDraftSender());
  void kickDraftSender();
  window.setInterval(() => void kickDraftSender(), 60_000);
}
