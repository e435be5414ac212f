import { AggregateDomain, parseWith } from '@app/engine';
import { InventoryCommand, inventoryCommandSchema } from './inventory-commands';
import { decideInventory, evolveInventory, initialInventory, InventoryEvent, InventoryView, PlayerInventory, viewOf } from './inventory';

/** The inventory service on the engine: one aggregate per player, keyed by playerId. */
export function inventoryDomain(): AggregateDomain<PlayerInventory, InventoryCommand, InventoryEvent, InventoryView> {
  return {
    service: 'inventory',
    schemaVersion: 1,
    initial: initialInventory,
    parseCommand: parseWith(inventoryCommandSchema),
    decide: decideInventory,
    evolve: evolveInventory,
    view: viewOf,
    // A command is answered with the inventory after it, from the state the engine evolved (decide builds none).
    reply: viewOf,
    // A success's reply is the inventory after it: a retry gets the inventory now (which includes the command's
    // effect; `version` orders it), so remembered successes keep no copy of an inventory each.
    retryReply: viewOf,
  };
}
