import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { SeededZone } from '../../demo/demo.ts';

/** The demo ledger (projects, batches, reports, milestones) of a demo-shaped zone. */
export async function seedLedger(_tx: Db, _s: AppServices, _zone: SeededZone, _today: string): Promise<void> {
  // filled in with the ledger module
}
