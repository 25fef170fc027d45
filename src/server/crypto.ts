import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * National cryptography (GB/T 39786): SM4 for personal data at rest, HMAC-SM3 for the audit chain and for
 * lookup digests. One master secret; each use gets its own key derived with HKDF-SM3.
 */
export interface Keys {
  /** SM4-CBC key for personal data. */
  dataKey: Buffer;
  /** HMAC-SM3 key that authenticates ciphertexts (encrypt-then-MAC). */
  dataMacKey: Buffer;
  /** HMAC-SM3 key of the audit chain. */
  auditKey: Buffer;
  /** HMAC-SM3 key for exact-match lookup digests (phone number search) that reveal nothing by themselves. */
  digestKey: Buffer;
}

const KEY_FILE = 'secret.key';

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sm3', master, Buffer.alloc(0), `qibu/${label}`, 16));
}

export function deriveKeys(master: Buffer): Keys {
  return {
    dataKey: derive(master, 'sm4-data'),
    dataMacKey: derive(master, 'sm3-data-mac'),
    auditKey: derive(master, 'sm3-audit'),
    digestKey: derive(master, 'sm3-digest'),
  };
}

function parseSecret(secret: string): Buffer {
  const s = secret.trim();
  const buf = /^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0 ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (buf.length < 16) throw new Error('QIBU_SECRET_KEY must carry at least 16 bytes (32 hex digits)');
  return buf;
}

/** The master secret: QIBU_SECRET_KEY, or a key file in the data dir (created 0600 on first start). */
export function loadMasterSecret(opts: { secretKey: string | undefined; dataDir: string }): Buffer {
  if (opts.secretKey) return parseSecret(opts.secretKey);
  const file = path.join(opts.dataDir, KEY_FILE);
  if (fs.existsSync(file)) return parseSecret(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(32);
  fs.writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

const VERSION = 'v1';

/** SM4-CBC with a random IV, then HMAC-SM3 over version, IV and ciphertext. Output: v1.<iv>.<ct>.<mac> base64url. */
export function encrypt(keys: Keys, plaintext: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-cbc', keys.dataKey, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const mac = createHmac('sm3', keys.dataMacKey).update(VERSION).update(iv).update(ct).digest();
  return [VERSION, iv.toString('base64url'), ct.toString('base64url'), mac.toString('base64url')].join('.');
}

export function decrypt(keys: Keys, token: string): string {
  const [version, ivB64, ctB64, macB64] = token.split('.');
  if (version !== VERSION || !ivB64 || !ctB64 || !macB64) throw new Error('not a Qibu ciphertext');
  const iv = Buffer.from(ivB64, 'base64url');
  const ct = Buffer.from(ctB64, 'base64url');
  const mac = Buffer.from(macB64, 'base64url');
  const expected = createHmac('sm3', keys.dataMacKey).update(VERSION).update(iv).update(ct).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new Error('ciphertext failed its integrity check');
  const decipher = createDecipheriv('sm4-cbc', keys.dataKey, iv);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}

export function encryptOptional(keys: Keys, value: string | null | undefined): string | null {
  return value ? encrypt(keys, value) : null;
}

export function decryptOptional(keys: Keys, value: string | null | undefined): string | null {
  return value ? decrypt(keys, value) : null;
}

/** Keyed digest for exact lookups of an encrypted value. */
export function lookupDigest(keys: Keys, value: string): string {
  return createHmac('sm3', keys.digestKey).update(value).digest('hex');
}

export function hmacSm3Hex(key: Buffer, ...parts: string[]): string {
  const h = createHmac('sm3', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}
