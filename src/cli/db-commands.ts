import { parseArgs } from 'node:util';
import { verifyAudit } from '../server/audit/audit.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadDemoZone } from '../server/demo/demo.ts';
import { DEMO_ZONE } from '../server/demo/demo-data.ts';
import { UsageError } from './cli-errors.ts';
import { findZone, openCliDatabase, out, withServices, zoneCodes } from './cli-context.ts';

function noArguments(command: string, args: string[]): void {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length) throw new UsageError(`${command} takes no arguments`);
}

/** Applies pending migrations (under the advisory lock, so running it beside live instances is safe). */
export async function migrateCommand(args: string[]): Promise<number> {
  noArguments('migrate', args);
  const { database } = await openCliDatabase('any');
  try {
    const applied = await migrate(database.db);
    out(applied.length ? `applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    await database.close();
  }
}

/** Loads the demo zone (济南新旧动能转换起步区, code qibuqu) unless it is there already. */
export async function demoCommand(args: string[]): Promise<number> {
  noArguments('demo', args);
  return withServices({ schema: 'migrate' }, async (s) => {
    const loaded = await loadDemoZone(s, { ifAbsent: true });
    out(loaded ? `demo zone loaded: ${DEMO_ZONE.name} (code ${DEMO_ZONE.code}); demo password from QIBU_DEMO_PASSWORD or the default in README` : `the demo zone (code ${DEMO_ZONE.code}) is already there`);
    return 0;
  });
}

/** Exit 0 when every chain verifies; 1 naming the first altered or removed row of each broken chain. */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError('usage: qibu audit verify [--zone <code>] [--heads]');
  const { values } = parseArgs({ args: rest, strict: true, allowPositionals: false, options: { zone: { type: 'string' }, heads: { type: 'boolean' } } });
  return withServices({ schema: 'require', requireKey: true }, async (s) => {
    const zone = values.zone ? await findZone(s.db, values.zone) : null;
    const report = await verifyAudit(s.db, s.keys.auditKey, zone?.id);
    const codes = await zoneCodes(s.db);
    const scope = zone ? `zone ${zone.code}` : `all ${codes.size} zones`;
    if (values.heads) {
      // zone chain seq hash, one line per chain head: keep a copy off this machine to catch a rolled-back tail.
      for (const h of report.heads) out(`head ${codes.get(h.zoneId) ?? h.zoneId} ${h.chainNo} ${h.seq} ${h.hash}`);
    }
    if (report.problems.length === 0) {
      out(`audit trail verified: ${report.rowsChecked} rows in ${report.chainsChecked} chains (${scope}); no alteration found`);
      return 0;
    }
    out(`AUDIT TRAIL ALTERED: ${report.problems.length} broken chain(s) among ${report.chainsChecked} (${report.rowsChecked} rows checked, ${scope})`);
    for (const p of report.problems) {
      out(`  zone ${codes.get(p.zoneId) ?? p.zoneId}  chain ${p.chainNo}  seq ${p.seq}  ${p.kind}: ${p.detail}`);
    }
    return 1;
  });
}
