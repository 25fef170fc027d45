import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { storedFiles } from '../modules/files/files.schema.ts';
import { makeProject, multipartBody, png } from '../modules/files/files.testkit.ts';
import { createZone, getHarness, signIn } from '../test/harness.ts';

describe('Idempotency-Key on POST', () => {
  it('returns the first answer to a retry with the same key, and refuses the key for another request', async () => {
    const zone = await createZone();
    const client = await signIn(zone, 'leader');
    const first = await client.post('/api/auth/totp/setup', undefined, { 'idempotency-key': 'k-1' });
    const retry = await client.post('/api/auth/totp/setup', undefined, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.json().secret).toBe(first.json().secret);
    const fresh = await client.post('/api/auth/totp/setup', undefined, { 'idempotency-key': 'k-2' });
    expect(fresh.json().secret).not.toBe(first.json().secret);
    const other = await client.post('/api/auth/totp/confirm', { code: '123456' }, { 'idempotency-key': 'k-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_mismatch');
  });

  it('returns the first file to an upload retried with its key (a photo sent again after a lost answer)', async () => {
    const zone = await createZone();
    const projectId = await makeProject(zone);
    const client = await signIn(zone, 'staff.cuizhai');
    const send = (data: Buffer, key: string) => {
      const { body, contentType } = multipartBody([{ name: 'file', filename: 'site.png', contentType: 'image/png', data }]);
      return client.request({ method: 'POST', url: `/api/projects/${projectId}/files`, payload: body, headers: { 'content-type': contentType, 'idempotency-key': key } });
    };
    const photo = await png();
    const first = await send(photo, 'draft-1:photo:0');
    expect(first.statusCode, first.body).toBe(201);
    const retry = await send(photo, 'draft-1:photo:0');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    // Another file under the same key is refused; another key stores another file.
    const other = await send(Buffer.concat([photo, Buffer.alloc(64)]), 'draft-1:photo:0');
    expect(other.statusCode).toBe(422);
    expect((await send(photo, 'draft-1:photo:1')).json().id).not.toBe(first.json().id);
    const { services } = await getHarness();
    const rows = await services.db.select({ id: storedFiles.id }).from(storedFiles).where(and(eq(storedFiles.zoneId, zone.zoneId), eq(storedFiles.ownerId, projectId)));
    expect(rows).toHaveLength(2);
  });
});
