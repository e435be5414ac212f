import { deciderSpec } from '@app/engine/testing';
import { MAX_GOLD } from './catalog';
import { inventoryCommandSchema, playerCommandSchema } from './inventory-commands';
import { inventoryDomain } from './inventory-domain';
import { InventoryEvent } from './inventory';

const registered: InventoryEvent = { type: 'registered' };
const holding = (items: Record<string, number>, gold = 0): InventoryEvent[] => [registered, { type: 'granted', grantId: 'g-seed', gold, items }];
const loot = (gold: number, items: Record<string, number> = {}) => ({ type: 'loot', lootId: 'loot:meadow:7:m01', gold, items }) as const;

describe('inventory loot (from zones)', () => {
  const alice = deciderSpec(inventoryDomain(), 'alice');

  it('credits gold and items', () => {
    alice
      .given(holding({ potion: 1 }, 10))
      .when(loot(12, { potion: 1 }))
      .thenAccepts([{ type: 'looted', lootId: 'loot:meadow:7:m01', gold: 12, items: { potion: 1 } }], {
        playerId: 'alice',
        gold: 22,
        items: { potion: 2 },
        equipment: {},
        version: 3,
      });
  });

  it('credits only what fits: gold up to the limit, items into partial stacks and free slots; the rest stays on the ground', () => {
    // 19 slots of wood and 19 potions: one potion tops up its stack, then nothing has room.
    alice
      .given(holding({ wood: 99 * 19, potion: 19 }, MAX_GOLD - 5))
      .when(loot(12, { potion: 3, wood: 1 }))
      .thenAccepts([{ type: 'looted', lootId: 'loot:meadow:7:m01', gold: 5, items: { potion: 1 } }]);
    alice
      .given(holding({ wood: 99 * 20 }, MAX_GOLD))
      .when(loot(12, { potion: 1 }))
      .thenAccepts([]);
  });

  it('leaves out items it does not know', () => {
    alice
      .given(holding({}))
      .when(loot(0, { dragon: 1, potion: 2 }))
      .thenAccepts([{ type: 'looted', lootId: 'loot:meadow:7:m01', gold: 0, items: { potion: 2 } }]);
  });

  it('refuses loot for a player without an inventory', () => {
    alice.given([]).when(loot(5)).thenRejects('not_found');
  });

  it('takes loot only from services, never from a socket: players cannot name it', () => {
    expect(inventoryCommandSchema.safeParse(loot(5, { potion: 1 })).success).toBe(true);
    expect(inventoryCommandSchema.safeParse({ ...loot(5), gold: -1 }).success).toBe(false);
    expect(playerCommandSchema.safeParse(loot(5, { potion: 1 })).success).toBe(false);
  });
});
