import { randomUUID } from 'node:crypto';
import { accountsDomain } from '@app/engine/testing';
import { LogFields, PartitionEngine } from '@app/engine';
import { KafkaCommandClient, kafkaEnginePorts } from '@app/kafka';
import { PostgresSnapshotStore } from '@app/postgres';
import { AccountsWorld, SERVICE } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';

const INTERNAL_ERROR = 'internal_error';

/** A domain with a bug: deciding a deposit of exactly 666 throws. */
function buggyDomain() {
  const domain = accountsDomain();
  return {
    ...domain,
    decide: (...args: Parameters<typeof domain.decide>) => {
      const [command] = args;
      if (command.type === 'deposit' && command.amount === 666) throw new Error('bug: the number of the beast');
      return domain.decide(...args);
    },
  };
}

/**
 * A command whose `decide` throws is refused `internal_error` and logged, so its partition keeps serving. Before, the
 * throw made the owner abandon its memory and recover, the consumed position stayed before the command, and every
 * recovery read it again: the partition never served again.
 */
describe('partition engine with a domain whose decide throws', () => {
  let world: AccountsWorld;
  let client: KafkaCommandClient;

  beforeEach(async () => {
    world = new AccountsWorld(1);
    await world.setUp();
    client = await world.client();
  });

  afterEach(() => world.tearDown());

  function startEngine() {
    const errors: string[] = [];
    const errorFields: LogFields[] = [];
    const logger = {
      log: () => undefined,
      warn: () => undefined,
      error: (message: string, fields: LogFields = {}) => {
        errors.push(message);
        errorFields.push(fields);
      },
    };
    const ports = kafkaEnginePorts({ kafka: world.kafka, admin: world.admin, topicPrefix: world.prefix, service: SERVICE, sessionTimeoutMs: 6_000 });
    const engine = new PartitionEngine({ domain: buggyDomain(), ...ports, snapshots: new PostgresSnapshotStore(world.dataSource!), logger, options: {} });
    world.onTearDown(() => engine.stop());
    return { engine, errors, errorFields };
  }

  const send = (aggregateId: string, command: unknown, commandId: string = randomUUID()) =>
    client.send(world.commandsTopic, { commandId, aggregateId, issuedAt: Date.now(), command }, 20_000);

  async function ready(engine: PartitionEngine<unknown>): Promise<void> {
    await engine.start();
    await pollUntil('engine ready', () => (engine.isReady() ? true : undefined));
  }

  it('refuses that command internal_error, logs it at error level, and serves the rest, also after a recovery', async () => {
    const first = startEngine();
    await ready(first.engine);

    const answers = await Promise.all([
      send('alice', { type: 'deposit', amount: 10 }),
      send('alice', { type: 'deposit', amount: 666 }, 'poison'),
      send('bob', { type: 'deposit', amount: 5 }),
    ]);
    expect(answers).toEqual([
      { ok: true, reply: { balance: expect.any(Number), held: 0 } },
      { ok: false, rejection: { code: INTERNAL_ERROR, message: expect.any(String) } },
      { ok: true, reply: { balance: 5, held: 0 } },
    ]);
    expect(first.errors).toEqual([expect.stringContaining('decide threw on poison for alice: Error: bug: the number of the beast')]);
    // As fields too, for logs that keep them apart (LOG_FORMAT=json): the command's id follows it from socket to owner.
    expect(first.errorFields).toEqual([{ partition: 0, commandId: 'poison', aggregateId: 'alice' }]);
    expect(await send('alice', { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 11, held: 0 } });
    // A retry gets the refusal on record without deciding again.
    expect(await send('alice', { type: 'deposit', amount: 666 }, 'poison')).toMatchObject({ ok: false, rejection: { code: INTERNAL_ERROR } });
    expect(first.errors).toHaveLength(1);

    // The next owner replays the refusal from the log; it does not decide the command again.
    await first.engine.stop();
    const second = startEngine();
    await ready(second.engine);
    expect(await send('alice', { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 12, held: 0 } });
    expect(second.errors).toEqual([]);
    const fold = await world.foldLog(0);
    expect(second.engine.fingerprint(0)?.hash).toBe(fold.hash());
  });
});
