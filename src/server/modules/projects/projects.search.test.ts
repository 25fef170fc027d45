import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { getHarness } from '../../test/harness.ts';
import { queryTokens, searchDocument, searchMatches, searchTokens } from './projects.search.ts';

describe('Chinese bigram search', () => {
  it('indexes bigrams and single characters, Latin words whole', () => {
    expect(searchTokens(['氢能基地 SPIC-2023'])).toEqual(['氢', '能', '基', '地', '氢能', '能基', '基地', 'spic', '2023']);
    expect(queryTokens('氢能')).toEqual(['氢能']);
    expect(queryTokens('电池组件')).toEqual(['电池', '池组', '组件']);
    expect(queryTokens('桥')).toEqual(['桥']);
    expect(queryTokens("' & | !")).toEqual([]);
  });

  it('finds two-character words in the database and not characters far apart', async () => {
    const { services } = await getHarness();
    const match = async (text: string, q: string) => {
      const where = searchMatches(sql`doc`, q)!;
      const rows = await queryRows<{ hit: boolean }>(services.db, sql`select (${where}) as hit from (select ${searchDocument([text])} as doc) d`);
      return rows[0]?.hit;
    };
    expect(await match('国家电投济南绿动氢能科技有限公司', '氢能')).toBe(true);
    expect(await match('太阳能高效电池组件项目', '电池')).toBe(true);
    expect(await match('太阳能高效电池组件项目', '光伏')).toBe(false);
    expect(await match('电力设施与水池改造', '电池')).toBe(false);
    expect(await match('凤凰黄河大桥', '大桥')).toBe(true);
    expect(await match('Qibu SPIC hydrogen', 'spic')).toBe(true);
  });
});
