import { itemOf, SLOTS, Slot } from '@app/inventory/catalog';
import type { Inventory } from '@app/sdk';

/** One line of the bag: what can be done with the item there, if anything. */
export interface ItemRow {
  itemId: string;
  quantity: number;
  action?: 'use' | 'equip';
}

/** One equipment slot, and what is in it. */
export interface SlotRow {
  slot: Slot;
  itemId?: string;
}

/** The bag as the page lists it: by item id, each with the action its kind allows (potions are used, swords equipped). */
export function itemRows(inventory: Inventory): ItemRow[] {
  return Object.entries(inventory.items)
    .filter(([, quantity]) => quantity > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([itemId, quantity]) => {
      const kind = itemOf(itemId)?.kind;
      const action = kind === 'consumable' ? 'use' : kind === 'equipment' ? 'equip' : undefined;
      return action ? { itemId, quantity, action } : { itemId, quantity };
    });
}

/** Every slot, filled or not, in the catalog's order. */
export const slotRows = (inventory: Inventory): SlotRow[] =>
  SLOTS.map((slot) => (inventory.equipment[slot] ? { slot, itemId: inventory.equipment[slot] } : { slot }));
