import { Admin, Kafka } from 'kafkajs';
import { eventsTopicOf } from '@app/kafka';
import { readCountedLog } from '../../test/support/counted-log';
import { AckedTransfer } from './player-load';

export interface LedgerFigures {
  /** Acknowledged transfers the log does not hold (debit, or credit once settled). */
  lost: number;
  /** Transfers whose debit or credit the log holds more than once. */
  doubled: number;
  /** Players whose admin inventory differs from granted, less sent, plus received as acknowledged. */
  mismatched: number;
  goldTotal: number;
  goldExpected: number;
}

type GoldEvent = { type: 'gold-sent'; transferId: string } | { type: 'gold-received'; transferId: string };

/**
 * What was acknowledged against what the log holds, by the log's own rules (records under the latest claim only),
 * and against what the admin API says each player has: the model is the grant and the acknowledged transfers.
 */
export async function checkLedger(
  kafka: Kafka,
  prefix: string,
  partitions: number,
  acked: AckedTransfer[],
  players: string[],
  granted: number,
  goldOf: (playerId: string) => Promise<number | undefined>,
): Promise<LedgerFigures> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  const sentBy = new Map<string, number>();
  try {
    for (let partition = 0; partition < partitions; partition++) {
      for (const { record } of await readCountedLog(kafka, admin, eventsTopicOf(prefix, 'inventory'), partition)) {
        if (record.type !== 'outcome') continue;
        for (const event of record.events as GoldEvent[]) {
          if (event.type === 'gold-sent') {
            sent.set(event.transferId, (sent.get(event.transferId) ?? 0) + 1);
            sentBy.set(record.aggregateId, (sentBy.get(record.aggregateId) ?? 0) + 1);
          } else if (event.type === 'gold-received') received.set(event.transferId, (received.get(event.transferId) ?? 0) + 1);
        }
      }
    }
  } finally {
    await admin.disconnect();
  }
  const ackedBy = new Map<string, number>();
  for (const { from } of acked) ackedBy.set(from, (ackedBy.get(from) ?? 0) + 1);
  const lostDebits = [...ackedBy].reduce((sum, [player, count]) => sum + Math.max(0, count - (sentBy.get(player) ?? 0)), 0);
  const lostCredits = [...sent.keys()].filter((transferId) => !received.has(transferId)).length;
  const doubled = [...sent.values(), ...received.values()].filter((count) => count > 1).length;

  const expected = new Map(players.map((player) => [player, granted]));
  for (const { from, to, amount } of acked) {
    expected.set(from, expected.get(from)! - amount);
    expected.set(to, expected.get(to)! + amount);
  }
  let mismatched = 0;
  let goldTotal = 0;
  for (const player of players) {
    const gold = await goldOf(player);
    goldTotal += gold ?? 0;
    if (gold !== expected.get(player)) mismatched++;
  }
  return { lost: lostDebits + lostCredits, doubled, mismatched, goldTotal, goldExpected: players.length * granted };
}
