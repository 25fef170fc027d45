import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { prepareDatabase } from './startup.ts';
import { DEMO_ACCOUNTS } from './demo/demo.ts';
import { startScheduler } from './modules/notifications/scheduler.ts';

/** `npm start`: migrate, load the demo zone on first start, serve. */
export async function serve(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const say = (msg: string) => process.stdout.write(`[qibu] ${msg}\n`);
  const { database } = await prepareDatabase(config, say);
  const { app, services } = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host}:${config.port}`;
  say(`Qibu 起步 is serving ${url}  (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}; ready in ${Date.now() - started} ms)`);
  if (config.demo) {
    say(`demo accounts (password: ${config.demoPassword === 'Qibu@2026!' ? 'Qibu@2026!' : 'from QIBU_DEMO_PASSWORD'}):`);
    for (const a of DEMO_ACCOUNTS) say(`  ${a.username.padEnd(16)} ${a.label}`);
  }
  // Reminders, digests and their delivery (docs/operations.md "Notifications and the scheduler").
  const scheduler =
    config.schedulerSeconds > 0
      ? startScheduler(services, { intervalMs: config.schedulerSeconds * 1000, log: { info: (m) => app.log.info(m), error: (m) => app.log.error(m) } })
      : null;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await scheduler?.stop();
    await app.close();
    await services.database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await serve();
