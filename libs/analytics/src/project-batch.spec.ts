import { LogRecord } from '@app/engine';
import { InventoryEvent } from '@app/inventory';
import { EventsRecord, PartitionPosition, projectBatch, START_POSITION } from './project-batch';
import { EventsDomains, PROJECTED_DOMAINS } from './projected-domains';
import { ProjectedService } from './project-outcome';
import { Flows, ReadModelChanges } from './read-model-changes';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 6, 5, 34);

/** A partition's log as written: each entry gets the next offset. */
function log(...records: (LogRecord | string)[]): EventsRecord[] {
  return records.map((record, offset) => ({
    offset,
    timestamp: T0 + offset,
    value: Buffer.from(typeof record === 'string' ? record : JSON.stringify(record)),
  }));
}

const claim = (owner = 'a'): LogRecord => ({ type: 'claim', owner });
function outcome(claimOffset: number, aggregateId: string, events: unknown[], extra: Partial<LogRecord> = {}): LogRecord {
  return {
    type: 'outcome',
    claim: claimOffset,
    commandId: `c-${aggregateId}-${JSON.stringify(events).length}`,
    aggregateId,
    events,
    outcome: { ok: true, reply: null },
    issuedAt: T0,
    ...extra,
  } as LogRecord;
}
const inventory = (claimOffset: number, playerId: string, ...events: InventoryEvent[]) => outcome(claimOffset, playerId, events);

const project = (records: EventsRecord[], from: PartitionPosition = START_POSITION, service: ProjectedService = 'inventory') =>
  projectBatch(service, `${service}.events`, 3, from, records);

/** Totals per asset over every minute, as `GET /admin/economy` sums them. */
function totals(changes: ReadModelChanges): Record<string, Flows> {
  const sums: Record<string, Flows> = {};
  for (const { asset, flows } of changes.economy.values()) {
    const key = asset.kind === 'gold' ? 'gold' : asset.itemId;
    const sum = (sums[key] ??= { granted: 0, looted: 0, consumed: 0, transferred: 0 });
    for (const flow of Object.keys(flows) as (keyof Flows)[]) sum[flow] += flows[flow];
  }
  return sums;
}

describe('the analytics projection', () => {
  it('counts grants and loot into gold and items, and what was used or discarded as consumed', () => {
    const { changes } = project(
      log(
        claim(),
        inventory(0, 'p1', { type: 'granted', grantId: 'g', gold: 100, items: { potion: 3, wood: 10 } }),
        inventory(0, 'p1', { type: 'looted', lootId: 'loot:meadow:42:m01', gold: 5, items: { potion: 1 } }),
        inventory(0, 'p1', { type: 'used', itemId: 'potion' }, { type: 'discarded', itemId: 'wood', quantity: 4 }),
      ),
    );
    expect(totals(changes)).toEqual({
      gold: { granted: 100, looted: 5, consumed: 0, transferred: 0 },
      potion: { granted: 3, looted: 1, consumed: 1, transferred: 0 },
      wood: { granted: 10, looted: 0, consumed: 4, transferred: 0 },
    });
  });

  it('counts a transfer once it is received, and a send that came back as no transfer at all', () => {
    const { changes } = project(
      log(
        claim(),
        inventory(0, 'p1', { type: 'gold-sent', transferId: 't1', toPlayerId: 'p2', amount: 7 }),
        inventory(0, 'p2', { type: 'gold-received', transferId: 't1', fromPlayerId: 'p1', amount: 7 }),
        inventory(0, 'p1', { type: 'gold-sent', transferId: 't2', toPlayerId: 'nobody', amount: 9 }),
        inventory(0, 'p1', { type: 'gold-refunded', transferId: 't2', amount: 9, reason: 'no such player' }),
        inventory(0, 'p1', { type: 'item-sent', transferId: 't3', toPlayerId: 'p2', itemId: 'sword', quantity: 1 }),
        inventory(0, 'p2', { type: 'item-received', transferId: 't3', fromPlayerId: 'p1', itemId: 'sword', quantity: 1 }),
      ),
    );
    expect(totals(changes)).toEqual({
      gold: { granted: 0, looted: 0, consumed: 0, transferred: 7 },
      sword: { granted: 0, looted: 0, consumed: 0, transferred: 1 },
    });
  });

  it('does not count a record written under a superseded claim, nor one before any claim', () => {
    const { changes, counted, position } = project(
      log(
        inventory(0, 'p1', { type: 'granted', grantId: 'early', gold: 1, items: {} }),
        claim('a'),
        claim('b'),
        // Appended by owner a after b claimed the partition: it never counts.
        inventory(1, 'p1', { type: 'granted', grantId: 'stale', gold: 1000, items: {} }),
        inventory(2, 'p1', { type: 'granted', grantId: 'current', gold: 10, items: {} }),
      ),
    );
    expect(totals(changes).gold.granted).toBe(10);
    expect(changes.history.map((entry) => (entry.event as { grantId: string }).grantId)).toEqual(['current']);
    expect(counted).toBe(3);
    expect(position).toEqual({ nextOffset: 5, latestClaim: 2 });
  });

  it('skips what the stored position says was projected, and judges the rest by the stored latest claim', () => {
    const records = log(
      claim('a'),
      inventory(0, 'p1', { type: 'granted', grantId: 'g1', gold: 1, items: {} }),
      claim('b'),
      inventory(0, 'p1', { type: 'granted', grantId: 'stale', gold: 50, items: {} }),
      inventory(2, 'p1', { type: 'granted', grantId: 'g2', gold: 2, items: {} }),
    );
    const first = project(records.slice(0, 3));
    // The next batch overlaps the first: Kafka may hand records over again after a crash or a rebalance.
    const second = project(records, first.position);
    expect(totals(first.changes).gold.granted).toBe(1);
    expect(totals(second.changes).gold.granted).toBe(2);
    expect(second.read).toBe(2);
    expect(second.position).toEqual({ nextOffset: 5, latestClaim: 2 });
  });

  it('puts each event in the minute of its command, or of the Kafka timestamp when the record has no issuedAt', () => {
    const later = T0 + 3 * MINUTE + 5_000;
    const { changes } = project(
      log(
        claim(),
        outcome(0, 'p1', [{ type: 'granted', grantId: 'g1', gold: 1, items: {} }], { issuedAt: later }),
        outcome(0, 'p1', [{ type: 'granted', grantId: 'g2', gold: 2, items: {} }], { issuedAt: undefined }),
      ),
    );
    expect([...changes.economy.values()].map(({ minute, flows }) => [minute, flows.granted])).toEqual([
      [T0 + 3 * MINUTE, 1],
      [T0, 2],
    ]);
  });

  it("lists every event in its player's history with its time and source", () => {
    const sent = inventory(0, 'p1', { type: 'gold-sent', transferId: 'p1:x', toPlayerId: 'p2', amount: 3 });
    const { changes } = project(log(claim(), sent));
    expect(changes.history).toEqual([
      {
        playerId: 'p1',
        at: T0,
        service: 'inventory',
        type: 'gold-sent',
        event: { type: 'gold-sent', transferId: 'p1:x', toPlayerId: 'p2', amount: 3 },
        commandId: (sent as { commandId: string }).commandId,
        topic: 'inventory.events',
        partition: 3,
        offset: 1,
        index: 0,
      },
    ]);
  });

  it("counts a zone's kills by the loot drops of its ticks, and its loot by what the killers' inventories credited", () => {
    const loot = (tick: number, monsterId: string, playerId: string) => ({
      service: 'inventory',
      aggregateId: playerId,
      commandId: `loot:meadow:${tick}:${monsterId}`,
      issuedAt: T0,
      command: { type: 'loot', lootId: `loot:meadow:${tick}:${monsterId}`, gold: 4, items: {} },
    });
    const zone = project(
      log(
        claim(),
        outcome(0, 'meadow', [{ type: 'ticked', tick: 9, hash: 'h' }], { outbox: [loot(9, 'm01', 'p1'), loot(9, 'm02', 'p2')] }),
        outcome(0, 'meadow', [
          { type: 'player-joined', playerId: 'p3' },
          { type: 'input-received', playerId: 'p3', seq: 1, move: 'n' },
        ]),
      ),
      START_POSITION,
      'zone',
    ).changes;
    const credited = project(log(claim(), inventory(0, 'p1', { type: 'looted', lootId: 'loot:meadow:9:m01', gold: 4, items: { potion: 1 } }))).changes;
    expect(zone.zones.get('meadow')).toEqual({ kills: 2, lootGold: 0, lootItems: {} });
    expect(zone.history.map(({ playerId, service, type }) => [playerId, service, type])).toEqual([['p3', 'zone', 'player-joined']]);
    expect(credited.zones.get('meadow')).toEqual({ kills: 0, lootGold: 4, lootItems: { potion: 1 } });
  });

  it('moves past a record that does not parse without counting it, and says where it was', () => {
    const result = project(log(claim(), 'not json', inventory(0, 'p1', { type: 'granted', grantId: 'g', gold: 1, items: {} })));
    expect(result.malformed).toEqual([1]);
    expect(totals(result.changes).gold.granted).toBe(1);
    expect(result.position.nextOffset).toBe(3);
  });

  it('stores every string well-formed: a lone surrogate or NUL a player put in a commandId becomes U+FFFD', () => {
    const sent = outcome(0, 'p1', [{ type: 'gold-sent', transferId: 'p1:\ud800\0', toPlayerId: 'p2', amount: 3 }], { commandId: 'p1:\ud800\0' });
    const { changes, refused } = project(log(claim(), sent));
    expect(refused).toBeUndefined();
    expect(changes.history[0].commandId).toBe('p1:\ufffd\ufffd');
    expect(changes.history[0].event).toEqual({ type: 'gold-sent', transferId: 'p1:\ufffd\ufffd', toPlayerId: 'p2', amount: 3 });
  });

  it('counts item ids that store alike as one row', () => {
    const { changes } = project(
      log(
        claim(),
        inventory(0, 'p1', { type: 'granted', grantId: 'g1', gold: 0, items: { 'x\0': 1 } }),
        inventory(0, 'p1', { type: 'granted', grantId: 'g2', gold: 0, items: { 'x\ud800': 2 } }),
      ),
    );
    expect(totals(changes)).toEqual({ 'x\ufffd': { granted: 3, looted: 0, consumed: 0, transferred: 0 } });
  });

  describe('a record it cannot project', () => {
    const granted = (grantId: string, gold: unknown, items: unknown = {}) => ({ type: 'granted', grantId, gold, items });
    const poisoned: [string, LogRecord, RegExp][] = [
      ['an issuedAt that is no date', outcome(0, 'p1', [granted('g2', 5)], { issuedAt: 'yesterday' as unknown as number }), /time "yesterday" is not a date/],
      ['an issuedAt out of any calendar', outcome(0, 'p1', [granted('g2', 5)], { issuedAt: 8.64e15 }), /is not a date/],
      ['an amount that is no number', outcome(0, 'p1', [granted('g2', '5')]), /granted amount is not a whole number/],
      ['items that are no object', outcome(0, 'p1', [granted('g2', 0, null)]), /cannot convert undefined or null/i],
      ['an event that is null', outcome(0, 'p1', [granted('g2', 1), null]), /null/],
    ];

    it.each(poisoned)('is refused at its offset (%s): the batch is projected up to it, none of it counts, the position stays there', (_name, bad, reason) => {
      const result = project(
        log(
          claim(),
          inventory(0, 'p1', { type: 'granted', grantId: 'g1', gold: 1, items: {} }),
          bad,
          inventory(0, 'p1', { type: 'granted', grantId: 'g3', gold: 3, items: {} }),
        ),
      );
      expect(result.refused).toEqual({ offset: 2, reason: expect.stringMatching(/^the record at offset 2 cannot be projected: /) });
      expect(result.refused!.reason).toMatch(reason);
      expect(totals(result.changes).gold.granted).toBe(1);
      expect(result.changes.history.map((entry) => (entry.event as { grantId: string }).grantId)).toEqual(['g1']);
      expect(result.position).toEqual({ nextOffset: 2, latestClaim: 0 });
      expect(result.read).toBe(2);
    });

    it('is refused too when a zone event names no player', () => {
      const result = project(log(claim(), outcome(0, 'meadow', [{ type: 'player-joined', playerId: 42 }])), START_POSITION, 'zone');
      expect(result.refused).toEqual({ offset: 1, reason: expect.stringMatching(/the player id is not a string \(42\)/) });
    });
  });

  describe('domain event versions', () => {
    /** Inventory at events version 2: a version-1 `granted` said `coins` where version 2 says `gold`. */
    const inventoryAtVersion2: EventsDomains = {
      ...PROJECTED_DOMAINS,
      inventory: {
        service: 'inventory',
        eventUpcasters: [
          (event) => {
            const { coins, ...rest } = event as { type: string; coins?: number };
            return rest.type === 'granted' ? { ...rest, gold: coins } : event;
          },
        ],
      },
    };
    const oldGrant = (gold: number, eventsVersion?: number) =>
      outcome(
        0,
        'p1',
        [{ type: 'granted', grantId: `g${gold}`, coins: gold, items: {} }],
        eventsVersion === undefined ? {} : ({ v: 1, eventsVersion } as Partial<LogRecord>),
      );
    const grant = (gold: number, eventsVersion: number) =>
      outcome(0, 'p1', [{ type: 'granted', grantId: `g${gold}`, gold, items: {} }], { v: 1, eventsVersion } as Partial<LogRecord>);

    it("reads an outcome's events through the domain's upcasters, as replay does", () => {
      const { changes, refused } = projectBatch(
        'inventory',
        'inventory.events',
        0,
        START_POSITION,
        log(claim(), oldGrant(5, 1), oldGrant(7), grant(11, 2)),
        inventoryAtVersion2,
      );
      expect(refused).toBeUndefined();
      expect(totals(changes).gold.granted).toBe(23);
      // The history holds the event as the current version says it.
      expect(changes.history[0].event).toEqual({ type: 'granted', grantId: 'g5', gold: 5, items: {} });
    });

    it('stops at events of a version newer than it knows: projects what came before, keeps the position at that record', () => {
      const result = project(
        log(
          claim(),
          inventory(0, 'p1', { type: 'granted', grantId: 'g1', gold: 1, items: {} }),
          grant(1000, 2),
          inventory(0, 'p1', { type: 'granted', grantId: 'g3', gold: 3, items: {} }),
        ),
      );
      expect(result.refused).toEqual({ offset: 2, reason: expect.stringMatching(/inventory events of version 2; this code knows versions 1 to 1/) });
      expect(totals(result.changes).gold.granted).toBe(1);
      expect(result.position).toEqual({ nextOffset: 2, latestClaim: 0 });
      expect(result.read).toBe(2);
    });

    it('does not refuse a newer record that does not count under the claim rule (replay never reads its events)', () => {
      const result = project(
        log(
          claim('a'),
          claim('b'),
          outcome(0, 'p1', [{ type: 'granted', grantId: 'x', gold: 9, items: {} }], { v: 1, eventsVersion: 9 } as Partial<LogRecord>),
        ),
      );
      expect(result.refused).toBeUndefined();
      expect(result.position.nextOffset).toBe(3);
    });

    it('stops at a record of a newer format too, instead of passing it over as malformed', () => {
      const result = project(log(claim(), JSON.stringify({ v: 99, type: 'outcome', claim: 0 })));
      expect(result.refused).toEqual({ offset: 1, reason: expect.stringMatching(/of format 99/) });
      expect(result.malformed).toEqual([]);
      expect(result.position.nextOffset).toBe(1);
    });
  });
});
