import { MAX_GOLD, MAX_QUANTITY } from './catalog';
import { InventoryCommand, playerCommandSchema } from './inventory-commands';
import { inventoryDomain } from './inventory-domain';

describe('inventory', () => {
  const domain = inventoryDomain();

  describe('parseCommand', () => {
    const valid: InventoryCommand[] = [
      { type: 'register' },
      { type: 'get' },
      { type: 'grant', grantId: 'g-1', gold: 0, items: {} },
      { type: 'grant', grantId: 'g'.repeat(100), gold: MAX_GOLD, items: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`item-${i}`, MAX_QUANTITY])) },
      { type: 'discard', itemId: 'potion', quantity: MAX_QUANTITY },
      { type: 'use', itemId: 'x'.repeat(64) },
      { type: 'equip', itemId: 'sword' },
      { type: 'unequip', slot: 'weapon' },
      { type: 'unequip', slot: 'offhand' },
      { type: 'transfer-gold', toPlayerId: 'b'.repeat(200), amount: MAX_GOLD },
      { type: 'give-item', toPlayerId: 'bob', itemId: 'wood', quantity: 1 },
      { type: 'receive-gold', transferId: 't-1', fromPlayerId: 'alice', amount: 1 },
      { type: 'receive-item', transferId: 't-1', fromPlayerId: 'alice', itemId: 'wood', quantity: 1 },
      { type: 'refund-gold', transferId: 't-1', amount: 1, reason: '' },
      { type: 'refund-item', transferId: 't-1', itemId: 'wood', quantity: 1, reason: 'r'.repeat(200) },
    ];

    it.each(valid)('accepts %j', (command) => expect(domain.parseCommand(command)).toEqual({ ok: true, command }));

    it.each(valid)('refuses %j with an extra field', (command) => expect(domain.parseCommand({ ...command, extra: 1 })).toMatchObject({ ok: false }));

    const discard = (quantity: unknown) => ({ type: 'discard', itemId: 'potion', quantity });
    const transfer = (amount: unknown) => ({ type: 'transfer-gold', toPlayerId: 'bob', amount });
    const grant = (fields: object) => ({ type: 'grant', grantId: 'g-1', gold: 0, items: {}, ...fields });
    it.each<[string, unknown]>([
      ['an unknown type', { type: 'steal', itemId: 'potion' }],
      ['a missing type', { itemId: 'potion', quantity: 1 }],
      ['a negative quantity', discard(-1)],
      ['a zero quantity', discard(0)],
      ['a fractional quantity', discard(1.5)],
      ['a quantity past MAX_QUANTITY', discard(MAX_QUANTITY + 1)],
      ['a quantity as text', discard('1')],
      ['a missing quantity', { type: 'discard', itemId: 'potion' }],
      ['a negative amount', transfer(-1)],
      ['a zero amount', transfer(0)],
      ['a fractional amount', transfer(0.5)],
      ['an amount past MAX_GOLD', transfer(MAX_GOLD + 1)],
      ['an infinite amount', transfer(Infinity)],
      ['a NaN amount', transfer(NaN)],
      ['a negative grant of gold', grant({ gold: -1 })],
      ['a grant of gold past MAX_GOLD', grant({ gold: MAX_GOLD + 1 })],
      ['a grant of a zero quantity', grant({ items: { potion: 0 } })],
      ['a grant of a fractional quantity', grant({ items: { potion: 0.5 } })],
      ['a grant of 65 item ids', grant({ items: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`item-${i}`, 1])) })],
      ['a grant with items as an array', grant({ items: [1] })],
      ['an empty grantId', grant({ grantId: '' })],
      ['a grantId of 101 characters', grant({ grantId: 'g'.repeat(101) })],
      ['an unknown slot', { type: 'unequip', slot: 'head' }],
      ['an item id of 65 characters', { type: 'equip', itemId: 'x'.repeat(65) }],
      ['an empty item id', { type: 'equip', itemId: '' }],
      ['a player id of 201 characters', { type: 'transfer-gold', toPlayerId: 'b'.repeat(201), amount: 1 }],
      ['an empty player id', { type: 'give-item', toPlayerId: '', itemId: 'wood', quantity: 1 }],
      ['a transferId of 201 characters', { type: 'receive-gold', transferId: 't'.repeat(201), fromPlayerId: 'alice', amount: 1 }],
      ['a refund reason of 201 characters', { type: 'refund-gold', transferId: 't-1', amount: 1, reason: 'r'.repeat(201) }],
      ['a refund without a reason', { type: 'refund-item', transferId: 't-1', itemId: 'wood', quantity: 1 }],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'register'],
      ['a number', 42],
      ['an array', [{ type: 'register' }]],
    ])('refuses %s', (_name, payload) => {
      expect(domain.parseCommand(payload)).toEqual({ ok: false, message: expect.stringMatching(/.+/) });
    });

    it('names the offending field', () => {
      expect(domain.parseCommand(discard(0))).toEqual({ ok: false, message: expect.stringContaining('quantity') });
    });
  });

  describe('playerCommandSchema', () => {
    const internal: InventoryCommand[] = [
      { type: 'register' },
      { type: 'get' },
      { type: 'grant', grantId: 'g-1', gold: 1, items: { potion: 1 } },
      { type: 'receive-gold', transferId: 't-1', fromPlayerId: 'bob', amount: 1 },
      { type: 'receive-item', transferId: 't-1', fromPlayerId: 'bob', itemId: 'wood', quantity: 1 },
      { type: 'refund-gold', transferId: 't-1', amount: 1, reason: 'no room' },
      { type: 'refund-item', transferId: 't-1', itemId: 'wood', quantity: 1, reason: 'no room' },
    ];
    const player: InventoryCommand[] = [
      { type: 'discard', itemId: 'potion', quantity: 1 },
      { type: 'use', itemId: 'potion' },
      { type: 'equip', itemId: 'sword' },
      { type: 'unequip', slot: 'weapon' },
      { type: 'transfer-gold', toPlayerId: 'bob', amount: 1 },
      { type: 'give-item', toPlayerId: 'bob', itemId: 'wood', quantity: 1 },
    ];

    it.each(internal)('refuses %j, which only the services may send', (command) => {
      expect(domain.parseCommand(command).ok).toBe(true);
      expect(playerCommandSchema.safeParse(command).success).toBe(false);
    });

    it.each(player)('accepts %j', (command) => expect(playerCommandSchema.safeParse(command)).toEqual({ success: true, data: command }));
  });
});
