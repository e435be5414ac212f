import { FakeKafka } from './fake-kafka.testing';
import { FollowingConsumer } from './following-consumer';

describe('FollowingConsumer', () => {
  function following(fake = new FakeKafka()) {
    const seen: string[] = [];
    const logged: string[] = [];
    const consumer = new FollowingConsumer({
      kafka: fake.kafka,
      admin: fake.admin,
      groupId: 'group',
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

  it('given messages handled, when kafkajs restarts the consumer and the group is joined again, then it seeks past the last one handled and skips what came before', async () => {
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

  it('given a crash kafkajs restarts itself, when it crashes, then no new consumer is built', async () => {
    const { fake, consumer } = following();
    await consumer.start();
    fake.consumer.crash(new Error('retriable'), true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.consumers).toHaveLength(1);
    await consumer.stop();
  });

  it('given a consumer kafkajs gave up on, when it stops for good, then a new one is built and reads on from where the old one was', async () => {
    const { fake, consumer, seen, logged } = following();
    await consumer.start();
    await fake.consumer.deliver(0, { n: 0 });
    fake.consumer.crash(new Error('not retriable'), false);
    await until(() => consumer.rebuilt === 1);
    expect(fake.consumers).toHaveLength(2);
    expect(fake.consumer.seeks).toEqual([{ topic: 'changes', partition: 0, offset: '1' }]);
    await fake.consumer.deliver(1, { n: 1 });
    expect(seen).toEqual(['{"n":0}', '{"n":1}']);
    expect(logged.join('\n')).toMatch(/stopped \(Error: not retriable\); building a new one/);
    await consumer.stop();
    expect(fake.consumer.disconnected).toBe(true);
  });

  it('given a first consumer that gives up before it joins, when started, then start rejects and nothing is rebuilt', async () => {
    const fake = new FakeKafka();
    const { consumer } = following(fake);
    const kafka = fake.kafka as unknown as { consumer: () => unknown };
    const build = kafka.consumer;
    kafka.consumer = () => {
      const built = build() as { run: () => Promise<void>; crash: (error: Error, restart: boolean) => void };
      built.run = async () => {
        setImmediate(() => built.crash(new Error('no such group'), false));
      };
      return built;
    };
    await expect(consumer.start()).rejects.toThrow('no such group');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.consumers).toHaveLength(1);
    expect(fake.consumer.disconnected).toBe(true);
  });
});
