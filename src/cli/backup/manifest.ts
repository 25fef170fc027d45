import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hmacSm3Hex, type Keys } from '../../server/crypto.ts';
import type { DbKind } from '../../server/db/client.ts';
import { CliError } from '../cli-errors.ts';
import type { ColumnInfo } from './catalog.ts';

/**
 * A Qibu backup is a tar.gz:
 *   manifest.json           this file's Manifest
 *   tables/<table>.jsonl    one row per line: row_to_json of the stored columns, json/jsonb as their text
 *   files/…                 the uploaded files (<dataDir>/files)
 * It never holds the secret key; `keyCheck` only lets restore tell whether the key it was given is the same one.
 */
export const BACKUP_FORMAT = 'qibu-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const TABLES_DIR = 'tables';
export const FILES_DIR = 'files';

export interface ManifestTable {
  name: string;
  rows: number;
  columns: ColumnInfo[];
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  qibuVersion: string;
  engine: DbKind;
  serverVersion: string;
  /** Migration tags applied to the database the backup was taken from, in order. */
  migrations: string[];
  /** HMAC-SM3 of a fixed label under the audit key: equal only when restore runs with the same secret. */
  keyCheck: string;
  tables: ManifestTable[];
  files: { count: number; bytes: number };
}

export function keyCheckOf(keys: Keys): string {
  return hmacSm3Hex(keys.auditKey, 'qibu/backup-key-check');
}

export function qibuVersion(): string {
  const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json');
  try {
    return String((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

export function tableFile(table: string): string {
  return `${TABLES_DIR}/${table}.jsonl`;
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new CliError('not a Qibu backup: the archive has no manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== BACKUP_FORMAT) throw new CliError('not a Qibu backup: unknown manifest format');
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new CliError(`this backup has format version ${manifest.formatVersion}; this Qibu reads up to ${BACKUP_FORMAT_VERSION}. Upgrade Qibu first.`);
  }
  for (const t of manifest.tables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(t.name)) throw new CliError(`the manifest names an unexpected table '${t.name}'`);
  }
  return manifest;
}
