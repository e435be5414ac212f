import { DataSource } from 'typeorm';
import { BatchResult, EventsProjector, EventsRecord, ProjectedService, ProjectionStore } from '@app/analytics';
import { eventsTopicOf } from '@app/kafka';
import { dataSourceOptions } from '@app/postgres';
import { ownDatabase } from '../support/own-database';
import { provisionedTopics } from '../support/provisioned-topics';
import { testKafka } from '../support/test-kafka';

/** The real store, holding each batch until the test lets it go, and saying when one committed. */
class HeldStore extends ProjectionStore {
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  private onEntered!: (lastOffset: number) => void;
  /** The last offset of the first batch handed over, once it is. */
  readonly entered = new Promise<number>((resolve) => (this.onEntered = resolve));
  committed: BatchResult[] = [];

  override async project(service: ProjectedService, topic: string, partition: number, fetchedFrom: number, records: EventsRecord[]): Promise<BatchResult> {
    this.onEntered(records[records.length - 1].offset);
    await this.released;
    const result = await super.project(service, topic, partition, fetchedFrom, records);
    this.committed.push(result);
    return result;
  }

  letGo(): void {
    this.release();
  }
}

/**
 * SIGTERM stops the projector (apps/analytics: onApplicationShutdown): a batch in flight is one PostgreSQL transaction,
 * and leaving the group waits for it, so it is either all written with its position or (the process killed, the
 * transaction failed) not at all. The kill -9 side is analytics-exactly-once.int-spec.ts; the failed transaction
 * analytics-projection-store.int-spec.ts.
 */
describe('analytics: stopping with a batch in flight', () => {
  it('finishes the batch, position and rows in one transaction, before it leaves the group', async () => {
    const database = await ownDatabase('analytics_stop');
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    const topics = await provisionedTopics(1);
    const producer = testKafka(`${topics.prefix}writer`).producer();
    try {
      const topic = eventsTopicOf(topics.prefix, 'inventory');
      const grant = (index: number) => ({
        v: 1,
        type: 'outcome',
        claim: 0,
        commandId: `g${index}`,
        aggregateId: 'p1',
        events: [{ type: 'granted', grantId: `g${index}`, gold: 1, items: {} }],
        eventsVersion: 1,
        outcome: { ok: true, reply: null },
        issuedAt: Date.now(),
      });
      await producer.connect();
      await producer.send({
        topic,
        messages: [{ v: 1, type: 'claim', owner: 'a' }, ...Array.from({ length: 50 }, (_, index) => grant(index))].map((record) => ({
          partition: 0,
          value: JSON.stringify(record),
        })),
      });
      const store = new HeldStore(dataSource);
      const projector = new EventsProjector({
        kafka: testKafka(`${topics.prefix}analytics`),
        store,
        topicPrefix: topics.prefix,
        sessionTimeoutMs: 6_000,
        partitionsAtOnce: 1,
        log: { log: () => undefined, warn: () => undefined, error: () => undefined },
      });
      await projector.start();
      const lastOffset = await store.entered;
      const stopping = projector.stop();
      store.letGo();
      await stopping;
      // Stopped: the batch it held committed whole, rows and position together.
      expect(store.committed).toEqual([expect.objectContaining({ kind: 'projected', position: { nextOffset: lastOffset + 1, latestClaim: 0 } })]);
      expect(await store.positions([topic])).toEqual([{ topic, partition: 0, position: { nextOffset: lastOffset + 1, latestClaim: 0 } }]);
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM "analytics_player_events"`);
      expect(count).toBe(lastOffset);
    } finally {
      await producer.disconnect();
      await topics.remove();
      await dataSource.destroy();
      await database.drop();
    }
  });
});
