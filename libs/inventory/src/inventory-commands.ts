import { z } from 'zod';
import { MAX_GOLD, MAX_QUANTITY, SLOTS } from './catalog';

const id = z.string().min(1).max(200);
/** Any item id a client may name; whether it exists is a rule (`unknown_item`), not a shape. */
const itemId = z.string().min(1).max(64);
const quantity = z.number().int().positive().max(MAX_QUANTITY);
const gold = z.number().int().positive().max(MAX_GOLD);
const reason = z.string().max(200);

/** What a grant carries; an admin's grant body (PROTOCOL.md) is these fields, gold and items optional. */
export const grantFields = {
  grantId: z.string().min(1).max(100),
  gold: z.number().int().min(0).max(MAX_GOLD),
  items: z.record(itemId, quantity).refine((items) => Object.keys(items).length <= 64, 'at most 64 item ids'),
};

/** What a player may send over the socket (PROTOCOL.md `inventory:command`, without its commandId). */
export const playerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('discard'), itemId, quantity }).strict(),
  z.object({ type: z.literal('use'), itemId }).strict(),
  z.object({ type: z.literal('equip'), itemId }).strict(),
  z.object({ type: z.literal('unequip'), slot: z.enum(SLOTS) }).strict(),
  z.object({ type: z.literal('transfer-gold'), toPlayerId: id, amount: gold }).strict(),
  z.object({ type: z.literal('give-item'), toPlayerId: id, itemId, quantity }).strict(),
]);

/** Everything the inventory service decides: player commands, plus those the gateway and other partitions send. */
export const inventoryCommandSchema = z.discriminatedUnion('type', [
  ...playerCommandSchema.options,
  z.object({ type: z.literal('register') }).strict(),
  /** A read through the owner: its reply reflects every command acknowledged before it. */
  z.object({ type: z.literal('get') }).strict(),
  z.object({ type: z.literal('grant'), ...grantFields }).strict(),
  /** A zone's loot drop for its killer; sent through the zone's outbox, so it comes exactly once. */
  z
    .object({
      type: z.literal('loot'),
      lootId: id,
      gold: z.number().int().min(0).max(MAX_GOLD),
      items: z.record(itemId, quantity).refine((items) => Object.keys(items).length <= 16, 'at most 16 item ids'),
    })
    .strict(),
  z.object({ type: z.literal('receive-gold'), transferId: id, fromPlayerId: id, amount: gold }).strict(),
  z.object({ type: z.literal('receive-item'), transferId: id, fromPlayerId: id, itemId, quantity }).strict(),
  z.object({ type: z.literal('refund-gold'), transferId: id, amount: gold, reason }).strict(),
  z.object({ type: z.literal('refund-item'), transferId: id, itemId, quantity, reason }).strict(),
]);

export type PlayerCommand = z.infer<typeof playerCommandSchema>;
export type InventoryCommand = z.infer<typeof inventoryCommandSchema>;
