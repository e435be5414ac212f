import { DataSource } from 'typeorm';
import { AnalyticsReadModels, decodeHistoryCursor, EventsRecord, ProjectionStore } from '@app/analytics';
import { LogRecord } from '@app/engine';
import { dataSourceOptions } from '@app/postgres';
import { OwnDatabase, ownDatabase } from '../support/own-database';
import { randomName, randomSuffix } from '../support/random-names';

/** One partition's log: a claim, then `grants` grants of 1 gold each to `playerId` under it (offsets 1..grants). */
function log(grants: number, playerId = 'p1'): EventsRecord[] {
  const records: LogRecord[] = [
    { type: 'claim', owner: 'a' },
    ...Array.from({ length: grants }, (_, index): LogRecord => ({
      type: 'outcome',
      claim: 0,
      commandId: `grant:${playerId}:${index}`,
      aggregateId: playerId,
      events: [{ type: 'granted', grantId: String(index), gold: 1, items: {} }],
      outcome: { ok: true, reply: null },
      issuedAt: Date.UTC(2026, 11, 6, 5, 34),
    })),
  ];
  return records.map((record, offset) => ({ offset, timestamp: 0, value: Buffer.from(JSON.stringify(record)) }));
}

/**
 * The projection store on a real PostgreSQL, as Kafka hands it batches after a crash or during a rebalance: again,
 * overlapping, to two instances at once, or from past the stored position. Each record counts once.
 */
describe('analytics projection store', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let store: ProjectionStore;
  let readModels: AnalyticsReadModels;

  beforeAll(async () => {
    database = await ownDatabase('projection');
    const url = database.url;
    dataSource = await new DataSource(dataSourceOptions(url)).initialize();
    store = new ProjectionStore(dataSource);
    readModels = new AnalyticsReadModels(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Gold granted to p1 as projected into `topic` so far (each test has a topic of its own). */
  const grantedIn = async (topic: string) =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM "analytics_player_events" WHERE "topic" = $1`, [topic]))[0].n);

  it('projects a batch handed over again, or overlapping, once', async () => {
    const topic = randomName('events');
    const records = log(30);
    await store.project('inventory', topic, 0, 0, records.slice(0, 20));
    await store.project('inventory', topic, 0, 0, records.slice(0, 20));
    await store.project('inventory', topic, 0, 10, records.slice(10));
    expect(await grantedIn(topic)).toBe(30);
    expect(await store.positions([topic])).toEqual([{ topic, partition: 0, position: { nextOffset: 31, latestClaim: 0 } }]);
  });

  it('projects a batch two instances run at once (a rebalance) once: the position lock orders them', async () => {
    const topic = randomName('events');
    const records = log(200);
    await store.project('inventory', topic, 0, 0, records.slice(0, 1));
    const results = await Promise.all([1, 2, 3, 4].map(() => store.project('inventory', topic, 0, 1, records.slice(1))));
    expect(results.map((result) => (result.kind === 'projected' ? result.read : -1)).sort()).toEqual([0, 0, 0, 200]);
    expect(await grantedIn(topic)).toBe(200);
  });

  it('writes nothing for a batch fetched from past the stored position, and says where to read from', async () => {
    const topic = randomName('events');
    const records = log(10);
    await store.project('inventory', topic, 0, 0, records.slice(0, 5));
    expect(await store.project('inventory', topic, 0, 7, records.slice(7))).toEqual({ kind: 'gap', position: { nextOffset: 5, latestClaim: 0 } });
    expect(await grantedIn(topic)).toBe(4);
  });

  it('keeps the position where it was when the transaction fails', async () => {
    const topic = randomName('events');
    const records = log(5);
    await store.project('inventory', topic, 0, 0, records.slice(0, 3));
    // A row already there at a place this batch writes: the batch fails as a whole, rows and position alike.
    await dataSource.query(
      `INSERT INTO "analytics_player_events" ("player_id", "at", "service", "type", "event", "command_id", "topic", "partition", "offset", "event_index")
       VALUES ('p1', now(), 'inventory', 'granted', '{}', 'x', $1, 0, 4, 0)`,
      [topic],
    );
    await expect(store.project('inventory', topic, 0, 3, records.slice(3))).rejects.toThrow(/analytics_player_events_place/);
    expect(await store.positions([topic])).toEqual([{ topic, partition: 0, position: { nextOffset: 3, latestClaim: 0 } }]);
    expect(await grantedIn(topic)).toBe(3);
  });

  it('stores a lone surrogate or NUL a player put in a commandId (a transferId in events) instead of failing the batch for ever', async () => {
    const topic = randomName('events');
    const playerId = randomName('p');
    const transferId = `${playerId}:\ud800\0`;
    const sent: LogRecord = {
      type: 'outcome',
      claim: 0,
      commandId: transferId,
      aggregateId: playerId,
      events: [{ type: 'gold-sent', transferId, toPlayerId: 'p2', amount: 1 }],
      outcome: { ok: true, reply: null },
      issuedAt: Date.UTC(2026, 11, 6, 5, 34),
    };
    const records = [log(0)[0], { offset: 1, timestamp: 0, value: Buffer.from(JSON.stringify(sent)) }];
    expect(await store.project('inventory', topic, 0, 0, records)).toMatchObject({ kind: 'projected', read: 2 });
    const [entry] = (await readModels.history(playerId, undefined, 10)).events;
    expect(entry.source.commandId).toBe(`${playerId}:\ufffd\ufffd`);
    expect(entry.event).toEqual({ type: 'gold-sent', transferId: `${playerId}:\ufffd\ufffd`, toPlayerId: 'p2', amount: 1 });
  });

  it('stops a partition at a record it cannot project (an issuedAt that is no date), keeping what came before and naming why', async () => {
    const topic = randomName('events');
    const records = log(4);
    const bad = { ...(JSON.parse(records[3].value!.toString()) as object), issuedAt: 'yesterday' };
    records[3] = { ...records[3], value: Buffer.from(JSON.stringify(bad)) };
    const result = await store.project('inventory', topic, 0, 0, records);
    expect(result).toMatchObject({ kind: 'projected', read: 3, refused: { offset: 3 } });
    // Handed over again (kafkajs retries, another instance): it stays there, nothing counted twice.
    await store.project('inventory', topic, 0, 3, records.slice(3));
    expect(await grantedIn(topic)).toBe(2);
    const [state] = await store.partitions([topic]);
    expect(state.position).toEqual({ nextOffset: 3, latestClaim: 0 });
    expect(state.refused).toMatch(/^the record at offset 3 cannot be projected: the time "yesterday" is not a date/);
  });

  it('runs many batches at once that touch the same rows in opposite orders without a deadlock', async () => {
    const topic = randomName('events');
    const items = Array.from({ length: 30 }, (_, index) => `i${String(index).padStart(2, '0')}`);
    const zones = Array.from({ length: 10 }, (_, index) => `z${String(index).padStart(2, '0')}-${randomSuffix()}`);
    const minute = Date.UTC(2026, 11, 6, 5, 34);
    /** One partition's batch: every row it touches (minutes, gold, items, zones) in the order given: forward or reversed. */
    const batch = (partition: number): EventsRecord[] => {
      const order = <T>(list: T[]) => (partition % 2 === 1 ? [...list].reverse() : list);
      const everyItem = () => Object.fromEntries(order(items).map((item) => [item, 1]));
      const outcomeAt = (later: number): LogRecord => ({
        type: 'outcome',
        claim: 0,
        commandId: `c${partition}-${later}`,
        aggregateId: `p${partition}`,
        events: order([
          { type: 'granted', grantId: `gold${later}`, gold: 1, items: {} },
          { type: 'granted', grantId: `items${later}`, gold: 0, items: everyItem() },
          ...order(zones).map((zone) => ({ type: 'looted', lootId: `loot:${zone}:1:m`, gold: 0, items: everyItem() })),
        ]),
        outcome: { ok: true, reply: null },
        issuedAt: minute + later * 60_000,
      });
      const records: LogRecord[] = [{ type: 'claim', owner: 'a' }, ...order([0, 1]).map(outcomeAt)];
      return records.map((record, offset) => ({ offset, timestamp: minute, value: Buffer.from(JSON.stringify(record)) }));
    };
    const wide = await new DataSource({ ...dataSourceOptions(database.url), extra: { max: 16 } }).initialize();
    try {
      const wideStore = new ProjectionStore(wide);
      const partitions = Array.from({ length: 48 }, (_, partition) => partition);
      const results = await Promise.allSettled(partitions.map((partition) => wideStore.project('inventory', topic, partition, 0, batch(partition))));
      expect(results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
      const [loot] = await dataSource.query(`SELECT sum("quantity") AS n FROM "analytics_zone_loot_items" WHERE "zone_id" = ANY($1::text[])`, [zones]);
      expect(Number(loot.n)).toBe(partitions.length * 2 * zones.length * items.length);
    } finally {
      await wide.destroy();
    }
  });

  it('reads the economy, its minutes and the positions in one snapshot while batches commit', async () => {
    const topic = randomName('events');
    const records = log(300);
    const before = (await readModels.economy()).gold.granted;
    let writing = true;
    let reads = 0;
    // The second half waits for ten reads, so reads and commits interleave however fast either side runs.
    let tenRead!: () => void;
    const tenReads = new Promise<void>((resolve) => (tenRead = resolve));
    const writer = (async () => {
      for (let offset = 0; offset < records.length; offset += 2) {
        if (offset === records.length / 2) await tenReads;
        await store.project('inventory', topic, 0, offset, records.slice(offset, offset + 2));
      }
    })().finally(() => (writing = false));
    const torn: string[] = [];
    while (writing) {
      const { economy, partitions } = await readModels.economyAndPositions([topic]);
      if (++reads === 10) tenRead();
      const minutes = economy.perMinute.reduce((sum, minute) => sum + minute.gold.granted, 0);
      const projected = Math.max(0, (partitions[0]?.position.nextOffset ?? 1) - 1);
      if (minutes !== economy.gold.granted) torn.push(`minutes ${minutes}, total ${economy.gold.granted}`);
      if (economy.gold.granted - before !== projected) torn.push(`granted ${economy.gold.granted - before}, position says ${projected}`);
    }
    await writer;
    expect(reads).toBeGreaterThanOrEqual(10);
    expect(torn).toEqual([]);
  });

  it('pages a player history in log order', async () => {
    const topic = randomName('events');
    const playerId = randomName('p');
    await store.project('inventory', topic, 1, 0, log(5, playerId));
    const first = await readModels.history(playerId, undefined, 3);
    const rest = await readModels.history(playerId, decodeHistoryCursor(first.next!), 100);
    expect([...first.events, ...rest.events].map((entry) => [(entry.event as { grantId: string }).grantId, entry.source.offset])).toEqual([
      ['0', 1],
      ['1', 2],
      ['2', 3],
      ['3', 4],
      ['4', 5],
    ]);
    expect(rest.next).toBeNull();
  });
  it("lists a player's events oldest first by their commands' time, whichever partition was projected first, and pages them so", async () => {
    const inventoryTopic = randomName('inventory.events');
    const zoneTopic = randomName('zone.events');
    const playerId = randomName('p');
    const at = (second: number) => Date.UTC(2026, 11, 6, 5, 34, second);
    const records = (list: LogRecord[]): EventsRecord[] => list.map((record, offset) => ({ offset, timestamp: 0, value: Buffer.from(JSON.stringify(record)) }));
    const outcomeOf = (aggregateId: string, second: number, events: unknown[]): LogRecord =>
      ({ type: 'outcome', claim: 0, commandId: `c${second}`, aggregateId, events, outcome: { ok: true, reply: null }, issuedAt: at(second) }) as LogRecord;
    const claim: LogRecord = { type: 'claim', owner: 'a' };
    // Inventory's partition is projected first (its batch came in first), with the later events of both.
    await store.project(
      'inventory',
      inventoryTopic,
      2,
      0,
      records([claim, outcomeOf(playerId, 2, [{ type: 'registered' }]), outcomeOf(playerId, 4, [{ type: 'granted', grantId: 'g', gold: 1, items: {} }])]),
    );
    await store.project(
      'zone',
      zoneTopic,
      0,
      0,
      records([
        claim,
        outcomeOf('meadow', 1, [{ type: 'player-joined', playerId }]),
        outcomeOf('meadow', 3, [
          { type: 'attack-queued', playerId },
          { type: 'player-left', playerId },
        ]),
      ]),
    );
    const expected = [
      ['zone', 'player-joined'],
      ['inventory', 'registered'],
      ['zone', 'attack-queued'],
      ['zone', 'player-left'],
      ['inventory', 'granted'],
    ];
    const whole = await readModels.history(playerId, undefined, 100);
    expect(whole.events.map((entry) => [entry.service, entry.type])).toEqual(expected);
    expect(whole.next).toBeNull();
    const paged: string[][] = [];
    for (let after: string | null | undefined; after !== null;) {
      const page = await readModels.history(playerId, after === undefined ? undefined : decodeHistoryCursor(after), 1);
      paged.push(...page.events.map((entry) => [entry.service, entry.type]));
      after = page.next;
    }
    expect(paged).toEqual(expected);
  });
});
