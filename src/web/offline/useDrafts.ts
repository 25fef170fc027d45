import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { problemsKey } from '../api/problems.ts';
import { DRAFTS_EVENT, listDrafts, type Draft } from './drafts.ts';

/** The signed-in user's drafts, live (re-read on every change); when one leaves the list, the problem lists reload. */
export function useDrafts(userId: string): { drafts: Draft[]; loaded: boolean; unavailable: boolean } {
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [unavailable, setUnavailable] = useState(false);
  const qc = useQueryClient();
  const count = useRef<number | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => {
      listDrafts(userId)
        .then((d) => {
          if (!alive) return;
          if (count.current !== null && d.length < count.current) void qc.invalidateQueries({ queryKey: problemsKey });
          count.current = d.length;
          setDrafts(d);
          setLoaded(true);
        })
        .catch(() => {
          if (!alive) return;
          setUnavailable(true);
          setLoaded(true);
        });
    };
    load();
    window.addEventListener(DRAFTS_EVENT, load);
    return () => {
      alive = false;
      window.removeEventListener(DRAFTS_EVENT, load);
    };
  }, [userId, qc]);
  return { drafts, loaded, unavailable };
}

/** navigator.onLine, live. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
