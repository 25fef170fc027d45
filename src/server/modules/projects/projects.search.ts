import { sql, type SQL } from 'drizzle-orm';

/**
 * Chinese search without a segmenter: a text is indexed as its overlapping character bigrams plus single
 * characters (for one-character queries), and Latin words and numbers as whole lowercased words. A query is the
 * AND of its own bigrams, so 氢能 finds 国家电投济南绿动氢能科技有限公司 and 光伏 finds 光伏组件, while
 * 电池 does not match 电 … 池 apart. (stack.md "Chinese search"; measured in bench/.)
 */
const HAN = /\p{Script=Han}/u;

function tokens(text: string): string[] {
  const out: string[] = [];
  const runs = text.normalize('NFKC').toLowerCase().match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? [];
  for (const run of runs) {
    if (!HAN.test(run)) {
      out.push(run);
      continue;
    }
    const chars = [...run];
    for (const c of chars) out.push(c);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/** The tokens to index for a project (name, enterprise, address, notes), deduplicated. */
export function searchTokens(parts: (string | null | undefined)[]): string[] {
  return [...new Set(parts.flatMap((p) => (p ? tokens(p) : [])))];
}

/** A tsvector value for an insert or update: `search_doc = searchDocument([...])`. */
export function searchDocument(parts: (string | null | undefined)[]): SQL {
  return sql`to_tsvector('simple', ${searchTokens(parts).join(' ')})`;
}

/**
 * The query tokens: bigrams of each Han run (its single character when it has only one), Latin words whole.
 * Empty when the query has nothing searchable.
 */
export function queryTokens(q: string): string[] {
  const out: string[] = [];
  const runs = q.normalize('NFKC').toLowerCase().match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? [];
  for (const run of runs) {
    const chars = [...run];
    if (!HAN.test(run) || chars.length === 1) out.push(run);
    else for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return [...new Set(out)];
}

/** `search_doc @@ query` for a user's search text, or undefined when there is nothing to search. */
export function searchMatches(column: SQL | unknown, q: string): SQL | undefined {
  const toks = queryTokens(q);
  if (toks.length === 0) return undefined;
  // Each token is quoted for to_tsquery so user input can never inject tsquery operators.
  const query = toks.map((t) => `'${t.replaceAll("'", "''")}'`).join(' & ');
  return sql`${column} @@ to_tsquery('simple', ${query})`;
}
