import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyAudit, writeAudit } from './audit.ts';
import { createZone, getHarness } from '../test/harness.ts';

describe('audit trail', () => {
  it('cannot be updated, deleted or truncated by the application', async () => {
    const zone = await createZone();
    const { services } = await getHarness();
    const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message));
    expect(await refusal(services.db.execute(sql`update audit_log set action = 'x' where zone_id = ${zone.zoneId}`))).toMatch(/append-only/);
    expect(await refusal(services.db.execute(sql`delete from audit_log where zone_id = ${zone.zoneId}`))).toMatch(/append-only/);
    expect(await refusal(services.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
  });

  it('verifies a clean chain and names the first altered or removed row', async () => {
    const zone = await createZone();
    const { services } = await getHarness();
    const actor = { zoneId: zone.zoneId, actorId: null, actorName: 't', actorRole: 'system', ip: null, requestId: null };
    const rows = [];
    for (let i = 0; i < 5; i++) {
      rows.push(await services.db.transaction((tx) => writeAudit(tx, services.keys.auditKey, actor, { action: 'unit.update', entityType: 'unit', entityId: 'same', after: { i } })));
    }
    expect((await verifyAudit(services.db, services.keys.auditKey, zone.zoneId)).problems).toEqual([]);
    const target = rows[2]!;
    // Tampering needs the trigger out of the way, as an attacker with database rights would do.
    await services.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(sql`update audit_log set after = '{"i":99}' where zone_id = ${zone.zoneId} and chain_no = ${target.chainNo} and seq = ${target.seq}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });
    const altered = await verifyAudit(services.db, services.keys.auditKey, zone.zoneId);
    expect(altered.problems).toEqual([expect.objectContaining({ kind: 'altered', seq: target.seq, chainNo: target.chainNo })]);
  });
});
