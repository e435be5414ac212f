import { AggregateDomain } from '@app/engine';
import { InventoryCommand, inventoryCommandSchema } from './inventory-commands';
import { decideInventory, evolveInventory, initialInventory, InventoryEvent, InventoryView, PlayerInventory, viewOf } from './inventory';

/** The inventory service on the engine: one aggregate per player, keyed by playerId. */
export function inventoryDomain(): AggregateDomain<PlayerInventory, InventoryCommand, InventoryEvent, InventoryView> {
  return {
    service: 'inventory',
    schemaVersion: 1,
    initial: initialInventory,
    parseCommand(payload) {
      const parsed = inventoryCommandSchema.safeParse(payload);
      return parsed.success
        ? { ok: true, command: parsed.data }
        : { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`).join('; ') };
    },
    decide: decideInventory,
    evolve: evolveInventory,
    view: viewOf,
  };
}
