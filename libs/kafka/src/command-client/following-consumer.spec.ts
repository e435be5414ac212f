import { KafkaJSProtocolError } from 'kafkajs';
import { FakeKafka } from './fake-kafka.testing';
import { FollowingConsumer } from './following-consumer';

/** What kafkajs throws for Kafka's COORDINATOR_LOAD_IN_PROGRESS (its types omit the protocol fields it reads). */
const coordinatorLoading = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error("The coordinator is loading and hence can't process requests"), {
      type: 'COORDINATOR_LOAD_IN_PROGRESS',
      code: 14,
      retriable: true,
    }),
  );

describe('FollowingConsumer', () => {
  function following(fake = new FakeKafka()) {
    const seen: string[] = [];
    const logged: string[] = [];
    const consumer = new FollowingConsumer({
      kafka: fake.kafka,
      admin: fake.admin,
      group: 'changes.gateway',
      topic: 'changes',
      restartDelayMs: 1,
      eachMessage: (_partition, message) => seen.push(String(message.value)),
      log: (line) => logged.push(line),
    });
    return { fake, consumer, seen, logged };
  }
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
  };

  it('given a topic with messages, when started, then it reads from the end of every partition at start', async () => {
    const fake = new FakeKafka();
    fake.high = '7';
    const { consumer } = following(fake);
    await consumer.start();
    expect(fake.consumer.seeks).toEqual([{ topic: 'changes', partition: 0, offset: '7' }]);
    await consumer.stop();
  });

  it('tells kafkajs never to restart a crashed consumer itself (it would wait out its own dead member)', async () => {
    const { fake, consumer } = following();
    await consumer.start();
    expect(fake.consumer.config.groupId).toBe('changes.gateway');
    expect(await fake.consumer.config.retry!.restartOnFailure!(new Error('any'))).toBe(false);
    await consumer.stop();
  });

  it('given messages handled, when the group is joined again, then it seeks past the last one handled and skips what came before', async () => {
    const { fake, consumer, seen } = following();
    await consumer.start();
    await fake.consumer.deliver(0, { n: 0 });
    await fake.consumer.deliver(1, { n: 1 });
    fake.consumer.join();
    expect(fake.consumer.seeks.at(-1)).toEqual({ topic: 'changes', partition: 0, offset: '2' });
    await fake.consumer.deliver(1, { n: 1 });
    await fake.consumer.deliver(2, { n: 2 });
    expect(seen).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
    await consumer.stop();
  });

  it('given a consumer that crashed, when it stops, then a new one is built in a fresh group and reads on from where the old one was', async () => {
    const { fake, consumer, seen, logged } = following();
    await consumer.start();
    await fake.consumer.deliver(0, { n: 0 });
    fake.consumer.crash(new Error('connection refused'));
    await until(() => consumer.rebuilt === 1);
    expect(fake.consumers.map((built) => built.config.groupId)).toEqual(['changes.gateway', 'changes.gateway.1']);
    expect(fake.consumer.seeks).toEqual([{ topic: 'changes', partition: 0, offset: '1' }]);
    await fake.consumer.deliver(1, { n: 1 });
    expect(seen).toEqual(['{"n":0}', '{"n":1}']);
    expect(logged.join('\n')).toMatch(/crashed \(Error: connection refused\); building a new one/);
    await consumer.stop();
    expect(fake.consumer.disconnected).toBe(true);
    expect(fake.deletedGroups).toEqual(['changes.gateway', 'changes.gateway.1']);
  });

  it('given a first consumer that crashes before it joins, when started, then start rejects and nothing is rebuilt', async () => {
    const fake = new FakeKafka();
    const { consumer } = following(fake);
    const kafka = fake.kafka as unknown as { consumer: (config: unknown) => unknown };
    const build = kafka.consumer;
    kafka.consumer = (config) => {
      const built = build(config) as { run: () => Promise<void>; crash: (error: Error) => void };
      built.run = async () => {
        setImmediate(() => built.crash(new Error('no such group')));
      };
      return built;
    };
    await expect(consumer.start()).rejects.toThrow('no such group');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.consumers).toHaveLength(1);
    expect(fake.consumer.disconnected).toBe(true);
  });

  it('given a broker whose coordinator is still loading, when started, then it joins with a new consumer once the broker answers', async () => {
    const fake = new FakeKafka();
    const { consumer } = following(fake);
    const kafka = fake.kafka as unknown as { consumer: (config: unknown) => unknown };
    const build = kafka.consumer;
    kafka.consumer = (config) => {
      const built = build(config) as { run: () => Promise<void> };
      const run = built.run;
      if (fake.consumers.length < 3) built.run = () => Promise.reject(coordinatorLoading());
      else built.run = run;
      return built;
    };
    await consumer.start();
    expect(fake.consumers.map((built) => built.config.groupId)).toEqual(['changes.gateway', 'changes.gateway.1', 'changes.gateway.2']);
    expect(fake.consumers.slice(0, 2).every((built) => built.disconnected)).toBe(true);
    await consumer.stop();
    expect(fake.deletedGroups).toEqual(['changes.gateway.2']);
  });
});
