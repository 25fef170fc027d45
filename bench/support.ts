import pg from 'pg';

/**
 * What every bench shares: percentiles, a timer with a warm-up, and a recorder of the statements the app sends (so a
 * bench can replay exactly the same SQL on a bare client). Importing this module patches `pg.Client.prototype.query`
 * once; it records only inside `recordStatements`.
 */

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** p50 and p95 of `runs` calls after one warm-up call. */
export async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
}

export interface Statement {
  text: string;
  values: unknown[];
  /** The rows it answered, by column name (a replay may need them: the audit chain head of an action). */
  rows?: Record<string, unknown>[];
}

let recording: Statement[] | null = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (!recording) return result;
  const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
  const st: Statement | undefined =
    typeof first === 'string'
      ? { text: first, values: second ?? [] }
      : first && typeof first === 'object' && 'text' in first
        ? { text: first.text, values: first.values ?? second ?? [] }
        : undefined;
  if (!st) return result;
  recording.push(st);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    return (result as Promise<{ rows?: unknown[]; fields?: { name: string }[] }>).then((r) => {
      if (r?.rows && r.fields) st.rows = r.rows.map((row) => (Array.isArray(row) ? Object.fromEntries(r.fields!.map((f, i) => [f.name, row[i]])) : (row as Record<string, unknown>)));
      return r;
    });
  }
  return result;
} as typeof originalQuery;

/** The statements every pg client sent while `fn` ran, in order. */
export async function recordStatements(fn: () => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  recording = statements;
  try {
    await fn();
  } finally {
    recording = null;
  }
  return statements;
}
