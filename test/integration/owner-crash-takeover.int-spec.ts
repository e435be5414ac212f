import { migrate } from '@app/postgres';
import { AppProcess } from '../support/app-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

const PARTITIONS = 4;
const PLAYERS = 12;
const GRANTED = 1_000;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
/** Far longer than the test waits for the takeover: only the eviction can move the partitions in time. */
const SESSION_TIMEOUT_MS = '180000';

const servingPartitions = async (instance: AppProcess & { port: number }): Promise<number[]> => {
  const response = await fetch(`http://127.0.0.1:${instance.port}/engine/status`).catch(() => undefined);
  if (!response?.ok) return [];
  const { partitions } = (await response.json()) as { partitions: { partition: number; phase: string }[] };
  return partitions.filter(({ phase }) => phase === 'serving').map(({ partition }) => partition);
};

/**
 * kill -9 of one of two inventory owners under trading, with a session timeout of 3 minutes: the survivor notices the
 * dead owner's closed link, evicts it from the group and takes its partitions long before the session would have
 * timed out, from the warm standbys it kept of them; every acknowledged transfer is in the balances once.
 */
describe('an owner killed with kill -9 (real processes)', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  let players: TradingPlayer[] = [];
  const owners: (AppProcess & { port: number })[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
    for (let index = 0; index < 2; index++) owners.push(await startInventory(topics.prefix, 'live', { KAFKA_SESSION_TIMEOUT_MS: SESSION_TIMEOUT_MS }));
    await pollUntil(
      'both owners serving two partitions each',
      async () => {
        const serving = await Promise.all(owners.map(servingPartitions));
        return serving.every((partitions) => partitions.length === PARTITIONS / 2) ? true : undefined;
      },
      60_000,
    );
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    players.forEach(({ socket }) => socket.close());
    await gateway?.stop();
    for (const owner of owners) owner.kill();
    await Promise.all(owners.map((owner) => owner.exited));
    await topics?.remove();
  });

  it('moves its partitions to the survivor without waiting for its session to time out, losing and doubling nothing', async () => {
    const admin = new AdminApi(gateway.url, ADMIN_TOKEN);
    players = await loginTraders(
      gateway.url,
      Array.from({ length: PLAYERS }, (_, index) => `takeover_${randomSuffix()}_${index}`),
    );
    await admin.grantAll(players, GRANTED);
    const load = new TradingLoad(players);
    load.start(2);
    await pollUntil('transfers flowing', () => (load.answered.ok >= 100 ? true : undefined), 60_000);

    const [victim, survivor] = owners;
    const killedAt = performance.now();
    victim.kill('SIGKILL');
    await victim.exited;
    await pollUntil(
      'the survivor serving every partition',
      async () => ((await servingPartitions(survivor)).length === PARTITIONS ? true : undefined),
      90_000,
      50,
    );
    const takeoverMs = performance.now() - killedAt;
    const okAtTakeover = load.answered.ok;
    await pollUntil('transfers flowing after the takeover', () => (load.answered.ok >= okAtTakeover + 100 ? true : undefined), 60_000);
    const figures = await load.stop();

    console.log(`kill -9 to the survivor serving all ${PARTITIONS} partitions: ${Math.round(takeoverMs)} ms; ${figures.ok} acknowledged`);
    expect(survivor.output).toContain('dropped its connection without leaving the group: evicted');
    // Warm standbys are on by default: the survivor had followed the victim's partitions and replayed only the rest.
    expect(survivor.output).toContain('after the warm standby');
    expect({ missing: figures.missing, refused: figures.refused }).toEqual({ missing: 0, refused: {} });
    const { differing, total } = await settledLedger(admin, players, GRANTED, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * GRANTED);
  });
});
