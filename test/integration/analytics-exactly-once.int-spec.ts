import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Socket } from 'socket.io-client';
import { InventoryReply } from '@app/protocol';
import { OwnDatabase, ownDatabase } from '../support/own-database';
import { AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomName, randomSuffix } from '../support/random-names';
import { testBrokers } from '../support/test-env';
import { loginTraders, TradingPlayer } from '../support/trading-load';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 6;
const GRANT = { potion: 20, wood: 60 };
/** Acknowledged commands before the first kill, and again after the last restart, so instances project live traffic. */
const ACKED_PER_PHASE = 40;
/** Kills, each after the projection moved a random number of records (1 to MAX_STEP) since the last: varied points. */
const KILLS = 3;
const MAX_STEP = 60;

interface Economy {
  gold: { total: number; granted: number; looted: number; transferred: number };
  items: Record<string, { total: number; granted: number; looted: number; consumed: number; transferred: number }>;
  projection: { behind: number | null; partitions: { topic: string; partition: number; nextOffset: number; endOffset: number | null }[] };
}
interface HistoryEvent {
  type: string;
  event: { transferId?: string };
  source: { commandId: string; partition: number; offset: number };
}

type Command =
  | { type: 'transfer-gold'; toPlayerId: string; amount: number }
  | { type: 'give-item'; toPlayerId: string; itemId: string; quantity: number }
  | { type: 'use'; itemId: string }
  | { type: 'discard'; itemId: string; quantity: number };

/**
 * The analytics service killed with kill -9 in the middle of trading, a new one started, three times over at varied
 * points: the read models stay exact (every batch is one PostgreSQL transaction with its partition's position, and
 * each instance seeks from those positions before it projects), whatever the kills interrupted.
 */
describe('analytics: exactly once through a kill -9', () => {
  let database: OwnDatabase;
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const processes: AppProcess[] = [];
  let positions: Client;

  /** Records projected so far, every partition: the positions as committed, without the gateway in between. */
  async function projectedInPostgres(): Promise<number> {
    const { rows } = await positions.query<{ n: string }>(`SELECT coalesce(sum("next_offset"), 0) AS n FROM "analytics_positions"`);
    return Number(rows[0].n);
  }

  async function startAnalytics(): Promise<AppProcess> {
    const port = await freePort();
    const instance = new AppProcess('analytics', {
      PORT: String(port),
      INSTANCE_ID: randomName('analytics'),
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL: database.url,
      TOPIC_PREFIX: topics.prefix,
      // The killed instance's partitions wait for its session to end before the new one gets them.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    processes.push(instance);
    await pollUntil(
      'analytics ready',
      async () => ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok ? true : undefined),
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${instance.output}`);
    });
    return instance;
  }

  beforeAll(async () => {
    database = await ownDatabase('analytics');
    const databaseUrl = database.url;
    positions = new Client({ connectionString: databaseUrl });
    await positions.connect();
    topics = await provisionedTopics(4);
    processes.push(await startInventory(topics.prefix, 'ready', { DATABASE_URL: databaseUrl }));
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, DATABASE_URL: databaseUrl });
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const instance of processes) instance.kill();
    await Promise.all(processes.map((instance) => instance.exited));
    await positions?.end();
    await topics?.remove();
    await database?.drop();
  });

  const admin = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gateway.url}/admin/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const economy = async () => (await admin<Economy>('economy')).body;
  const projected = (now: Economy) => now.projection.partitions.reduce((sum, { nextOffset }) => sum + nextOffset, 0);

  async function history(playerId: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `?limit=50&after=${after}` : '?limit=50';
      const { status, body } = await admin<{ events: HistoryEvent[]; next: string | null }>(`players/${playerId}/history${query}`);
      expect(status).toBe(200);
      events.push(...body.events);
      after = body.next;
    } while (after);
    return events;
  }

  /** Sends one command until it has a definite answer, retrying with the same commandId: its scoped id, or the refusal. */
  async function untilDefinite(player: TradingPlayer, command: Command): Promise<{ acked: string } | { refused: string }> {
    const commandId = randomUUID();
    for (;;) {
      const answer = (await (player.socket as Socket)
        .timeout(30_000)
        .emitWithAck('inventory:command', { commandId, ...command })
        .catch(() => undefined)) as InventoryReply | undefined;
      if (answer?.ok) return { acked: `${player.playerId}:${commandId}` };
      if (answer && answer.error.code !== 'unavailable' && answer.error.code !== 'rate_limited') return { refused: answer.error.code };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('keeps the economy equal to what was granted, and every acknowledged transfer in both histories', async () => {
    const startedAt = Date.now();
    let analytics = await startAnalytics();
    const players = await loginTraders(
      gateway.url,
      Array.from({ length: PLAYERS }, (_, index) => `analytics_${index}_${randomSuffix()}`),
    );
    const grantedGold = players.map((_, index) => 1_000 + 10 * index);
    for (const [index, player] of players.entries()) {
      const { status } = await admin(`players/${player.playerId}/grants`, {
        method: 'POST',
        body: JSON.stringify({ grantId: 'start', gold: grantedGold[index], items: GRANT }),
      });
      expect(status).toBe(200);
    }

    const acked: { transferId: string; from: string; to: string; command: Command }[] = [];
    const refused: string[] = [];
    let trading = true;
    const lanes = players.map(async (player, index) => {
      for (let round = 0; trading; round++) {
        const to = players[(index + 1 + (round % (PLAYERS - 1))) % PLAYERS].playerId;
        const command: Command =
          round % 10 === 3
            ? { type: 'give-item', toPlayerId: to, itemId: 'wood', quantity: 1 }
            : round % 10 === 6
              ? { type: 'use', itemId: 'potion' }
              : round % 10 === 8
                ? { type: 'discard', itemId: 'wood', quantity: 1 }
                : { type: 'transfer-gold', toPlayerId: to, amount: 1 + ((index + round) % 5) };
        const answer = await untilDefinite(player, command);
        if ('acked' in answer) acked.push({ transferId: answer.acked, from: player.playerId, to, command });
        else refused.push(answer.refused);
        // Paced, so the run spans the kill and the restart without piling up thousands of records.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

    // Killed again and again while trading goes on, each time once the projection moved a random number of records
    // (polled in PostgreSQL, where the positions commit): before a first batch of the instance, amid its catching up
    // on what piled up while it was away, or amid live traffic. Every restart seeks from the stored positions.
    await pollUntil('trading under way', () => (acked.length >= ACKED_PER_PHASE ? true : undefined));
    const kills: { at: number; step: number }[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const from = await projectedInPostgres();
      const step = randomInt(1, MAX_STEP + 1);
      await pollUntil(`the projection ${step} records past ${from}`, async () => ((await projectedInPostgres()) >= from + step ? true : undefined), 30_000, 5);
      analytics.kill('SIGKILL');
      expect((await analytics.exited).signal).toBe('SIGKILL');
      kills.push({ at: await projectedInPostgres(), step });
      analytics = await startAnalytics();
    }
    const ackedAtKill = acked.length;
    const projectedAtKill = kills[kills.length - 1].at;
    await pollUntil('more trading after the last restart', () => (acked.length >= ackedAtKill + ACKED_PER_PHASE ? true : undefined), 30_000);
    trading = false;
    await Promise.all(lanes);
    players.forEach((player) => player.socket.close());

    const sum = (type: Command['type'], amount: (command: Command) => number) =>
      acked.filter((entry) => entry.command.type === type).reduce((total, entry) => total + amount(entry.command), 0);
    const goldTransferred = sum('transfer-gold', (command) => (command as { amount: number }).amount);
    const woodGiven = sum('give-item', () => 1);
    const potionsUsed = sum('use', () => 1);
    const woodDiscarded = sum('discard', () => 1);
    // Credits land after their debits are acknowledged: wait until they did and the projection read everything.
    const settled = await pollUntil(
      'the projection caught up with every credit',
      async () => {
        const now = await economy();
        return now.projection.behind === 0 && now.gold.transferred === goldTransferred && now.items.wood?.transferred === woodGiven ? now : undefined;
      },
      30_000,
      250,
    ).catch(economy);

    // Only refusals that change nothing (a player out of potions or gold): they must not count either.
    expect(refused.filter((code) => code !== 'insufficient_quantity' && code !== 'insufficient_gold')).toEqual([]);
    expect(projectedAtKill).toBeLessThan(projected(settled));
    const granted = grantedGold.reduce((total, gold) => total + gold, 0);
    expect(settled.gold).toEqual({ total: granted, granted, looted: 0, transferred: goldTransferred });
    expect(settled.items).toEqual({
      potion: { total: PLAYERS * GRANT.potion - potionsUsed, granted: PLAYERS * GRANT.potion, looted: 0, consumed: potionsUsed, transferred: 0 },
      wood: { total: PLAYERS * GRANT.wood - woodDiscarded, granted: PLAYERS * GRANT.wood, looted: 0, consumed: woodDiscarded, transferred: woodGiven },
    });
    expect(settled.projection.behind).toBe(0);

    // Every acknowledged transfer, exactly once in the sender's history and once in the receiver's.
    const histories = new Map(await Promise.all(players.map(async (player) => [player.playerId, await history(player.playerId)] as const)));
    const missing: string[] = [];
    for (const { transferId, from, to, command } of acked.filter((entry) => entry.command.type === 'transfer-gold' || entry.command.type === 'give-item')) {
      const [sent, received] = command.type === 'transfer-gold' ? ['gold-sent', 'gold-received'] : ['item-sent', 'item-received'];
      const times = (playerId: string, type: string) =>
        histories.get(playerId)!.filter((entry) => entry.type === type && entry.event.transferId === transferId).length;
      if (times(from, sent) !== 1) missing.push(`${transferId}: ${sent} ${times(from, sent)} times in ${from}'s history`);
      if (times(to, received) !== 1) missing.push(`${transferId}: ${received} ${times(to, received)} times in ${to}'s history`);
    }
    expect(missing).toEqual([]);
    // A cursor this API did not hand out (an id, as cursors were before) is refused.
    expect((await admin(`players/${players[0].playerId}/history?after=1234`)).status).toBe(400);
    const debits = histories.get(players[0].playerId)!.filter((entry) => entry.type === 'gold-sent');
    expect(debits.every((entry) => entry.source.commandId === entry.event.transferId)).toBe(true);
    console.log(
      `analytics exactly once: ${acked.length} acknowledged (${ackedAtKill} before the last kill), killed at ${kills.map(({ at, step }) => `${at} (+${step})`).join(', ')} records projected, ${projected(settled)} in the end, ${Date.now() - startedAt} ms`,
    );
  });
});
