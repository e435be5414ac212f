import { migrate } from '@app/postgres';
import { GameClient, GameError } from '@app/sdk';
import { AppName, AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory, startZone } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomName, randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const JSON_LOGS = { LOG_FORMAT: 'json' };

type LogLine = Record<string, unknown>;

/** Every line of one stream, each parsed as one JSON object; fails naming the first line that is not one. */
function jsonLines(stream: string, name: string): LogLine[] {
  if (stream === '') return [];
  expect({ [name]: stream.endsWith('\n') }).toEqual({ [name]: true });
  return stream
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${name} printed a line that is not JSON: ${line}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} printed a line that is not one object: ${line}`);
      return parsed as LogLine;
    });
}

/** Both streams of a process, every line one JSON object with a level and a message. */
function linesOf(process: AppProcess, name: string): LogLine[] {
  const lines = [...jsonLines(process.stdout, `${name} stdout`), ...jsonLines(process.stderr, `${name} stderr`)];
  for (const line of lines) expect({ name, level: typeof line.level, message: typeof line.message }).toEqual({ name, level: 'string', message: 'string' });
  return lines;
}

/** With LOG_FORMAT=json, what the apps print is for log shippers: one JSON object per line, whatever happens. */
describe('LOG_FORMAT=json', () => {
  beforeAll(() => migrate(testDatabaseUrl()));

  it('makes every line a gateway, an inventory and a zone process print one JSON object, with service, instance and partitions', async () => {
    const topics = await provisionedTopics(2);
    const ids: Record<Exclude<AppName, 'analytics'>, string> = { gateway: randomName('gateway'), inventory: randomName('inventory'), zone: randomName('zone') };
    const hosts: AppProcess[] = [];
    let gateway: GatewayProcess | undefined;
    const clients: GameClient[] = [];
    let exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
    try {
      hosts.push(await startInventory(topics.prefix, 'ready', { ...JSON_LOGS, INSTANCE_ID: ids.inventory }));
      hosts.push(await startZone(topics.prefix, 'ready', { ...JSON_LOGS, INSTANCE_ID: ids.zone }));
      gateway = await startGateway({ ...JSON_LOGS, TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, INSTANCE_ID: ids.gateway });

      const login = async (name: string) => {
        const client = await GameClient.login({ url: gateway!.url }, `${name}_${randomSuffix()}`);
        clients.push(client);
        return client;
      };
      const [alice, bob] = [await login('alice'), await login('bob')];
      const granted = await fetch(`${gateway.url}/admin/players/${alice.playerId}/grants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grantId: 'start', gold: 50 }),
      });
      expect(granted.status).toBe(200);
      expect((await alice.transferGold(bob.playerId, 5)).gold).toBe(45);
      const refused = await alice.transferGold(bob.playerId, 1_000).then(
        () => 'accepted',
        (error: unknown) => (error instanceof GameError ? error.code : String(error)),
      );
      expect(refused).toBe('insufficient_gold');
      expect(await bob.joinZone('meadow')).toMatchObject({ zoneId: 'meadow', playerId: bob.playerId });
    } finally {
      for (const client of clients) client.close();
      if (gateway) exits.push(await gateway.stop());
      for (const host of hosts) host.kill('SIGTERM');
      exits = [...exits, ...(await Promise.all(hosts.map((host) => host.exited)))];
      await topics.remove();
    }
    expect(exits).toEqual([0, 1, 2].map(() => ({ code: 0, signal: null })));

    const printed = new Map<Exclude<AppName, 'analytics'>, LogLine[]>([
      ['gateway', linesOf(gateway!.process, 'gateway')],
      ['inventory', linesOf(hosts[0], 'inventory')],
      ['zone', linesOf(hosts[1], 'zone')],
    ]);
    for (const [app, lines] of printed) {
      // Nest's own start-up lines, ours, and the stop are among them.
      const messages = lines.map((line) => line.message);
      expect(messages).toContain('Starting Nest application...');
      expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^${ids[app]} listening on port \\d+$`)));
      for (const line of lines) expect({ app, service: line.service, instance: line.instance }).toEqual({ app, service: app, instance: ids[app] });
      expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'SIGTERM: stopping', context: app, time: expect.any(String) }));
    }
    for (const owner of ['inventory', 'zone'] as const) {
      expect(printed.get(owner)).toContainEqual(
        expect.objectContaining({ partition: expect.any(Number), message: expect.stringMatching(/: serving after \d+ ms/) }),
      );
    }
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a bad variable', { ...JSON_LOGS, PORT: 'not-a-port' }, /PORT: expected a port number/],
    ['a bad LOG_FORMAT, in the format NODE_ENV=production defaults to', { NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, /LOG_FORMAT: Invalid option/],
  ])('reports %s as one JSON line at error level', async (_case, env, problem) => {
    const process = new AppProcess('inventory', { ...env, INSTANCE_ID: randomName('inventory') });
    expect((await process.exited).code).toBe(1);
    const lines = linesOf(process, 'inventory');
    expect(lines).toEqual([expect.objectContaining({ level: 'error', service: 'inventory', message: expect.stringMatching(problem) })]);
  });
});
