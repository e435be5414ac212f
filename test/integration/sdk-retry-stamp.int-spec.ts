import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { GameClient, GameError } from '@app/sdk';

/**
 * What the SDK sends when it retries an inventory or zone command, seen by a stand-in gateway on loopback that answers
 * `unavailable` a few times: the same commandId, and on each retry (never the first sending) how long ago the first
 * was sent, by the client's own clock; and that it gives up once `giveUpAfterMs` has passed since the first sending.
 */
describe('SDK retries of a command', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const payloads: Record<string, unknown>[] = [];
  let unavailableFor = 0;

  beforeAll(async () => {
    http = createServer((request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ playerId: 'p_test', token: 'token' }));
    });
    io = new Server(http);
    io.on('connection', (socket) => {
      socket.on('inventory:command', (payload: Record<string, unknown>, ack: (reply: unknown) => void) => {
        payloads.push(payload);
        if (payloads.length <= unavailableFor) ack({ ok: false, error: { code: 'unavailable', message: 'try again' } });
        else ack({ ok: true, inventory: { playerId: 'p_test', gold: 1, items: {}, equipment: {}, version: payloads.length } });
      });
      socket.on('zone:leave', (payload: Record<string, unknown>, ack: (reply: unknown) => void) => {
        payloads.push(payload);
        ack(payloads.length <= unavailableFor ? { ok: false, error: { code: 'unavailable', message: 'try again' } } : { ok: true });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await io.close();
  });

  beforeEach(() => {
    payloads.length = 0;
  });

  it('stamps each retry, not the first sending, with the time since the first, under the same commandId', async () => {
    unavailableFor = 2;
    const client = await GameClient.login({ url, retry: { baseDelayMs: 20, maxDelayMs: 40 } }, 'alice');
    try {
      await client.use('potion');
    } finally {
      client.close();
    }
    expect(payloads).toHaveLength(3);
    expect(new Set(payloads.map((payload) => payload.commandId)).size).toBe(1);
    expect(payloads[0]).not.toHaveProperty('firstSentMsAgo');
    const [second, third] = payloads.slice(1).map((payload) => payload.firstSentMsAgo as number);
    expect(second).toBeGreaterThan(0);
    expect(third).toBeGreaterThan(second);
  });

  it('stamps a retried zone command too', async () => {
    unavailableFor = 1;
    const client = await GameClient.login({ url, retry: { baseDelayMs: 20, maxDelayMs: 40 } }, 'carol');
    try {
      await client.leaveZone();
    } finally {
      client.close();
    }
    expect(payloads).toHaveLength(2);
    expect(payloads[1].commandId).toBe(payloads[0].commandId);
    expect(payloads[0]).not.toHaveProperty('firstSentMsAgo');
    expect(payloads[1].firstSentMsAgo).toBeGreaterThan(0);
  });

  it('gives up once giveUpAfterMs has passed since the first sending, with the last refusal', async () => {
    unavailableFor = Infinity;
    const client = await GameClient.login({ url, retry: { attempts: 1_000, baseDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 300 } }, 'bob');
    try {
      await expect(client.use('potion')).rejects.toEqual(new GameError('unavailable', 'try again'));
    } finally {
      client.close();
    }
    expect(payloads.length).toBeLessThan(1_000);
    expect(Math.max(...payloads.map((payload) => (payload.firstSentMsAgo as number | undefined) ?? 0))).toBeLessThan(300);
  });
});
