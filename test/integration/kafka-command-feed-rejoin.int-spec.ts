import { Admin, Kafka } from 'kafkajs';
import { groupEvictor, KafkaCommandFeed } from '@app/kafka';
import { pollUntil } from '../support/poll';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

/**
 * A member taken out of the group while alive (a wrong suspicion, or a session that expired) joins again under a new
 * member id. Whoever held its partitions meanwhile may have written to them, so the feed tells the engine it owns
 * nothing before it tells the new assignment: every partition is recovered, none is kept in memory.
 */
describe('KafkaCommandFeed after its member was evicted', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topic: string;
  let groupId: string;
  let feed: KafkaCommandFeed;

  beforeAll(async () => {
    kafka = testKafka(randomName('feed-rejoin'));
    admin = kafka.admin();
    await admin.connect();
    topic = randomName('feed-rejoin');
    groupId = `${topic}.group`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
  });

  afterAll(async () => {
    await feed?.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  it('tells an empty assignment, then the new one, when it joins again under a new member id', async () => {
    const assignments: number[][] = [];
    feed = new KafkaCommandFeed({ kafka, commandsTopic: topic, groupId, sessionTimeoutMs: 60_000 });
    await feed.start({ onAssignment: (partitions) => void assignments.push(partitions), onCommands: () => undefined });
    await pollUntil('the first assignment', () => (assignments.length === 1 ? true : undefined), 30_000);
    const { groups } = await admin.describeGroups([groupId]);
    const [member] = groups[0].members;

    const evictor = groupEvictor(kafka);
    expect(await evictor.evict(groupId, member.memberId)).toBe(true);
    await evictor.close();

    await pollUntil('the assignment after joining again', () => (assignments.length >= 3 ? true : undefined), 30_000);
    expect(assignments.slice(0, 3)).toEqual([[0, 1], [], [0, 1]]);
  });
});
