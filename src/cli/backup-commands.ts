import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { deriveKeys, keyFilePath, loadMasterSecret } from '../server/crypto.ts';
import { writeBackup } from './backup/backup.ts';
import { keyCheckOf } from './backup/manifest.ts';
import { checkMigrationLevels, checkRestored, readManifest, restoreDatabase, restoreFiles, unpack } from './backup/restore.ts';
import { CliError, UsageError } from './cli-errors.ts';
import type { AppServices } from '../server/context.ts';
import { assertKeyAvailable, cliConfig, cliServices, openCliDatabase, out, warn, withServices } from './cli-context.ts';

function oneFile(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']> = {}) {
  const { positionals, values } = parseArgs({ args, strict: true, allowPositionals: true, options });
  if (positionals.length !== 1) throw new UsageError(`usage: qibu ${command} <file>`);
  return { file: path.resolve(positionals[0]!), values: values as Record<string, boolean | string | undefined> };
}

const KEY_REMINDER =
  'The archive does not contain the secret key. Keep QIBU_SECRET_KEY (or the data directory\'s secret.key) safe and apart from the backups: ' +
  'without the same key, encrypted personal data cannot be read and the audit chain cannot be verified.';

export async function backupCommand(args: string[]): Promise<number> {
  const { file } = oneFile('backup', args);
  const started = Date.now();
  return withServices({ schema: 'require', requireKey: true }, async (s) => {
    const { manifest, bytes } = await writeBackup(s, file);
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    out(`backup written: ${file} (${(bytes / 1024).toFixed(1)} KiB, ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.count} files) in ${Date.now() - started} ms`);
    for (const t of manifest.tables) out(`  ${t.name.padEnd(24)} ${t.rows}`);
    out(KEY_REMINDER);
    return 0;
  });
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { file, values } = oneFile('restore', args, { 'ignore-key-mismatch': { type: 'boolean' } });
  const started = Date.now();
  const config = cliConfig();
  // Checked before the database is opened (for PGlite: created), so a wrong key leaves nothing behind.
  assertKeyAvailable(config);
  const staging = await unpack(file, config.dataDir);
  try {
    const manifest = readManifest(staging);
    const sameKey = keyCheckOf(deriveKeys(loadMasterSecret(config))) === manifest.keyCheck;
    if (!sameKey && !values['ignore-key-mismatch']) {
      throw new CliError(
        `the secret key differs from the one the backup was made with. Set QIBU_SECRET_KEY, or put the original secret.key at ${keyFilePath(config.dataDir)}, and run restore again. ` +
          '(--ignore-key-mismatch restores anyway; encrypted fields will then be unreadable and the audit chain will not verify.)',
      );
    }
    const { database } = await openCliDatabase('any');
    try {
      const s = cliServices(config, database);
      await checkMigrationLevels(s.db, manifest);
      const later = await restoreDatabase(s, staging, manifest, { file, keyMatches: sameKey });
      restoreFiles(staging, config.dataDir);
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      out(`restored ${file}: ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.count} files (backup of ${manifest.createdAt}) in ${Date.now() - started} ms`);
      if (later.length) out(`then migrated: ${later.join(', ')}`);
      return await reportChecks(s, sameKey);
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** After a restore the key is proven on the data itself; failures are loud and make the exit code 1. */
async function reportChecks(s: AppServices, sameKey: boolean): Promise<number> {
  const check = await checkRestored(s);
  let ok = sameKey;
  if (!sameKey) warn('WARNING: restored with a different secret key than the backup was made with.');
  if (check.audit.problems.length === 0) out(`audit trail verified: ${check.audit.rowsChecked} rows in ${check.audit.chainsChecked} chains`);
  else {
    ok = false;
    warn(`WARNING: the audit trail does not verify with this key (${check.audit.problems.length} chains); is QIBU_SECRET_KEY the original one?`);
  }
  if (check.decrypts === false) {
    ok = false;
    warn('WARNING: an encrypted phone number does not decrypt with this key; bring the original QIBU_SECRET_KEY / secret.key.');
  } else if (check.decrypts) out('encrypted personal data decrypts with this key');
  out(KEY_REMINDER);
  return ok ? 0 : 1;
}
