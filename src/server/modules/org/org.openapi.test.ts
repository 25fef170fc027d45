import { describe, expect, it } from 'vitest';
import { getHarness } from '../../test/harness.ts';

interface OpenApiDoc {
  paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
}

describe('org API description', () => {
  it('documents every org and enterprise route with a tag and a summary', async () => {
    const { app } = await getHarness();
    const doc = app.swagger() as unknown as OpenApiDoc;
    const paths = [
      '/api/units',
      '/api/units/export.xlsx',
      '/api/units/{id}',
      '/api/commands',
      '/api/commands/export.xlsx',
      '/api/commands/{id}',
      '/api/commands/{id}/members',
      '/api/groups',
      '/api/groups/export.xlsx',
      '/api/groups/{id}',
      '/api/groups/{id}/members',
      '/api/enterprises',
      '/api/enterprises/export.xlsx',
      '/api/enterprises/{id}',
      '/api/enterprises/{id}/reveal',
    ];
    for (const path of paths) {
      const ops = doc.paths[path];
      expect(ops, path).toBeDefined();
      for (const op of Object.values(ops ?? {})) {
        expect(op.tags?.[0], path).toMatch(/^(org|enterprises)$/);
        expect(op.summary, path).toBeTruthy();
      }
    }
  });
});
