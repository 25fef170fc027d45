/** `qibu <command>`: serve, migrate, demo, user, audit verify, backup, restore. */
export async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'serve' || command === undefined) {
    const { serve } = await import('../server/main.ts');
    await serve();
    return;
  }
  process.stderr.write(`unknown command: ${command}\n`);
  process.exitCode = 2;
}
