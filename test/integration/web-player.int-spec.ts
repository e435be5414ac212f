import { resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { migrate } from '@app/postgres';
import type { ZoneSummary } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { chromiumPath, launchBrowser } from '../support/browser';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
/** `WEB_SCREENSHOTS=1` also saves the page in play to docs/images/player.png (docs/web-client.md). */
const SCREENSHOT = process.env.WEB_SCREENSHOTS === '1' ? resolve(__dirname, '..', '..', 'docs', 'images', 'player.png') : undefined;
const WAIT = { timeout: 20_000 };

/** The player's page (PROTOCOL.md "Web pages") in headless Chromium, against a gateway, an inventory and a zone process. */
describe('the player web page', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const hosts: AppProcess[] = [];
  let browser: Browser;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(2);
    // Both at once; one that started is kept (and stopped in afterAll) even when the other failed.
    const started = await Promise.allSettled([startInventory(topics.prefix), startZone(topics.prefix)]);
    for (const host of started) if (host.status === 'fulfilled') hosts.push(host.value);
    for (const host of started) if (host.status === 'rejected') throw host.reason;
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    for (const host of hosts) host.kill();
    await Promise.all(hosts.map((host) => host.exited));
    await topics?.remove();
  });

  const admin = async (path: string, body?: object) => {
    const response = await fetch(`${gateway.url}/admin/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  /** The same name is always the same player: the test learns the page's playerId by logging in as it too. */
  const login = async (name: string) =>
    (await (
      await fetch(`${gateway.url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
    ).json()) as {
      playerId: string;
      token: string;
    };
  const positionOf = async (playerId: string) => ((await admin('zones/meadow')) as ZoneSummary).players.find((player) => player.id === playerId);
  /** Waits until the element's whole text is `expected` (a locator's text filter: Playwright polls it). */
  const textOf = (page: Page, testId: string, expected: string) =>
    page
      .getByTestId(testId)
      .filter({ hasText: new RegExp(`^\\s*${expected}\\s*$`) })
      .waitFor({ state: 'attached', ...WAIT });

  async function openAndLogIn(name: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    await page.goto(gateway.url);
    await page.locator('[data-testid=login-name]').fill(name);
    await page.locator('[data-testid=login]').click();
    await page.locator('canvas[data-testid=zone]').waitFor({ state: 'visible', ...WAIT });
    return page;
  }

  async function walks(page: Page, playerId: string, key: 'ArrowRight' | 'ArrowLeft'): Promise<void> {
    const start = await pollUntil('the player in the zone', () => positionOf(playerId));
    await page.keyboard.down(key);
    await pollUntil(`walking with ${key}`, async () => {
      const now = await positionOf(playerId);
      return now && (key === 'ArrowRight' ? now.x > start.x : now.x < start.x) ? true : undefined;
    });
    await page.keyboard.up(key);
  }

  it('logs in, walks with the arrow keys, shows granted gold, and carries on through a gateway crash', async () => {
    const name = `web_${randomSuffix()}`;
    const page = await openAndLogIn(name);
    const { playerId } = await login(name);
    await walks(page, playerId, 'ArrowRight');
    await page
      .locator('[data-testid=position]')
      .filter({ hasText: /^\d+, \d+$/ })
      .waitFor(WAIT);

    await admin(`players/${playerId}/grants`, { grantId: 'first', gold: 100, items: { potion: 3, sword: 1 } });
    await textOf(page, 'gold', '100');
    await page.locator('[data-testid=use][data-item=potion]').click();
    await page.locator('[data-testid=inventory-item][data-item=potion]').filter({ hasText: '× 2' }).waitFor(WAIT);
    await page.locator('[data-testid=equip][data-item=sword]').click();
    await page.locator('[data-testid=equipment-slot]').filter({ hasText: 'weapon: sword' }).waitFor(WAIT);
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, type: 'png' });

    // kill -9: no notice; the page says it is reconnecting until a gateway answers on the same address again.
    const port = new URL(gateway.url).port;
    gateway.process.kill('SIGKILL');
    await gateway.process.exited;
    await page.locator('[data-testid=reconnecting]').waitFor({ state: 'visible', ...WAIT });
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, JWT_SECRET: gateway.jwtSecret, PORT: port });
    await page.locator('[data-testid=reconnecting]').waitFor({ state: 'hidden', ...WAIT });

    await textOf(page, 'gold', '100');
    await admin(`players/${playerId}/grants`, { grantId: 'second', gold: 50, items: {} });
    await textOf(page, 'gold', '150');
    // Back in the zone through the new gateway: the keys still walk.
    await walks(page, playerId, 'ArrowLeft');
    await page.close();
  });

  it('sends gold to another player by name, refusing a name nobody has', async () => {
    const [alice, bob] = [`alice_${randomSuffix()}`, `bob_${randomSuffix()}`];
    const [alicePage, bobPage] = [await openAndLogIn(alice), await openAndLogIn(bob)];
    await admin(`players/${(await login(alice)).playerId}/grants`, { grantId: 'start', gold: 40, items: {} });
    await textOf(alicePage, 'gold', '40');

    await alicePage.locator('[data-testid=send-gold-to]').fill(`nobody_${randomSuffix()}`);
    await alicePage.locator('[data-testid=send-gold-amount]').fill('15');
    await alicePage.locator('[data-testid=send-gold]').click();
    await alicePage.locator('[data-testid=message]').filter({ hasText: 'no player is named' }).waitFor(WAIT);

    await alicePage.locator('[data-testid=send-gold-to]').fill(bob.toUpperCase());
    await alicePage.locator('[data-testid=send-gold-amount]').press('Enter');
    await textOf(alicePage, 'gold', '25');
    await textOf(bobPage, 'gold', '15');
    await Promise.all([alicePage.close(), bobPage.close()]);
  });

  it('starts over at the login, name filled in, when the page comes back from the back/forward cache', async () => {
    // Playwright turns the back/forward cache off by default; this browser keeps it on, as a player's does.
    const caching = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox'],
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    try {
      const name = `back_${randomSuffix()}`;
      const page = await caching.newPage();
      await page.goto(gateway.url);
      await page.locator('[data-testid=login-name]').fill(name);
      await page.locator('[data-testid=login]').click();
      await textOf(page, 'connection', 'connected');

      await page.goto(`${gateway.url}/admin/`);
      // A page restored from the cache fires no load: wait for the navigation to commit only.
      await page.goBack({ waitUntil: 'commit' });
      await page.locator('[data-testid=login-form]').waitFor({ state: 'visible', ...WAIT });
      // Restored (not loaded afresh by the browser, which would be a back_forward navigation), then reloaded by the page.
      expect(await page.evaluate("performance.getEntriesByType('navigation').map((entry) => entry.type)")).toEqual(['reload']);
      expect(await page.locator('[data-testid=login-name]').inputValue()).toBe(name);
    } finally {
      await caching.close();
    }
  });

  it('looks players up by name, in any case, only for a logged-in player', async () => {
    const { token } = await login(`carol_${randomSuffix()}`);
    const daveName = `dave_${randomSuffix()}`;
    const dave = await login(daveName);
    const lookUp = async (name: string, authorization?: string) => {
      const response = await fetch(`${gateway.url}/players/by-name/${name}`, { headers: authorization ? { authorization } : {} });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await lookUp(daveName.toUpperCase(), `Bearer ${token}`)).toEqual({ status: 200, body: { playerId: dave.playerId, name: daveName } });
    expect(await lookUp(daveName)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await lookUp(daveName, 'Bearer not-a-token')).toMatchObject({ status: 401 });
    expect(await lookUp('no%20spaces', `Bearer ${token}`)).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
    expect(await lookUp(`nobody_${randomSuffix()}`, `Bearer ${token}`)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});
