import { Kafka } from 'kafkajs';
import { EvictorClosedError, groupEvictor } from './group-evictor';

/** kafkajs's cluster as the evictor reaches it, counting what it is asked; connects and leaves wait while gated. */
function fakeCluster() {
  const calls = { connects: 0, disconnects: 0, coordinators: 0, leaves: 0 };
  const gates: { connect?: Promise<void>; leave?: Promise<void> } = {};
  let leaveAnswer: () => Promise<unknown> = async () => ({});
  const cluster = {
    connect: async () => {
      calls.connects++;
      await gates.connect;
    },
    disconnect: async () => {
      calls.disconnects++;
    },
    findGroupCoordinator: async () => {
      calls.coordinators++;
      return {
        leaveGroup: async () => {
          calls.leaves++;
          await gates.leave;
          return leaveAnswer();
        },
      };
    },
  };
  const kafka = { [Symbol('private:Kafka:createCluster')]: () => cluster } as unknown as Kafka;
  /** A promise the test resolves or rejects, held by the gate `name`. */
  const gate = (name: keyof typeof gates) => {
    let open!: () => void;
    let fail!: (error: Error) => void;
    gates[name] = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
    return { open, fail };
  };
  return { kafka, calls, gate, answerLeave: (answer: () => Promise<unknown>) => (leaveAnswer = answer) };
}

describe('groupEvictor', () => {
  it('given a member in the group, when evicted, then true; given one the coordinator no longer knows, then false', async () => {
    const { kafka, calls, answerLeave } = fakeCluster();
    const evictor = groupEvictor(kafka);
    expect(await evictor.evict('g', 'a')).toBe(true);
    answerLeave(() => Promise.reject(Object.assign(new Error('unknown member'), { type: 'UNKNOWN_MEMBER_ID' })));
    expect(await evictor.evict('g', 'b')).toBe(false);
    expect(calls).toMatchObject({ connects: 1, leaves: 2 });
    await evictor.close();
  });

  it('given it is closed, when evict or prepare is called, then each rejects with EvictorClosedError and nothing connects again', async () => {
    const { kafka, calls } = fakeCluster();
    const evictor = groupEvictor(kafka);
    await evictor.prepare('g');
    await evictor.close();
    await expect(evictor.evict('g', 'a')).rejects.toBeInstanceOf(EvictorClosedError);
    await expect(evictor.prepare('g')).rejects.toBeInstanceOf(EvictorClosedError);
    expect(calls).toEqual({ connects: 1, disconnects: 1, coordinators: 1, leaves: 0 });
  });

  it('given an eviction under way when it is closed, when that eviction fails, then it is not tried again', async () => {
    const { kafka, calls, gate } = fakeCluster();
    const evictor = groupEvictor(kafka);
    const leave = gate('leave');
    const evicting = evictor.evict('g', 'a');
    while (calls.leaves === 0) await new Promise((resolve) => setImmediate(resolve));
    await evictor.close();
    leave.fail(new Error('connection closed'));
    await expect(evicting).rejects.toBeInstanceOf(EvictorClosedError);
    expect(calls).toEqual({ connects: 1, disconnects: 1, coordinators: 1, leaves: 1 });
  });

  it('given a connect under way when it is closed, then the disconnect waits for it, so what it opened is closed', async () => {
    const { kafka, calls, gate } = fakeCluster();
    const evictor = groupEvictor(kafka);
    const connect = gate('connect');
    const preparing = evictor.prepare('g').catch((error: unknown) => error);
    const closing = evictor.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.disconnects).toBe(0);
    connect.open();
    await closing;
    await preparing;
    expect(calls.disconnects).toBe(1);
  });
});
