import { Decision, OutgoingCommand } from '@app/engine';
import { deciderSpec } from '@app/engine/testing';
import { MAX_GOLD } from './catalog';
import { InventoryCommand } from './inventory-commands';
import { inventoryDomain } from './inventory-domain';
import { InventoryEvent, InventoryView, PlayerInventory } from './inventory';

const registered: InventoryEvent = { type: 'registered' };
const holding = (items: Record<string, number>, gold = 0): InventoryEvent[] => [registered, { type: 'granted', grantId: 'g-seed', gold, items }];
const view = (playerId: string, { gold = 0, items = {}, equipment = {}, version }: Partial<InventoryView> & { version: number }): InventoryView => ({
  playerId,
  gold,
  items,
  equipment,
  version,
});
const swordEquipped: InventoryEvent = { type: 'equipped', itemId: 'sword', slot: 'weapon' };
const outboxOf = (decision: Decision<InventoryEvent, InventoryView, PlayerInventory>) => (decision.kind === 'accepted' ? decision.outbox : undefined);
const fullOfWood = 99 * 20;

describe('inventory transfers', () => {
  const domain = inventoryDomain();
  const alice = deciderSpec(domain, 'alice');
  const bob = deciderSpec(domain, 'bob');

  describe('transfer-gold', () => {
    const transfer: InventoryCommand = { type: 'transfer-gold', toPlayerId: 'bob', amount: 40 };

    it('debits the sender and sends exactly one receive-gold named after the command', () => {
      const decision = alice
        .given(holding({}, 100))
        .when(transfer, { commandId: 'tx-1' })
        .thenAccepts([{ type: 'gold-sent', transferId: 'tx-1', toPlayerId: 'bob', amount: 40 }], view('alice', { gold: 60, version: 3 }));
      expect(outboxOf(decision)).toEqual([
        { aggregateId: 'bob', commandId: 'receive:tx-1', command: { type: 'receive-gold', transferId: 'tx-1', fromPlayerId: 'alice', amount: 40 } },
      ]);
    });

    it('sends all the gold there is', () => {
      alice
        .given(holding({}, 40))
        .when(transfer)
        .thenAccepts([{ type: 'gold-sent', transferId: 'command-1', toPlayerId: 'bob', amount: 40 }], view('alice', { version: 3 }));
    });

    it('refuses more than the gold there is', () => {
      alice.given(holding({}, 39)).when(transfer).thenRejects('insufficient_gold');
    });

    it('refuses a transfer to yourself', () => {
      alice.given(holding({}, 100)).when({ type: 'transfer-gold', toPlayerId: 'alice', amount: 1 }).thenRejects('invalid_payload');
    });
  });

  describe('give-item', () => {
    const give = (itemId: string, quantity: number, toPlayerId = 'bob'): InventoryCommand => ({ type: 'give-item', toPlayerId, itemId, quantity });
    const given = [...holding({ wood: 10, sword: 1 }), swordEquipped];

    it('takes the items from the bag and sends exactly one receive-item named after the command', () => {
      const decision = alice
        .given(given)
        .when(give('wood', 4), { commandId: 'gift-1' })
        .thenAccepts(
          [{ type: 'item-sent', transferId: 'gift-1', toPlayerId: 'bob', itemId: 'wood', quantity: 4 }],
          view('alice', { items: { wood: 6 }, equipment: { weapon: 'sword' }, version: 4 }),
        );
      expect(outboxOf(decision)).toEqual([
        {
          aggregateId: 'bob',
          commandId: 'receive:gift-1',
          command: { type: 'receive-item', transferId: 'gift-1', fromPlayerId: 'alice', itemId: 'wood', quantity: 4 },
        },
      ]);
    });

    it.each<[string, InventoryCommand, string]>([
      ['an unknown item', give('dragon', 1), 'unknown_item'],
      ['more than the bag holds', give('wood', 11), 'insufficient_quantity'],
      ['an item not held', give('potion', 1), 'insufficient_quantity'],
      ['an item that is only equipped', give('sword', 1), 'insufficient_quantity'],
      ['a gift to yourself', give('wood', 1, 'alice'), 'invalid_payload'],
    ])('refuses %s', (_name, command, code) => {
      alice.given(given).when(command).thenRejects(code);
    });
  });

  it.each<[string, InventoryEvent[], InventoryCommand]>([
    ['gold', holding({}, 100), { type: 'transfer-gold', toPlayerId: 'bob', amount: 40 }],
    ['items', holding({ wood: 10 }), { type: 'give-item', toPlayerId: 'bob', itemId: 'wood', quantity: 4 }],
  ])('sends the same %s again when the same command is decided again, in a shape the receiver parses', (_name, given, command) => {
    const first = alice.given(given).when(command, { commandId: 'tx-1', issuedAt: 1 }).decision;
    const retried = alice.given(given).when(command, { commandId: 'tx-1', issuedAt: 2 }).decision;
    expect(retried).toEqual(first);
    const [sent] = outboxOf(first)!;
    expect(domain.parseCommand(JSON.parse(JSON.stringify(sent.command)))).toEqual({ ok: true, command: sent.command });
  });

  describe('receive-gold', () => {
    const receive = (amount: number): InventoryCommand => ({ type: 'receive-gold', transferId: 'tx-1', fromPlayerId: 'alice', amount });

    it.each([
      ['some gold', 5, 45],
      ['gold up to exactly MAX_GOLD', MAX_GOLD - 40, MAX_GOLD],
    ])('credits %s and sends nothing', (_name, amount, gold) => {
      const decision = bob
        .given(holding({}, 40))
        .when(receive(amount), { commandId: 'receive:tx-1' })
        .thenAccepts([{ type: 'gold-received', transferId: 'tx-1', fromPlayerId: 'alice', amount }], view('bob', { gold, version: 3 }));
      expect(outboxOf(decision)).toEqual([]);
    });

    it.each<[string, InventoryEvent[], InventoryView, RegExp]>([
      ['an unregistered receiver', [], view('bob', { version: 0 }), /no such player/],
      ['gold past MAX_GOLD', holding({}, MAX_GOLD - 4), view('bob', { gold: MAX_GOLD - 4, version: 2 }), /maximum/],
    ])('sends the gold back to the sender for %s, recording nothing', (_name, given, unchanged, reason) => {
      const decision = bob.given(given).when(receive(5)).thenAccepts([], unchanged);
      expect(outboxOf(decision)).toEqual([
        {
          aggregateId: 'alice',
          commandId: 'refund:tx-1',
          command: { type: 'refund-gold', transferId: 'tx-1', amount: 5, reason: expect.stringMatching(reason) },
        },
      ]);
    });
  });

  describe('receive-item', () => {
    const receive = (itemId: string, quantity: number): InventoryCommand => ({
      type: 'receive-item',
      transferId: 'gift-1',
      fromPlayerId: 'alice',
      itemId,
      quantity,
    });

    it('credits the items and sends nothing', () => {
      const decision = bob
        .given(holding({ wood: 1 }))
        .when(receive('wood', 4))
        .thenAccepts(
          [{ type: 'item-received', transferId: 'gift-1', fromPlayerId: 'alice', itemId: 'wood', quantity: 4 }],
          view('bob', { items: { wood: 5 }, version: 3 }),
        );
      expect(outboxOf(decision)).toEqual([]);
    });

    it('credits items that exactly fill the bag', () => {
      bob
        .given(holding({ sword: 19 }))
        .when(receive('potion', 20))
        .thenAccepts([{ type: 'item-received', transferId: 'gift-1', fromPlayerId: 'alice', itemId: 'potion', quantity: 20 }]);
    });

    it.each<[string, InventoryEvent[], string, number, RegExp]>([
      ['an unregistered receiver', [], 'wood', 4, /no such player/],
      ['an unknown item', holding({}), 'dragon', 4, /dragon/],
      ['a bag with no room', holding({ sword: 19 }), 'potion', 21, /no room/],
      ['a full bag', holding({ wood: fullOfWood }), 'sword', 1, /no room/],
    ])('sends the items back to the sender for %s, recording nothing', (_name, given, itemId, quantity, reason) => {
      const { decision, reply } = bob.given(given).when(receive(itemId, quantity));
      expect(decision).toMatchObject({ kind: 'accepted', events: [] });
      expect(reply).toMatchObject({ version: given.length });
      expect(outboxOf(decision)).toEqual([
        {
          aggregateId: 'alice',
          commandId: 'refund:gift-1',
          command: { type: 'refund-item', transferId: 'gift-1', itemId, quantity, reason: expect.stringMatching(reason) },
        },
      ]);
    });
  });

  describe('refunds', () => {
    it.each<[string, InventoryEvent[], number]>([
      ['some gold', holding({}, 10), 15],
      ['gold past MAX_GOLD', holding({}, MAX_GOLD), MAX_GOLD + 5],
    ])('gives back %s, whatever the limit', (_name, given, gold) => {
      const decision = alice
        .given(given)
        .when({ type: 'refund-gold', transferId: 'tx-1', amount: 5, reason: 'no such player' })
        .thenAccepts([{ type: 'gold-refunded', transferId: 'tx-1', amount: 5, reason: 'no such player' }], view('alice', { gold, version: 3 }));
      expect(outboxOf(decision)).toEqual([]);
    });

    it.each<[string, Record<string, number>]>([
      ['into a bag with room', {}],
      ['past the bag capacity', { wood: fullOfWood }],
    ])('gives back items %s', (_name, items) => {
      alice
        .given(holding(items))
        .when({ type: 'refund-item', transferId: 'gift-1', itemId: 'sword', quantity: 2, reason: 'no room' })
        .thenAccepts(
          [{ type: 'item-refunded', transferId: 'gift-1', itemId: 'sword', quantity: 2, reason: 'no room' }],
          view('alice', { items: { ...items, sword: 2 }, version: 3 }),
        );
    });
  });

  describe('a whole transfer, folded across both players', () => {
    type World = Map<string, PlayerInventory>;
    const fold = (playerId: string, events: InventoryEvent[]) => events.reduce(domain.evolve, domain.initial(playerId));

    /** Decides `first`, then delivers every outbox command through JSON and the parser, as the engine would; returns what was decided where. */
    function play(world: World, first: OutgoingCommand): string[] {
      const trail: string[] = [];
      const queue = [first];
      while (queue.length > 0 && trail.length < 10) {
        const next = queue.shift()!;
        const parsed = domain.parseCommand(JSON.parse(JSON.stringify(next.command)));
        if (!parsed.ok) throw new Error(`unparseable ${JSON.stringify(next)}: ${parsed.message}`);
        const state = world.get(next.aggregateId) ?? domain.initial(next.aggregateId);
        const decision = domain.decide(parsed.command, state, { aggregateId: next.aggregateId, commandId: next.commandId, issuedAt: 0 });
        if (decision.kind === 'rejected') throw new Error(`${next.commandId} rejected: ${decision.rejection.code}`);
        if (decision.events.length > 0 || world.has(next.aggregateId)) world.set(next.aggregateId, decision.events.reduce(domain.evolve, state));
        queue.push(...decision.outbox);
        trail.push(`${next.aggregateId}:${parsed.command.type}`);
      }
      return trail;
    }

    const goldOf = (world: World) => [...world.values()].reduce((sum, p) => sum + p.gold, 0);
    const countOf = (world: World, itemId: string) =>
      [...world.values()].reduce((sum, p) => sum + (p.items[itemId] ?? 0) + Object.values(p.equipment).filter((id) => id === itemId).length, 0);

    it.each<[string, InventoryEvent[], string[], number, number]>([
      ['credits a registered receiver', holding({}, 7), ['alice:transfer-gold', 'bob:receive-gold'], 60, 47],
      ['refunds when the receiver is unknown', [], ['alice:transfer-gold', 'bob:receive-gold', 'alice:refund-gold'], 100, 0],
      [
        'refunds when the receiver would pass MAX_GOLD',
        holding({}, MAX_GOLD - 39),
        ['alice:transfer-gold', 'bob:receive-gold', 'alice:refund-gold'],
        100,
        MAX_GOLD - 39,
      ],
    ])('gold: %s, conserving the total', (_name, bobEvents, trail, aliceGold, bobGold) => {
      const world: World = new Map([['alice', fold('alice', holding({}, 100))]]);
      if (bobEvents.length > 0) world.set('bob', fold('bob', bobEvents));
      const before = goldOf(world);

      expect(play(world, { aggregateId: 'alice', commandId: 'tx-1', command: { type: 'transfer-gold', toPlayerId: 'bob', amount: 40 } })).toEqual(trail);

      expect(goldOf(world)).toBe(before);
      expect(world.get('alice')?.gold).toBe(aliceGold);
      expect(world.get('bob')?.gold ?? 0).toBe(bobGold);
    });

    it.each<[string, InventoryEvent[], string[], number, number]>([
      ['credits a receiver with room', holding({}), ['alice:give-item', 'bob:receive-item'], 0, 2],
      ['refunds when the receiver is unknown', [], ['alice:give-item', 'bob:receive-item', 'alice:refund-item'], 2, 0],
      ['refunds when the receiver has room for one only', holding({ wood: 99 * 19 }), ['alice:give-item', 'bob:receive-item', 'alice:refund-item'], 2, 0],
    ])('items: %s, conserving the count', (_name, bobEvents, trail, aliceSwords, bobSwords) => {
      const world: World = new Map([['alice', fold('alice', [...holding({ sword: 3 }), swordEquipped])]]);
      if (bobEvents.length > 0) world.set('bob', fold('bob', bobEvents));
      const before = countOf(world, 'sword');

      expect(
        play(world, { aggregateId: 'alice', commandId: 'gift-1', command: { type: 'give-item', toPlayerId: 'bob', itemId: 'sword', quantity: 2 } }),
      ).toEqual(trail);

      expect(countOf(world, 'sword')).toBe(before);
      expect(world.get('alice')?.items.sword ?? 0).toBe(aliceSwords);
      expect(world.get('bob')?.items.sword ?? 0).toBe(bobSwords);
      expect(world.get('alice')?.equipment).toEqual({ weapon: 'sword' });
    });
  });
});
