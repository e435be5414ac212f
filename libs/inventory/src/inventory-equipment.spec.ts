import { deciderSpec } from '@app/engine/testing';
import { inventoryDomain } from './inventory-domain';
import { granted, equipped, holding, view, fullOfWood } from './inventory-events.testing';

describe('inventory equipment', () => {
  const alice = deciderSpec(inventoryDomain(), 'alice');

  describe('equip', () => {
    it('moves a sword from the bag to the weapon slot', () => {
      alice
        .given(holding({ sword: 1, wood: 3 }))
        .when({ type: 'equip', itemId: 'sword' })
        .thenAccepts([equipped('sword', 'weapon')], view({ items: { wood: 3 }, equipment: { weapon: 'sword' }, version: 3 }));
    });

    it('puts a shield in the offhand, keeping the weapon', () => {
      alice
        .given([...holding({ sword: 1, shield: 1 }), equipped('sword', 'weapon')])
        .when({ type: 'equip', itemId: 'shield' })
        .thenAccepts([equipped('shield', 'offhand')], view({ items: {}, equipment: { weapon: 'sword', offhand: 'shield' }, version: 4 }));
    });

    it('swaps the item in the slot back into the bag', () => {
      alice
        .given([...holding({ sword: 2 }), equipped('sword', 'weapon')])
        .when({ type: 'equip', itemId: 'sword' })
        .thenAccepts([equipped('sword', 'weapon')], view({ items: { sword: 1 }, equipment: { weapon: 'sword' }, version: 4 }));
    });

    it.each<[string, string]>([
      ['dragon', 'unknown_item'],
      ['wood', 'not_equippable'],
      ['potion', 'not_equippable'],
      ['shield', 'insufficient_quantity'],
    ])('refuses to equip %s: %s', (itemId, code) => {
      alice
        .given(holding({ wood: 5, potion: 1 }))
        .when({ type: 'equip', itemId })
        .thenRejects(code);
    });

    it('refuses an item that is only equipped already', () => {
      alice
        .given([...holding({ sword: 1 }), equipped('sword', 'weapon')])
        .when({ type: 'equip', itemId: 'sword' })
        .thenRejects('insufficient_quantity');
    });

    // Refunds may leave a bag past its size; that must not block what leaves the bag no fuller.
    it('swaps in a bag that refunds overfilled, since a swap takes no more room', () => {
      alice
        .given([
          ...holding({ sword: 2 }),
          equipped('sword', 'weapon'),
          { type: 'item-refunded', transferId: 't1', itemId: 'wood', quantity: fullOfWood, reason: 'no room' },
        ])
        .when({ type: 'equip', itemId: 'sword' })
        .thenAccepts([{ type: 'equipped', itemId: 'sword', slot: 'weapon' }]);
    });

    it('equips into an empty slot of a bag that refunds overfilled, freeing room', () => {
      alice
        .given([...holding({ sword: 1 }), { type: 'item-refunded', transferId: 't1', itemId: 'wood', quantity: fullOfWood, reason: 'no room' }])
        .when({ type: 'equip', itemId: 'sword' })
        .thenAccepts([{ type: 'equipped', itemId: 'sword', slot: 'weapon' }]);
    });
  });

  describe('unequip', () => {
    const swordEquipped = [...holding({ sword: 1, wood: 99 * 19 }), equipped('sword', 'weapon')];

    it('moves the item back into the last free slot of the bag', () => {
      alice
        .given(swordEquipped)
        .when({ type: 'unequip', slot: 'weapon' })
        .thenAccepts([{ type: 'unequipped', itemId: 'sword', slot: 'weapon' }], view({ items: { sword: 1, wood: 99 * 19 }, equipment: {}, version: 4 }));
    });

    it('refuses an empty slot', () => {
      alice.given(swordEquipped).when({ type: 'unequip', slot: 'offhand' }).thenRejects('not_found');
    });

    it('refuses when the bag is full', () => {
      alice
        .given([...swordEquipped, granted({ wood: 1 }, 0, 'g-2')])
        .when({ type: 'unequip', slot: 'weapon' })
        .thenRejects('inventory_full');
    });
  });
});
