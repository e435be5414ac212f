import { itemRows, slotRows } from './inventory-rows';

describe('inventory rows', () => {
  const inventory = { playerId: 'p', gold: 5, items: { wood: 3, potion: 2, sword: 1, gone: 0 }, equipment: { offhand: 'shield' }, version: 4 };

  it('lists the bag by item id, potions to use, equipment to equip, materials to keep', () => {
    expect(itemRows(inventory)).toEqual([
      { itemId: 'potion', quantity: 2, action: 'use' },
      { itemId: 'sword', quantity: 1, action: 'equip' },
      { itemId: 'wood', quantity: 3 },
    ]);
  });

  it('lists every slot, filled or empty', () => {
    expect(slotRows(inventory)).toEqual([{ slot: 'weapon' }, { slot: 'offhand', itemId: 'shield' }]);
  });
});
