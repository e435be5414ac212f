import { Slot } from './catalog';
import { InventoryEvent, InventoryView } from './inventory';

/** Events and views the inventory's decider specs are written with. */
export const registered: InventoryEvent = { type: 'registered' };
export const granted = (items: Record<string, number>, gold = 0, grantId = 'g-seed'): InventoryEvent => ({ type: 'granted', grantId, gold, items });
export const equipped = (itemId: string, slot: Slot): InventoryEvent => ({ type: 'equipped', itemId, slot });
/** A registered player holding `items` and `gold` (version 2). */
export const holding = (items: Record<string, number>, gold = 0): InventoryEvent[] => [registered, granted(items, gold)];
export const view = ({ gold = 0, items = {}, equipment = {}, version }: Partial<InventoryView> & { version: number }): InventoryView => ({
  playerId: 'alice',
  gold,
  items,
  equipment,
  version,
});
/** A full bag: 20 slots of wood. */
export const fullOfWood = 99 * 20;
