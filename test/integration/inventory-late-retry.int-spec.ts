import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { io, Socket } from 'socket.io-client';
import { commandsTopicOf, eventsTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { InventoryReply } from '@app/protocol';
import { startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomName, randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { testKafka } from '../support/test-kafka';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
/** More than the 10,000 outcomes a partition used to remember for everybody together. */
const OTHERS_COMMANDS = 10_500;

interface Inventory {
  playerId: string;
  gold: number;
  version: number;
}

/** A gateway and an inventory process on topics of one partition (so every player shares it), against this run's database. */
async function stack(inventoryEnv: Record<string, string> = {}) {
  const topics = await provisionedTopics(1);
  const inventory = await startInventory(topics.prefix, 'ready', inventoryEnv);
  const gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  const sockets: Socket[] = [];
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}/admin/players/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
  return {
    topics,
    inventory,
    gateway,
    async player(): Promise<{ playerId: string; socket: Socket }> {
      const response = await fetch(`${gateway.url}/auth/guest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `late_${randomSuffix()}` }),
      });
      const { playerId, token } = (await response.json()) as { playerId: string; token: string };
      const socket = io(gateway.url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return { playerId, socket };
    },
    grant: (playerId: string, gold: number) =>
      admin(`${playerId}/grants`, { method: 'POST', body: JSON.stringify({ grantId: randomUUID(), gold, items: {} }) }),
    gold: async (playerId: string) => ((await (await admin(`${playerId}/inventory`)).json()) as Inventory).gold,
    async stop() {
      for (const socket of sockets) socket.disconnect();
      await gateway.stop();
      inventory.kill('SIGTERM');
      await inventory.exited;
      await topics.remove();
    },
  };
}

const command = (socket: Socket, payload: object): Promise<InventoryReply> => socket.timeout(15_000).emitWithAck('inventory:command', payload);

/**
 * The late retry of issue 11: a player's acknowledged transfer, then other players' traffic through the same partition,
 * then the player's retry of the same commandId. Before, a partition remembered the last 10,000 outcomes of everyone
 * together, so the retry was applied a second time; now each player's outcomes are kept for the retry horizon.
 */
describe('inventory: a late retry', () => {
  let world: Awaited<ReturnType<typeof stack>>;
  let producer: Producer;
  let kafka: ReturnType<typeof testKafka>;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    world = await stack();
    kafka = testKafka(randomName('late-retry'));
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await world?.stop();
  });

  /**
   * Other players' commands as a gateway writes them to the commands topic (one player each: transfers from players with
   * no inventory, refused and remembered like any refusal). Written straight to the topic: through sockets, the socket
   * rate limit would make this take minutes; the partition sees the same records either way.
   */
  async function othersCommands(count: number): Promise<void> {
    const topic = commandsTopicOf(world.topics.prefix, 'inventory');
    for (let sent = 0; sent < count; sent += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, count - sent) }, (_, index) => {
        const playerId = `p_other_${sent + index}_${randomSuffix()}`;
        const envelope = {
          commandId: `${playerId}:${randomUUID()}`,
          aggregateId: playerId,
          issuedAt: Date.now(),
          command: { type: 'transfer-gold', toPlayerId: 'p_nobody', amount: 1 },
        };
        return { key: playerId, value: JSON.stringify(envelope) };
      });
      await producer.send({ topic, acks: -1, messages });
    }
  }

  it('is answered with its first outcome and applied once, after more than 10,000 commands of other players in its partition', async () => {
    const [alice, bob] = [await world.player(), await world.player()];
    expect((await world.grant(alice.playerId, 100)).status).toBe(200);
    const transfer = { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: bob.playerId, amount: 30 };
    const first = await command(alice.socket, transfer);
    expect(first).toMatchObject({ ok: true, inventory: { gold: 70 } });
    await pollUntil('bob credited', async () => ((await world.gold(bob.playerId)) === 30 ? true : undefined));

    await othersCommands(OTHERS_COMMANDS);
    // Each of them reaches the log (a refusal is logged and remembered), after the transfer. Waited for in the log: a
    // read from the player goes straight to the owner and may overtake commands still in the topic.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const eventsTopic = eventsTopicOf(world.topics.prefix, 'inventory');
      const logged = async () => Number((await admin.fetchTopicOffsets(eventsTopic))[0].high);
      await pollUntil("the others' commands decided", async () => ((await logged()) > OTHERS_COMMANDS ? true : undefined), 60_000);
    } finally {
      await admin.disconnect();
    }

    const retried = await command(alice.socket, transfer);
    expect(retried).toEqual(first);
    // Nothing more moves: a second application would take alice to 40 and bob, once credited, to 60.
    expect(await world.gold(alice.playerId)).toBe(70);
    expect(await command(alice.socket, { ...transfer, firstSentMsAgo: 60_000 })).toEqual(first);
    expect(await world.gold(bob.playerId)).toBe(30);
    expect(world.inventory.child.exitCode).toBeNull();
  });
});

describe('inventory: a retry older than the retry horizon', () => {
  let world: Awaited<ReturnType<typeof stack>>;
  const HORIZON_MS = 1_000;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    world = await stack({ ENGINE_RETRY_HORIZON_MS: String(HORIZON_MS) });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('is refused retry_expired once the partition forgot it, and never applied a second time', async () => {
    const [alice, bob] = [await world.player(), await world.player()];
    expect((await world.grant(alice.playerId, 100)).status).toBe(200);
    const firstSent = Date.now();
    const transfer = { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: bob.playerId, amount: 30 };
    const first = await command(alice.socket, transfer);
    expect(first).toMatchObject({ ok: true, inventory: { gold: 70 } });

    // The partition's clock is its log's: it moves with each command logged. Alice's own refused commands move it, until
    // the transfer is over the horizon behind; each retry meanwhile must still get the first outcome.
    const remembered: InventoryReply[] = [];
    const refused = await pollUntil('the retry answered with something else than its first outcome', async () => {
      const moved = await command(alice.socket, { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: bob.playerId, amount: 1_000_000 });
      if (moved.ok || moved.error.code !== 'insufficient_gold') return moved;
      const retried = await command(alice.socket, { ...transfer, firstSentMsAgo: Date.now() - firstSent });
      if (!retried.ok || retried.inventory.gold !== 70) return retried;
      remembered.push(retried);
      return undefined;
    });
    expect(refused).toEqual({ ok: false, error: { code: 'retry_expired', message: expect.stringContaining('not applied again') } });
    for (const reply of remembered) expect(reply).toEqual(first);
    expect(await world.gold(alice.playerId)).toBe(70);
    await pollUntil('bob credited', async () => ((await world.gold(bob.playerId)) === 30 ? true : undefined));
    expect(await world.gold(bob.playerId)).toBe(30);
    expect(world.inventory.output).not.toMatch(/decide threw/);
  });
});
