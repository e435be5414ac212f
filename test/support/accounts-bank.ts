import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Outcome, PartitionState } from '@app/engine';
import { KafkaCommandClient } from '@app/kafka';
import { AccountsWorld } from './accounts-fixture';
import { pollUntil } from './poll';

/** The partitions of an `AccountsWorld(2)`. */
export const PARTITIONS = [0, 1];

/** The partition the shared (murmur2) partitioner gives a key on a 2-partition topic, as the client's producer does. */
function partitionOf(key: string): number {
  const partitionMetadata = PARTITIONS.map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  return Partitioners.DefaultPartitioner()({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** `count` account ids whose commands land on `partition`. */
export function accountsOn(partition: number, count: number, tag = 'acct'): string[] {
  const found: string[] = [];
  for (let index = 0; found.length < count; index++) {
    if (partitionOf(`${tag}-${index}`) === partition) found.push(`${tag}-${index}`);
  }
  return found;
}

/** Sends commands and keeps the balances every account must end with once all credits have landed. */
export class Bank {
  readonly expected = new Map<string, number>();

  constructor(
    private readonly world: AccountsWorld,
    private readonly client: KafkaCommandClient,
  ) {}

  send(aggregateId: string, command: unknown, commandId: string = randomUUID()): Promise<Outcome> {
    return this.client.send(this.world.commandsTopic, { commandId, aggregateId, issuedAt: Date.now(), command });
  }

  async deposit(account: string, amount: number, commandId?: string): Promise<Outcome> {
    const outcome = await this.send(account, { type: 'deposit', amount }, commandId);
    expect(outcome).toMatchObject({ ok: true });
    this.expected.set(account, (this.expected.get(account) ?? 0) + amount);
    return outcome;
  }

  async transfer(from: string, to: string, amount: number, commandId?: string): Promise<Outcome> {
    const outcome = await this.send(from, { type: 'transfer', to, amount }, commandId);
    expect(outcome).toMatchObject({ ok: true });
    this.expected.set(from, (this.expected.get(from) ?? 0) - amount);
    this.expected.set(to, (this.expected.get(to) ?? 0) + amount);
    return outcome;
  }

  /** Waits until the committed log (folded from offset 0) holds exactly the expected balances; returns the folds. */
  settled(timeoutMs = 30_000): Promise<PartitionState<unknown>[]> {
    const want = Object.fromEntries([...this.expected].sort());
    return pollUntil(
      'every credit folded into the log',
      async () => {
        const states = await Promise.all(PARTITIONS.map((partition) => this.world.foldLog(partition)));
        const balances: Record<string, number> = {};
        for (const state of states) {
          for (const [account, value] of state.aggregateStates) balances[account] = (value as { balance: number }).balance;
        }
        return JSON.stringify(Object.fromEntries(Object.entries(balances).sort())) === JSON.stringify(want) ? states : undefined;
      },
      timeoutMs,
      250,
    );
  }
}

/**
 * Deposits, a duplicate, rejections and rounds of transfers in both directions between the partitions:
 * about 30 events records per partition. Ids are made from `tag`, so another tag is another workload.
 */
export async function workload(bank: Bank, tag = 'acct'): Promise<void> {
  const [a, b] = [accountsOn(0, 3, tag), accountsOn(1, 3, tag)];
  for (const account of [...a, ...b]) {
    expect(await bank.deposit(account, 100, `dep-${account}`)).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
  }
  // A retried command gets its first outcome and changes nothing.
  expect(await bank.send(a[0], { type: 'deposit', amount: 100 }, `dep-${a[0]}`)).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
  expect(await bank.send(b[0], { type: 'withdraw', amount: 10_000 })).toMatchObject({ ok: false, rejection: { code: 'insufficient_funds' } });
  expect(await bank.send(a[1], { type: 'withdraw', amount: -1 })).toMatchObject({ ok: false, rejection: { code: 'invalid_payload' } });
  expect(await bank.send(b[2], { type: 'transfer', to: b[2], amount: 1 })).toMatchObject({ ok: false, rejection: { code: 'invalid_transfer' } });
  const first = await bank.transfer(a[0], b[1], 3, `tx-dup-${tag}`);
  expect(await bank.send(a[0], { type: 'transfer', to: b[1], amount: 3 }, `tx-dup-${tag}`)).toEqual(first);
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      [0, 1, 2].flatMap((index) => [bank.transfer(a[index], b[index], 1 + round + index), bank.transfer(b[index], a[(index + 1) % 3], 2 + round)]),
    );
  }
}
