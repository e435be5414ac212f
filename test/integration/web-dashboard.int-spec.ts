import type { Browser, Page } from 'playwright-core';
import type { ClusterView } from '../../apps/gateway/src/cluster/cluster-view';
import { AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { freePort } from '../support/free-port';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomName, randomSuffix } from '../support/random-names';
import { OwnDatabase, ownDatabase } from '../support/own-database';
import { testBrokers } from '../support/test-env';

const PARTITIONS = 4;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

/** The cells of every partition row on the page: service, partition, owner, phase, ... */
const partitionRows = (page: Page): Promise<string[][]> =>
  page.$$eval('[data-testid=partition-row]', (rows) =>
    // Typed by hand: the tests compile without the DOM's types.
    rows.map((row) => Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) => cell.textContent ?? '')),
  );

/**
 * The operator's dashboard in headless Chromium against real processes (a gateway, two inventory owners, a zone owner
 * and an analytics instance from dist): it lists every partition of every service serving, and follows the partitions of an owner killed
 * with kill -9 to the survivor. Also GET /admin/cluster, which it draws, and the player lookup by name.
 */
describe('operator dashboard (real processes, headless Chromium)', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let database: OwnDatabase;
  let gateway: GatewayProcess;
  let browser: Browser;
  const owners: (AppProcess & { port: number })[] = [];
  const ownerIds = [`inventory-a-${randomSuffix()}`, `inventory-b-${randomSuffix()}`];
  let zone: (AppProcess & { port: number }) | undefined;
  let analytics: AppProcess | undefined;
  const analyticsId = randomName('analytics');
  /** The gateway's peers: itself (a gateway that answers /health/ready) and an address where nobody listens. */
  let peers: { live: string; dead: string };

  const cluster = async (token = ADMIN_TOKEN) => fetch(`${gateway.url}/admin/cluster`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    // Its analytics instance adds up whatever it projects: a database of its own, as every analytics test has.
    database = await ownDatabase('dashboard');
    const DATABASE_URL = database.url;
    topics = await provisionedTopics(PARTITIONS);
    const [gatewayPort, deadPort] = [await freePort(), await freePort()];
    peers = { live: `http://127.0.0.1:${gatewayPort}`, dead: `http://127.0.0.1:${deadPort}` };
    analytics = new AppProcess('analytics', {
      PORT: String(await freePort()),
      INSTANCE_ID: analyticsId,
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL,
      TOPIC_PREFIX: topics.prefix,
    });
    // Settled one by one, so whatever did start is stopped in afterAll even when another part failed to.
    const started = await Promise.allSettled([
      ...ownerIds.map((id, index) => startInventory(topics.prefix, 'live', { INSTANCE_ID: id, DATABASE_URL }).then((owner) => (owners[index] = owner))),
      startZone(topics.prefix, 'live', { DATABASE_URL }).then((started) => (zone = started)),
      startGateway({
        TOPIC_PREFIX: topics.prefix,
        ADMIN_TOKEN,
        DATABASE_URL,
        PORT: String(gatewayPort),
        GATEWAY_PEER_URLS: `${peers.live},${peers.dead}`,
      }).then((started) => (gateway = started)),
      launchBrowser().then((started) => (browser = started)),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    const hosting = [...owners, zone, analytics].flatMap((each) => (each ? [each] : []));
    for (const each of hosting) each.kill();
    await Promise.all(hosting.map((each) => each.exited));
    await topics?.remove();
    await database?.drop();
  });

  it('GET /admin/cluster needs the admin token and gives every partition of every service with its owner', async () => {
    expect((await cluster('')).status).toBe(401);
    expect((await cluster('wrong')).status).toBe(401);

    const view = await pollUntil('every partition serving in /admin/cluster', async () => {
      const answer = (await (await cluster()).json()) as ClusterView;
      const phases = answer.services.flatMap(({ partitions }) => partitions.map(({ phase }) => phase));
      const analyticsAssigned = answer.processes.find(({ service }) => service === 'analytics')?.assigned;
      // The analytics instance follows both events topics once its group has balanced it in.
      return phases.length === 2 * PARTITIONS &&
        phases.every((phase) => phase === 'serving') &&
        answer.processes.length === 7 &&
        analyticsAssigned === 2 * PARTITIONS
        ? answer
        : undefined;
    });
    expect(view.services.map(({ service, partitions }) => [service, partitions.map(({ partition }) => partition)])).toEqual([
      ['inventory', [0, 1, 2, 3]],
      ['zone', [0, 1, 2, 3]],
    ]);
    const instances = new Set(view.processes.map(({ instanceId }) => instanceId));
    for (const { partitions } of view.services)
      for (const { owner, replay, lag } of partitions)
        expect({ owned: instances.has(owner ?? ''), replay, lag }).toMatchObject({ owned: true, replay: expect.any(Object), lag: expect.any(Number) });
    const hosts = view.processes.filter(({ service }) => service === 'inventory' || service === 'zone');
    expect(hosts.map(({ service }) => service).sort()).toEqual(['inventory', 'inventory', 'zone']);
    expect(hosts.every(({ ready, standbys }) => ready === true && typeof standbys === 'number')).toBe(true);
    // The gateways first (itself, then its peers: one that answers ready, one nobody answers for), analytics last.
    expect(view.processes.filter(({ service }) => service !== 'inventory' && service !== 'zone')).toEqual([
      { instanceId: expect.stringMatching(/^gateway/), service: 'gateway', address: null, ready: true, partitions: [], standbys: null },
      { instanceId: new URL(peers.live).host, service: 'gateway', address: peers.live, ready: true, partitions: [], standbys: null },
      { instanceId: new URL(peers.dead).host, service: 'gateway', address: peers.dead, ready: null, partitions: [], standbys: null },
      { instanceId: analyticsId, service: 'analytics', address: null, ready: null, partitions: [], standbys: null, assigned: 2 * PARTITIONS },
    ]);

    const docs = (await (await fetch(`${gateway.url}/admin/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/admin/cluster', '/admin/player-names/{name}']));
  });

  it('looks a player up by name, in any case', async () => {
    const name = `Dash_${randomSuffix()}`;
    const login = await fetch(`${gateway.url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    const { playerId } = (await login.json()) as { playerId: string };
    const lookUp = (asked: string) => fetch(`${gateway.url}/admin/player-names/${asked}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

    await expect((await lookUp(name.toLowerCase())).json()).resolves.toEqual({ playerId, name });
    expect((await lookUp(`nobody_${randomSuffix()}`)).status).toBe(404);
    expect((await lookUp('not a name')).status).toBe(400);
  });

  it('lists every partition serving, grants to a player looked up by name, and follows an owner killed with kill -9 to the survivor, then to its replacement', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${gateway.url}/admin/`);
    // A wrong token is refused, forgotten and asked for again.
    await page.fill('[data-testid=admin-token]', 'not-the-token');
    await page.press('[data-testid=admin-token]', 'Enter');
    await page.waitForSelector('#token-status:has-text("refused")');
    expect(await page.evaluate('sessionStorage.getItem("admin-token")')).toBeNull();
    await page.fill('[data-testid=admin-token]', ADMIN_TOKEN);
    await page.press('[data-testid=admin-token]', 'Enter');

    const inventoryOwners = (rows: string[][]) => new Set(rows.filter(([service]) => service === 'inventory').map(([, , owner]) => owner));
    // Both inventory owners hold partitions once the second one's join has been balanced in.
    const before = await pollUntil('one serving row per partition of every service, inventory split between both owners', async () => {
      const rows = await partitionRows(page);
      return rows.length === 2 * PARTITIONS && rows.every(([, , , phase]) => phase === 'serving') && inventoryOwners(rows).size === 2 ? rows : undefined;
    });
    expect(inventoryOwners(before)).toEqual(new Set(ownerIds));
    await page.locator('[data-testid=process-row]', { hasText: analyticsId }).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=process-row]', { hasText: 'gateway' }).count()).toBe(3);
    expect(before.map(([service, partition]) => `${service}/${partition}`)).toEqual(
      [0, 1, 2, 3].map((p) => `inventory/${p}`).concat([0, 1, 2, 3].map((p) => `zone/${p}`)),
    );

    // The player panel: a lookup by name, then a grant through the page's form.
    const name = `Grantee_${randomSuffix()}`;
    await fetch(`${gateway.url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    await page.fill('#player-query', name.toLowerCase());
    await page.press('#player-query', 'Enter');
    await page.fill('#grant-gold', '250');
    await page.click('#grant-form button[type=submit]');
    await pollUntil('the granted gold in the inventory shown', async () => ((await page.textContent('#inventory'))?.includes('gold 250') ? true : undefined));

    // docs/images/dashboard.png is taken here: DASHBOARD_SCREENSHOT=docs/images/dashboard.png.
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    const [victim] = owners;
    const [victimId, survivorId] = ownerIds;
    victim.kill('SIGKILL');
    await victim.exited;

    await pollUntil('every inventory row owned by the survivor and serving again, the dead owner gone from the processes', async () => {
      const rows = (await partitionRows(page)).filter(([service]) => service === 'inventory');
      const served = rows.length === PARTITIONS && rows.every(([, , owner, phase]) => owner === survivorId && phase === 'serving');
      return served && (await page.locator('[data-testid=process-row]', { hasText: victimId }).count()) === 0 ? true : undefined;
    });

    // Its replacement (as a platform restarts a killed pod) takes its share back, and the rows follow it there.
    const replacementId = randomName('inventory-replacement');
    owners.push(await startInventory(topics.prefix, 'live', { INSTANCE_ID: replacementId, DATABASE_URL: database.url }));
    await pollUntil('the inventory rows shared by the survivor and the replacement, every one serving', async () => {
      const rows = (await partitionRows(page)).filter(([service]) => service === 'inventory');
      const shared = rows.length === PARTITIONS && rows.every(([, , , phase]) => phase === 'serving');
      return shared && inventoryOwners(rows).size === 2 && inventoryOwners(rows).has(replacementId) ? true : undefined;
    });
    await page.close();
  });
});
