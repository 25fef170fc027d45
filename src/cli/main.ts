import { CliError, isParseArgsError } from './cli-errors.ts';

export const HELP = `qibu — 起步 Qibu command-headquarters platform

usage: qibu <command> [options]

  serve                               migrate, load the demo zone on first start (QIBU_DEMO), serve HTTP
  migrate                             apply pending database migrations
  demo                                load the demo zone (code qibuqu) if it is not there yet
  user create --zone <code> --username <u> --name <显示名> --role <r> [--role <r2>]
              [--unit <unit name|id>] [--enterprise <credit code|name>] [--title <t>]
              (--password-stdin | --password <p>)
                                      create a user; they change the password at first sign-in
  user disable <username>             disable a user and end their sessions
  user reset-password <username> [--password-stdin | --password <p>]
                                      set a new password (a generated one is printed when none is
                                      given); the user must change it at next sign-in; ends sessions
  audit verify [--zone <code>] [--heads]
                                      verify the audit hash chains; exit 1 naming the first altered
                                      or removed row of each broken chain; --heads prints each chain
                                      head (keep a copy off this machine to catch a rolled-back tail)
  backup <file>                       write data, uploaded files and the audit trail to <file> (tar.gz)
  restore <file> [--ignore-key-mismatch]
                                      restore a backup into an empty database and data directory
  help                                this text

Environment: QIBU_DATA_DIR (PGlite database, key file, uploaded files; default ./data), DATABASE_URL
(PostgreSQL instead of PGlite), QIBU_SECRET_KEY (instead of <data dir>/secret.key), QIBU_DEMO,
QIBU_DEMO_PASSWORD, PORT, HOST. Changes made here are audited as 'qibu-cli'. See docs/operations.md.
Exit codes: 0 done, 1 failed (or the audit trail does not verify), 2 wrong usage.
`;

type Command = (args: string[]) => Promise<number>;

// Loaded on use: `qibu help` and usage errors should not wait for the database drivers to load.
const COMMANDS: Record<string, Command> = {
  migrate: async (args) => (await import('./db-commands.ts')).migrateCommand(args),
  demo: async (args) => (await import('./db-commands.ts')).demoCommand(args),
  user: async (args) => (await import('./user-commands.ts')).userCommand(args),
  audit: async (args) => (await import('./db-commands.ts')).auditCommand(args),
  backup: async (args) => (await import('./backup-commands.ts')).backupCommand(args),
  restore: async (args) => (await import('./backup-commands.ts')).restoreCommand(args),
  help: async () => {
    process.stdout.write(HELP);
    return 0;
  },
};

/** `qibu <command>`: sets process.exitCode; `serve` keeps running after this returns. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'serve' || command === undefined) {
    const { serve } = await import('../server/main.ts');
    await serve();
    return;
  }
  if (command === '--help' || command === '-h') return main(['help']);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader went away (a pipe into head): finish the work, print nothing more.
    if (err.code !== 'EPIPE') throw err;
    process.stdout.destroy();
  });
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`qibu: unknown command '${command}'\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await run(args);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) {
    process.stderr.write(`qibu: ${err.message}\n`);
    return err.exitCode;
  }
  if (isParseArgsError(err)) {
    process.stderr.write(`qibu: ${err.message}\n(see qibu help)\n`);
    return 2;
  }
  // Unexpected: show the stack, it is what a bug report needs.
  process.stderr.write(`qibu: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause) process.stderr.write(`caused by: ${cause instanceof Error ? cause.message : String(cause)}\n`);
  return 1;
}
