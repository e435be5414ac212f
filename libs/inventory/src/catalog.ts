/** Where an equippable item goes. */
export const SLOTS = ['weapon', 'offhand'] as const;
export type Slot = (typeof SLOTS)[number];

export interface ItemDefinition {
  kind: 'consumable' | 'material' | 'equipment';
  /** How many fit in one bag slot. */
  stackSize: number;
  slot?: Slot;
}

/** Every item that exists; an id outside it is `unknown_item`. */
export const CATALOG: Readonly<Record<string, ItemDefinition>> = {
  potion: { kind: 'consumable', stackSize: 20 },
  wood: { kind: 'material', stackSize: 99 },
  sword: { kind: 'equipment', stackSize: 1, slot: 'weapon' },
  shield: { kind: 'equipment', stackSize: 1, slot: 'offhand' },
};

/** Bag slots per player: each item id takes ceil(quantity / stackSize) of them; equipped items take none. */
export const BAG_SLOTS = 20;
/** Most gold a player may hold; more is refused, never wrapped or rounded. */
export const MAX_GOLD = 1_000_000_000_000;
/** Most of one item any single command may move. */
export const MAX_QUANTITY = 1_000_000;

export const itemOf = (itemId: string): ItemDefinition | undefined => (Object.hasOwn(CATALOG, itemId) ? CATALOG[itemId] : undefined);

/** Bag slots that `items` take. */
export function slotsUsed(items: Readonly<Record<string, number>>): number {
  let used = 0;
  for (const [itemId, quantity] of Object.entries(items)) used += Math.ceil(quantity / (itemOf(itemId)?.stackSize ?? 1));
  return used;
}
