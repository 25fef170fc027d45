import { describe, expect, it } from 'vitest';
import { createZone, signIn } from '../test/harness.ts';

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
});
