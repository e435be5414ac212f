import { FakeNetwork, FakeSocket, until } from './fake-socket.testing';
import { GameClient } from './game-client';

const mockNetwork = new FakeNetwork();
jest.mock('socket.io-client', () => ({ io: (url: string) => mockNetwork.open(url) }));

const A = 'http://gateway-a:3000';
const B = 'http://gateway-b:3100';
const inventory = (gold: number, version: number) => ({ playerId: 'p_alice', gold, items: {}, equipment: {}, version });
const sight = { zoneId: 'meadow', tick: 7, playerId: 'p_alice', ackSeq: -1, entities: [] };

const requestsOn = (socket: FakeSocket, event: string) => socket.requests.filter((request) => request.event === event);
const sent = (event: string): Record<string, unknown>[] =>
  mockNetwork.sockets.flatMap((socket) => requestsOn(socket, event).map((request) => ({ to: socket.url, ...request.payload })));

/** Logs in at A (HTTP answered here), connects, and joins meadow. */
async function aliceInMeadow(): Promise<{ client: GameClient; a: FakeSocket }> {
  jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ playerId: 'p_alice', token: 'token' }), { status: 201 }));
  const login = GameClient.login({ url: A, retry: { baseDelayMs: 1, maxDelayMs: 2 } }, 'alice');
  await until('a socket to A', () => mockNetwork.sockets.length > 0);
  const a = mockNetwork.latest(A);
  a.accept();
  const client = await login;
  const joined = client.joinZone('meadow');
  await until('the join sent', () => requestsOn(a, 'zone:join').length === 1);
  requestsOn(a, 'zone:join')[0].answer({ ok: true, snapshot: sight });
  await joined;
  return { client, a };
}

describe('the SDK when its gateway stops', () => {
  afterEach(() => {
    mockNetwork.sockets.splice(0);
    jest.restoreAllMocks();
  });

  it('moves to the gateway named, retries there what the old one never answered with the same commandId, fetches its inventory and joins its zone again', async () => {
    const { client, a } = await aliceInMeadow();
    const transfer = client.transferGold('p_bob', 5);
    await until('the transfer sent to A', () => requestsOn(a, 'inventory:command').length === 1);

    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    const b = mockNetwork.latest(B);
    b.accept();
    // The stopping gateway gives up on the socket before the transfer is answered.
    a.close();
    await until('the transfer, the read and the join sent to B', () => b.requests.length === 3);
    for (const request of b.requests) {
      if (request.event === 'inventory:command') request.answer({ ok: true, inventory: inventory(95, 3) });
      if (request.event === 'inventory:get') request.answer({ ok: true, inventory: inventory(100, 2) });
      if (request.event === 'zone:join') request.answer({ ok: true, snapshot: { ...sight, tick: 9 } });
    }

    expect((await transfer).gold).toBe(95);
    const [first, retry] = sent('inventory:command');
    expect(first).toMatchObject({ to: A, type: 'transfer-gold', toPlayerId: 'p_bob', amount: 5 });
    expect(retry).toMatchObject({ to: B, commandId: first.commandId, firstSentMsAgo: expect.any(Number) });
    expect(sent('zone:join').map(({ to, zoneId }) => ({ to, zoneId }))).toEqual([
      { to: A, zoneId: 'meadow' },
      { to: B, zoneId: 'meadow' },
    ]);
    await until('the new sight applied', () => client.zone?.tick === 9);
    expect({ gateway: client.gateway, gold: client.inventory?.gold }).toEqual({ gateway: B, gold: 95 });
    client.close();
  });

  it('does not send again what the stopping gateway answered', async () => {
    const { client, a } = await aliceInMeadow();
    const transfer = client.transferGold('p_bob', 5);
    await until('the transfer sent to A', () => requestsOn(a, 'inventory:command').length === 1);

    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    mockNetwork.latest(B).accept();
    requestsOn(a, 'inventory:command')[0].answer({ ok: true, inventory: inventory(95, 3) });

    expect((await transfer).gold).toBe(95);
    expect(a.closedByClient).toBe(true);
    expect(sent('inventory:command').map(({ to }) => to)).toEqual([A]);
    client.close();
  });

  it('keeps steering through the move: a heading the new gateway has not seen is sent again after the join', async () => {
    const { client, a } = await aliceInMeadow();
    const seq = client.move(1, 0);
    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    const b = mockNetwork.latest(B);
    b.accept();
    await until('the join sent to B', () => requestsOn(b, 'zone:join').length === 1);
    // The zone applied inputs up to the one before: the latest heading never arrived.
    requestsOn(b, 'zone:join')[0].answer({ ok: true, snapshot: { ...sight, ackSeq: seq - 1 } });
    await until('the heading sent to B', () => b.emitted.length > 0);
    expect(b.emitted).toEqual([{ event: 'zone:input', payload: { seq: seq + 1, move: { x: 1, y: 0 } } }]);
    client.close();
  });
});
