import { deciderSpec } from '@app/engine/testing';
import { MAX_GOLD } from './catalog';
import { InventoryCommand } from './inventory-commands';
import { inventoryDomain } from './inventory-domain';
import { registered, granted, equipped, holding, view, fullOfWood } from './inventory-events.testing';
import { InventoryEvent } from './inventory';

describe('inventory', () => {
  const domain = inventoryDomain();
  const alice = deciderSpec(domain, 'alice');

  describe('state', () => {
    it('starts unregistered and empty', () => {
      alice.given([]).thenState({ registered: false, gold: 0, items: {}, equipment: {}, version: 0, grants: [] });
    });

    it('folds every event, counting them in version and dropping items at zero', () => {
      alice
        .given([
          registered,
          granted({ potion: 3, sword: 2, wood: 10, shield: 1 }, 100, 'g1'),
          { type: 'discarded', itemId: 'wood', quantity: 4 },
          { type: 'used', itemId: 'potion' },
          equipped('sword', 'weapon'),
          equipped('sword', 'weapon'),
          { type: 'unequipped', itemId: 'sword', slot: 'weapon' },
          equipped('shield', 'offhand'),
          { type: 'gold-sent', transferId: 't1', toPlayerId: 'bob', amount: 30 },
          { type: 'gold-received', transferId: 't2', fromPlayerId: 'carol', amount: 5 },
          { type: 'gold-refunded', transferId: 't1', amount: 30, reason: 'no such player' },
          { type: 'item-sent', transferId: 't3', toPlayerId: 'bob', itemId: 'potion', quantity: 2 },
          { type: 'item-received', transferId: 't4', fromPlayerId: 'carol', itemId: 'wood', quantity: 1 },
        ])
        .thenState({ registered: true, gold: 105, items: { sword: 2, wood: 7 }, equipment: { offhand: 'shield' }, version: 13, grants: ['g1'] });
    });
  });

  describe('register', () => {
    it('registers a new player', () => {
      alice
        .given([])
        .when({ type: 'register' })
        .thenAccepts([registered], view({ version: 1 }));
    });

    it('accepts a second register with no events', () => {
      alice
        .given(holding({ potion: 1 }, 5))
        .when({ type: 'register' })
        .thenAccepts([], view({ gold: 5, items: { potion: 1 }, version: 2 }));
    });
  });

  describe('get', () => {
    it('answers the current inventory and changes nothing', () => {
      alice
        .given(holding({ potion: 2 }, 7))
        .when({ type: 'get' })
        .thenAccepts([], view({ gold: 7, items: { potion: 2 }, version: 2 }));
    });
  });

  it.each<InventoryCommand>([
    { type: 'get' },
    { type: 'grant', grantId: 'g-1', gold: 1, items: {} },
    { type: 'discard', itemId: 'potion', quantity: 1 },
    { type: 'use', itemId: 'potion' },
    { type: 'equip', itemId: 'sword' },
    { type: 'unequip', slot: 'weapon' },
    { type: 'transfer-gold', toPlayerId: 'bob', amount: 1 },
    { type: 'give-item', toPlayerId: 'bob', itemId: 'potion', quantity: 1 },
  ])('refuses %j for a player who never registered', (command) => {
    alice.given([]).when(command).thenRejects('not_found');
  });

  it.each<[string, InventoryEvent[], InventoryCommand]>([
    ['register', [], { type: 'register' }],
    ['grant', holding({}), { type: 'grant', grantId: 'g-1', gold: 1, items: { potion: 1 } }],
    ['discard', holding({ wood: 1 }), { type: 'discard', itemId: 'wood', quantity: 1 }],
    ['use', holding({ potion: 1 }), { type: 'use', itemId: 'potion' }],
    ['equip', holding({ sword: 1 }), { type: 'equip', itemId: 'sword' }],
    ['unequip', [...holding({ sword: 1 }), equipped('sword', 'weapon')], { type: 'unequip', slot: 'weapon' }],
  ])('sends no command to anyone on %s', (_name, given, command) => {
    const { decision } = alice.given(given).when(command);
    expect(decision).toMatchObject({ kind: 'accepted', outbox: [] });
  });

  describe('grant', () => {
    const grant = (items: Record<string, number>, gold = 0, grantId = 'g-1'): InventoryCommand => ({ type: 'grant', grantId, gold, items });

    it('adds gold and items and replies with the inventory of the addressed player', () => {
      alice
        .given(holding({ potion: 2 }, 10))
        .when(grant({ potion: 3, wood: 1 }, 5))
        .thenAccepts([granted({ potion: 3, wood: 1 }, 5, 'g-1')], view({ gold: 15, items: { potion: 5, wood: 1 }, version: 3 }));
    });

    it('takes the playerId of the reply from the command context', () => {
      const { decision, reply } = alice.given(holding({})).when(grant({}, 1), { aggregateId: 'player-7' });
      expect(decision).toMatchObject({ kind: 'accepted' });
      expect(reply).toMatchObject({ playerId: 'player-7', gold: 1 });
    });

    it('leaves items at zero out of the reply', () => {
      alice
        .given([...holding({ potion: 1 }), { type: 'discarded', itemId: 'potion', quantity: 1 }])
        .when(grant({ wood: 2 }))
        .thenAccepts([granted({ wood: 2 }, 0, 'g-1')], view({ items: { wood: 2 }, version: 4 }));
    });

    it('grants nothing for a grantId already applied, even with other contents', () => {
      const given = [...holding({}), granted({ potion: 1 }, 5, 'g-1')];
      alice
        .given(given)
        .when(grant({ potion: 1 }, 5))
        .thenAccepts([], view({ gold: 5, items: { potion: 1 }, version: 3 }));
      alice
        .given(given)
        .when(grant({ dragon: 1, sword: 50 }, MAX_GOLD))
        .thenAccepts([], view({ gold: 5, items: { potion: 1 }, version: 3 }));
    });

    it('applies a new grantId with the same contents', () => {
      alice
        .given([...holding({}), granted({ potion: 1 }, 5, 'g-1')])
        .when(grant({ potion: 1 }, 5, 'g-2'))
        .thenAccepts([granted({ potion: 1 }, 5, 'g-2')]);
    });

    it.each(['dragon', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])('refuses the unknown item %s', (itemId) => {
      alice
        .given(holding({}))
        .when(
          grant(
            Object.fromEntries([
              ['potion', 1],
              [itemId, 1],
            ]),
          ),
        )
        .thenRejects('unknown_item');
    });

    it.each<[string, Record<string, number>, Record<string, number>]>([
      ['21 swords', {}, { sword: 21 }],
      ['1,981 wood', {}, { wood: fullOfWood + 1 }],
      ['401 potions', {}, { potion: 401 }],
      ['a second stack of potions onto 19 used slots', { sword: 19 }, { potion: 21 }],
      ['one more sword onto a bag of wood', { wood: fullOfWood }, { sword: 1 }],
    ])('refuses %s as inventory_full', (_name, have, items) => {
      alice.given(holding(have)).when(grant(items)).thenRejects('inventory_full');
    });

    it.each<[string, Record<string, number>, Record<string, number>]>([
      ['20 swords', {}, { sword: 20 }],
      ['1,980 wood', {}, { wood: fullOfWood }],
      ['one stack of potions onto 19 used slots', { sword: 19 }, { potion: 20 }],
      ['more wood into a partly filled stack of a full bag', { sword: 19, wood: 50 }, { wood: 49 }],
    ])('accepts %s exactly filling the bag', (_name, have, items) => {
      alice
        .given(holding(have))
        .when(grant(items))
        .thenAccepts([granted(items, 0, 'g-1')]);
    });

    it('does not count equipped items against the bag', () => {
      const given = [...holding({ sword: 20 }), equipped('sword', 'weapon')];
      alice
        .given(given)
        .when(grant({ shield: 1 }))
        .thenAccepts([granted({ shield: 1 }, 0, 'g-1')]);
      alice
        .given(given)
        .when(grant({ shield: 2 }))
        .thenRejects('inventory_full');
    });

    it('refuses gold past MAX_GOLD and accepts exactly up to it', () => {
      alice
        .given(holding({}, MAX_GOLD - 5))
        .when(grant({}, 6))
        .thenRejects('invalid_payload');
      alice
        .given(holding({}, MAX_GOLD - 5))
        .when(grant({}, 5))
        .thenAccepts([granted({}, 5, 'g-1')], view({ gold: MAX_GOLD, version: 3 }));
    });
  });

  describe('discard', () => {
    it('removes the quantity from the bag', () => {
      alice
        .given(holding({ wood: 10 }))
        .when({ type: 'discard', itemId: 'wood', quantity: 4 })
        .thenAccepts([{ type: 'discarded', itemId: 'wood', quantity: 4 }], view({ items: { wood: 6 }, version: 3 }));
    });

    it('removes the item once none is left', () => {
      alice
        .given(holding({ wood: 10, potion: 1 }))
        .when({ type: 'discard', itemId: 'wood', quantity: 10 })
        .thenAccepts([{ type: 'discarded', itemId: 'wood', quantity: 10 }], view({ items: { potion: 1 }, version: 3 }));
    });

    it.each<[string, string, number, string]>([
      ['an unknown item', 'dragon', 1, 'unknown_item'],
      ['more than the bag holds', 'wood', 11, 'insufficient_quantity'],
      ['an item not held', 'potion', 1, 'insufficient_quantity'],
      ['an item that is only equipped', 'sword', 1, 'insufficient_quantity'],
    ])('refuses %s', (_name, itemId, quantity, code) => {
      alice
        .given([...holding({ wood: 10, sword: 1 }), equipped('sword', 'weapon')])
        .when({ type: 'discard', itemId, quantity })
        .thenRejects(code);
    });
  });

  describe('use', () => {
    it('consumes one potion', () => {
      alice
        .given(holding({ potion: 3 }))
        .when({ type: 'use', itemId: 'potion' })
        .thenAccepts([{ type: 'used', itemId: 'potion' }], view({ items: { potion: 2 }, version: 3 }));
    });

    it('removes the last potion from the bag', () => {
      alice
        .given(holding({ potion: 1 }))
        .when({ type: 'use', itemId: 'potion' })
        .thenAccepts([{ type: 'used', itemId: 'potion' }], view({ version: 3 }));
    });

    it.each<[string, string]>([
      ['dragon', 'unknown_item'],
      ['wood', 'invalid_payload'],
      ['sword', 'invalid_payload'],
    ])('refuses to use %s: %s', (itemId, code) => {
      alice
        .given(holding({ wood: 5, sword: 1 }))
        .when({ type: 'use', itemId })
        .thenRejects(code);
    });

    it('refuses a potion not held', () => {
      alice
        .given(holding({ wood: 5 }))
        .when({ type: 'use', itemId: 'potion' })
        .thenRejects('insufficient_quantity');
    });
  });
});
