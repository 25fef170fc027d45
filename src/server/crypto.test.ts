import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveKeys, encrypt, keyFilePath, loadMasterSecret } from './crypto.ts';
import { maskIdNumber, maskPhone } from '../shared/masking.ts';
import { checkCreditCode, completeCreditCode } from '../shared/credit-code.ts';

describe('national cryptography and personal data', () => {
  it('has SM3 matching the GB/T 32905 test vector', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(createHmac('sm3', 'k').update('x').digest('hex')).toHaveLength(64);
  });

  it('encrypts with SM4, decrypts, and refuses a tampered ciphertext', () => {
    const keys = deriveKeys(Buffer.alloc(32, 7));
    const token = encrypt(keys, '13812341234');
    expect(token).not.toContain('13812341234');
    expect(decrypt(keys, token)).toBe('13812341234');
    expect(encrypt(keys, '13812341234')).not.toBe(token);
    const parts = token.split('.');
    parts[2] = Buffer.from('0123456789abcdef').toString('base64url');
    expect(() => decrypt(keys, parts.join('.'))).toThrow(/integrity/);
    expect(() => decrypt(deriveKeys(Buffer.alloc(32, 8)), token)).toThrow();
  });

  it('generates the key file once, readable by its owner only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-key-'));
    const first = loadMasterSecret({ secretKey: undefined, dataDir: dir });
    const again = loadMasterSecret({ secretKey: undefined, dataDir: dir });
    expect(again.equals(first)).toBe(true);
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(loadMasterSecret({ secretKey: 'ab'.repeat(16), dataDir: dir }).toString('hex')).toBe('ab'.repeat(16));
    expect(() => loadMasterSecret({ secretKey: 'abcd', dataDir: dir })).toThrow(/16 bytes/);
  });

  it('masks phone and ID numbers', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskIdNumber('370102199001011234')).toBe('3701**********1234');
    expect(maskPhone(null)).toBeNull();
  });

  it('validates unified social credit codes by their check character', () => {
    expect(checkCreditCode('91110000802100433B')).toBeNull();
    expect(checkCreditCode('91110000802100433C')).toBe('check_character');
    expect(checkCreditCode('9111000080210043')).toBe('length');
    expect(checkCreditCode('91110000802100433I')).toBe('characters');
    expect(checkCreditCode(completeCreditCode('91370100MA7DEM001'))).toBeNull();
  });
});
