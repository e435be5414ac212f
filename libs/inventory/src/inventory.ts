import { acceptEvents, CommandContext, Decision, reject, unreachable } from '@app/engine';
import { BAG_SLOTS, itemOf, MAX_GOLD, Slot, slotsUsed } from './catalog';
import { InventoryCommand } from './inventory-commands';

export type InventoryEvent =
  | { type: 'registered' }
  | { type: 'granted'; grantId: string; gold: number; items: Record<string, number> }
  | { type: 'discarded'; itemId: string; quantity: number }
  | { type: 'used'; itemId: string }
  | { type: 'equipped'; itemId: string; slot: Slot }
  | { type: 'unequipped'; itemId: string; slot: Slot }
  | { type: 'gold-sent'; transferId: string; toPlayerId: string; amount: number }
  | { type: 'gold-received'; transferId: string; fromPlayerId: string; amount: number }
  | { type: 'gold-refunded'; transferId: string; amount: number; reason: string }
  | { type: 'item-sent'; transferId: string; toPlayerId: string; itemId: string; quantity: number }
  | { type: 'item-received'; transferId: string; fromPlayerId: string; itemId: string; quantity: number }
  | { type: 'item-refunded'; transferId: string; itemId: string; quantity: number; reason: string }
  /** What a zone's loot drop actually credited: what did not fit is left on the ground. */
  | { type: 'looted'; lootId: string; gold: number; items: Record<string, number> };

/** One player's goods. `version` counts the events applied, so a client can order what it is told. */
export interface PlayerInventory {
  registered: boolean;
  gold: number;
  /** Bag contents; an item at zero is removed. */
  items: Record<string, number>;
  equipment: Partial<Record<Slot, string>>;
  version: number;
  /** Grant ids applied: a grant is idempotent by its id however long ago it ran. */
  grants: string[];
}

/** What clients see (PROTOCOL.md `<Inventory>`): the goods, not the bookkeeping. */
export type InventoryView = { playerId: string } & Pick<PlayerInventory, 'gold' | 'items' | 'equipment' | 'version'>;

export const initialInventory = (): PlayerInventory => ({ registered: false, gold: 0, items: {}, equipment: {}, version: 0, grants: [] });

export const viewOf = (playerId: string, inventory: PlayerInventory): InventoryView => ({
  playerId,
  gold: inventory.gold,
  items: inventory.items,
  equipment: inventory.equipment,
  version: inventory.version,
});

function addItems(items: Record<string, number>, itemId: string, delta: number): Record<string, number> {
  const next = { ...items };
  const quantity = (next[itemId] ?? 0) + delta;
  if (quantity > 0) next[itemId] = quantity;
  else delete next[itemId];
  return next;
}

/**
 * Whether a bag may change from `before` to `after`: it must fit, or at least not grow (refunds may leave a bag
 * past its size, and that must not block what would shrink it or leave it alone).
 */
const roomFor = (before: Record<string, number>, after: Record<string, number>) => {
  const used = slotsUsed(after);
  return used <= BAG_SLOTS || used <= slotsUsed(before);
};
/** Whether gold may grow by `amount` (refunds may leave it past the limit; nothing else may). */
const goldRoomFor = (gold: number, amount: number) => amount === 0 || gold + amount <= MAX_GOLD;

export function evolveInventory(inventory: PlayerInventory, event: InventoryEvent): PlayerInventory {
  const next = { ...inventory, version: inventory.version + 1 };
  switch (event.type) {
    case 'registered':
      return { ...next, registered: true };
    case 'granted': {
      let items = next.items;
      for (const [itemId, quantity] of Object.entries(event.items)) items = addItems(items, itemId, quantity);
      return { ...next, gold: next.gold + event.gold, items, grants: [...next.grants, event.grantId] };
    }
    case 'discarded':
    case 'item-sent':
      return { ...next, items: addItems(next.items, event.itemId, -event.quantity) };
    case 'used':
      return { ...next, items: addItems(next.items, event.itemId, -1) };
    case 'equipped': {
      const replaced = next.equipment[event.slot];
      const items = addItems(replaced ? addItems(next.items, replaced, 1) : next.items, event.itemId, -1);
      return { ...next, items, equipment: { ...next.equipment, [event.slot]: event.itemId } };
    }
    case 'unequipped': {
      const equipment = { ...next.equipment };
      delete equipment[event.slot];
      return { ...next, items: addItems(next.items, event.itemId, 1), equipment };
    }
    case 'gold-sent':
      return { ...next, gold: next.gold - event.amount };
    case 'gold-received':
    case 'gold-refunded':
      return { ...next, gold: next.gold + event.amount };
    case 'item-received':
    case 'item-refunded':
      return { ...next, items: addItems(next.items, event.itemId, event.quantity) };
    case 'looted': {
      let items = next.items;
      for (const [itemId, quantity] of Object.entries(event.items)) items = addItems(items, itemId, quantity);
      return { ...next, gold: next.gold + event.gold, items };
    }
    default:
      return unreachable(event);
  }
}

/** Accepted commands carry no reply: the domain's `reply` answers with the inventory after them. */
type InventoryDecision = Decision<InventoryEvent, InventoryView>;

/**
 * The inventory rules. Gold and items moving between players are two steps on two partitions: the sender
 * gives them up and sends a `receive-*` command; a receiver that cannot take them (no such player, no room,
 * too much gold) sends them back with a `refund-*` command, which the sender always accepts. So they end up
 * with exactly one of the two, once (the engine delivers each outbox command exactly once).
 */
export function decideInventory(command: InventoryCommand, inventory: PlayerInventory, context: CommandContext): InventoryDecision {
  switch (command.type) {
    case 'register':
      return acceptEvents(inventory.registered ? [] : [{ type: 'registered' }]);
    case 'receive-gold': {
      if (!inventory.registered) return bounce(command, 'no such player');
      if (!goldRoomFor(inventory.gold, command.amount)) return bounce(command, 'gold would exceed the maximum');
      return acceptEvents([{ type: 'gold-received', transferId: command.transferId, fromPlayerId: command.fromPlayerId, amount: command.amount }]);
    }
    case 'receive-item': {
      if (!inventory.registered) return bounce(command, 'no such player');
      if (!itemOf(command.itemId)) return bounce(command, `no item ${command.itemId}`);
      if (!roomFor(inventory.items, addItems(inventory.items, command.itemId, command.quantity))) return bounce(command, 'no room');
      const { transferId, fromPlayerId, itemId, quantity } = command;
      return acceptEvents([{ type: 'item-received', transferId, fromPlayerId, itemId, quantity }]);
    }
    case 'loot':
      return inventory.registered ? acceptEvents(lootCredited(inventory, command)) : reject('not_found', `player ${context.aggregateId} has no inventory`);
    // Refunds are never refused: what went out comes back, even past the bag or the gold limit.
    case 'refund-gold':
      return acceptEvents([{ type: 'gold-refunded', transferId: command.transferId, amount: command.amount, reason: command.reason }]);
    case 'refund-item': {
      const { transferId, itemId, quantity, reason } = command;
      return acceptEvents([{ type: 'item-refunded', transferId, itemId, quantity, reason }]);
    }
    default:
      if (!inventory.registered) return reject('not_found', `player ${context.aggregateId} has no inventory`);
      return decidePlayerCommand(command, inventory, context);
  }
}

type RegisteredCommand = Exclude<InventoryCommand, { type: 'register' | 'loot' | 'receive-gold' | 'receive-item' | 'refund-gold' | 'refund-item' }>;

/**
 * Loot is credited as far as it fits: gold up to the limit, each item as much as the bag takes; the rest stays
 * on the ground. Nothing credited, no event. Unknown items are dropped (a zone's loot table is not ours to trust).
 */
function lootCredited(inventory: PlayerInventory, loot: Extract<InventoryCommand, { type: 'loot' }>): InventoryEvent[] {
  const gold = Math.max(0, Math.min(loot.gold, MAX_GOLD - inventory.gold));
  const items: Record<string, number> = {};
  let bag = inventory.items;
  for (const [itemId, quantity] of Object.entries(loot.items)) {
    const item = itemOf(itemId);
    if (!item) continue;
    // Room for this item: what its own stacks still hold, plus whole free slots.
    const held = bag[itemId] ?? 0;
    const freeSlots = Math.max(0, BAG_SLOTS - slotsUsed(bag));
    const fits = Math.min(quantity, (Math.ceil(held / item.stackSize) + freeSlots) * item.stackSize - held);
    if (fits <= 0) continue;
    items[itemId] = fits;
    bag = addItems(bag, itemId, fits);
  }
  return gold > 0 || Object.keys(items).length > 0 ? [{ type: 'looted', lootId: loot.lootId, gold, items }] : [];
}

function decidePlayerCommand(command: RegisteredCommand, inventory: PlayerInventory, context: CommandContext): InventoryDecision {
  const have = (itemId: string) => inventory.items[itemId] ?? 0;
  switch (command.type) {
    case 'get':
      return acceptEvents([]);
    case 'grant': {
      if (inventory.grants.includes(command.grantId)) return acceptEvents([]);
      const unknown = Object.keys(command.items).find((itemId) => !itemOf(itemId));
      if (unknown) return reject('unknown_item', `no item ${unknown}`);
      if (!goldRoomFor(inventory.gold, command.gold)) return reject('invalid_payload', `gold would exceed ${MAX_GOLD}`);
      let items = inventory.items;
      for (const [itemId, quantity] of Object.entries(command.items)) items = addItems(items, itemId, quantity);
      if (!roomFor(inventory.items, items)) return reject('inventory_full', 'the grant does not fit in the bag');
      return acceptEvents([{ type: 'granted', grantId: command.grantId, gold: command.gold, items: command.items }]);
    }
    case 'discard':
      if (!itemOf(command.itemId)) return reject('unknown_item', `no item ${command.itemId}`);
      if (have(command.itemId) < command.quantity) return reject('insufficient_quantity', `have ${have(command.itemId)} ${command.itemId}`);
      return acceptEvents([{ type: 'discarded', itemId: command.itemId, quantity: command.quantity }]);
    case 'use': {
      const item = itemOf(command.itemId);
      if (!item) return reject('unknown_item', `no item ${command.itemId}`);
      if (item.kind !== 'consumable') return reject('invalid_payload', `${command.itemId} cannot be used`);
      if (have(command.itemId) < 1) return reject('insufficient_quantity', `have no ${command.itemId}`);
      return acceptEvents([{ type: 'used', itemId: command.itemId }]);
    }
    case 'equip': {
      const item = itemOf(command.itemId);
      if (!item) return reject('unknown_item', `no item ${command.itemId}`);
      if (!item.slot) return reject('not_equippable', `${command.itemId} has no slot`);
      if (have(command.itemId) < 1) return reject('insufficient_quantity', `have no ${command.itemId}`);
      const event: InventoryEvent = { type: 'equipped', itemId: command.itemId, slot: item.slot };
      if (!roomFor(inventory.items, evolveInventory(inventory, event).items)) return reject('inventory_full', 'no room for the item it replaces');
      return acceptEvents([event]);
    }
    case 'unequip': {
      const itemId = inventory.equipment[command.slot];
      if (!itemId) return reject('not_found', `nothing in ${command.slot}`);
      if (!roomFor(inventory.items, addItems(inventory.items, itemId, 1))) return reject('inventory_full', `no room for ${itemId}`);
      return acceptEvents([{ type: 'unequipped', itemId, slot: command.slot }]);
    }
    case 'transfer-gold': {
      if (command.toPlayerId === context.aggregateId) return reject('invalid_payload', 'cannot transfer to yourself');
      if (inventory.gold < command.amount) return reject('insufficient_gold', `have ${inventory.gold} gold`);
      const transferId = context.commandId;
      return acceptEvents(
        [{ type: 'gold-sent', transferId, toPlayerId: command.toPlayerId, amount: command.amount }],
        [
          {
            aggregateId: command.toPlayerId,
            commandId: `receive:${transferId}`,
            command: { type: 'receive-gold', transferId, fromPlayerId: context.aggregateId, amount: command.amount },
          },
        ],
      );
    }
    case 'give-item': {
      const { toPlayerId, itemId, quantity } = command;
      if (toPlayerId === context.aggregateId) return reject('invalid_payload', 'cannot give to yourself');
      if (!itemOf(itemId)) return reject('unknown_item', `no item ${itemId}`);
      if (have(itemId) < quantity) return reject('insufficient_quantity', `have ${have(itemId)} ${itemId}`);
      const transferId = context.commandId;
      return acceptEvents(
        [{ type: 'item-sent', transferId, toPlayerId, itemId, quantity }],
        [
          {
            aggregateId: toPlayerId,
            commandId: `receive:${transferId}`,
            command: { type: 'receive-item', transferId, fromPlayerId: context.aggregateId, itemId, quantity },
          },
        ],
      );
    }
    default:
      return unreachable(command);
  }
}

/**
 * A receiver that cannot take a transfer sends it back, with the reason; it records nothing itself (an unknown
 * player stays unknown: no state is made for it).
 */
function bounce(command: Extract<InventoryCommand, { type: 'receive-gold' | 'receive-item' }>, reason: string): InventoryDecision {
  const { transferId } = command;
  const refund =
    command.type === 'receive-gold'
      ? { type: 'refund-gold', transferId, amount: command.amount, reason }
      : { type: 'refund-item', transferId, itemId: command.itemId, quantity: command.quantity, reason };
  return acceptEvents([], [{ aggregateId: command.fromPlayerId, commandId: `refund:${transferId}`, command: refund }]);
}
