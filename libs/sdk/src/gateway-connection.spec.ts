import { FakeNetwork, until } from './fake-socket.testing';
import { GatewayConnection, GatewayMove } from './gateway-connection';

const A = 'http://gateway-a:3000';
const B = 'http://gateway-b:3100';

async function connectedTo(urls: string[]) {
  const network = new FakeNetwork();
  const connection = new GatewayConnection({ urls, open: network.open, backoff: () => 1 });
  const moves: GatewayMove[] = [];
  let resumes = 0;
  const pushed: unknown[] = [];
  connection.onMove((move) => moves.push(move));
  connection.onResume(() => resumes++);
  connection.onPush('inventory:changed', (update) => pushed.push(update));
  const started = connection.start();
  network.latest(urls[0]).accept();
  await started;
  return { network, connection, moves, pushed, resumes: () => resumes };
}

const ask = (connection: GatewayConnection, commandId: string) => connection.request('inventory:command', () => ({ commandId }), 10_000);

describe('the SDK connection to the gateways', () => {
  it('on server:draining, connects at once to a gateway the notice names, sends there once connected, and on the draining one until then', async () => {
    const { network, connection, moves, resumes } = await connectedTo([A]);
    const a = network.latest(A);

    a.push('server:draining', { urls: [A, B], closingInMs: 10_000 });

    expect(moves).toEqual([{ from: A, to: B, reason: 'draining' }]);
    const b = network.latest(B);
    expect(b.connectAsked).toBe(1);
    const meanwhile = ask(connection, 'meanwhile');
    await until('the request sent to A while B connects', () => a.requests.length === 1);
    b.accept();
    const after = ask(connection, 'after');
    await until('the request sent to B', () => b.requests.length === 1);
    expect(a.closedByClient).toBe(false);
    a.requests[0].answer({ ok: true, from: 'A' });
    b.requests[0].answer({ ok: true, from: 'B' });
    await expect(meanwhile).resolves.toEqual({ ok: true, from: 'A' });
    await expect(after).resolves.toEqual({ ok: true, from: 'B' });
    expect({ resumes: resumes(), url: connection.url, onA: a.requests.length, aClosed: a.closedByClient }).toEqual({
      resumes: 1,
      url: B,
      onA: 1,
      aClosed: true,
    });
  });

  it('closes the draining socket as soon as the next one connects when nothing waits on it', async () => {
    const { network } = await connectedTo([A]);
    const a = network.latest(A);
    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    expect(a.closedByClient).toBe(false);
    network.latest(B).accept();
    expect(a.closedByClient).toBe(true);
  });

  it('keeps the old socket until what was sent on it is answered there, then closes it', async () => {
    const { network, connection } = await connectedTo([A]);
    const a = network.latest(A);
    const inFlight = ask(connection, 'before');
    await until('the request sent to A', () => a.requests.length === 1);

    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    network.latest(B).accept();
    expect(a.closedByClient).toBe(false);

    a.requests[0].answer({ ok: true, from: 'A' });
    await expect(inFlight).resolves.toEqual({ ok: true, from: 'A' });
    expect(a.closedByClient).toBe(true);
  });

  it('fails a request the stopping gateway closed the socket on without answering (the caller retries it elsewhere)', async () => {
    const { network, connection } = await connectedTo([A]);
    const a = network.latest(A);
    const lost = ask(connection, 'lost');
    await until('the request sent to A', () => a.requests.length === 1);
    a.push('server:draining', { urls: [B], closingInMs: 10_000 });

    a.close();

    await expect(lost).rejects.toThrow('socket has been disconnected');
    expect(a.closedByClient).toBe(true);
  });

  it('with no gateway named, reconnects to the same address only once the old socket is closed', async () => {
    const { network, connection, moves } = await connectedTo([A]);
    const old = network.latest(A);
    const inFlight = ask(connection, 'before');
    await until('the request sent to A', () => old.requests.length === 1);

    old.push('server:draining', { urls: [], closingInMs: 10_000 });
    const next = network.latest(A);
    expect(next).not.toBe(old);
    expect(next.connectAsked).toBe(0);

    old.requests[0].answer({ ok: true });
    await inFlight;
    await until('the new socket connecting', () => next.connectAsked === 1);
    expect(old.closedByClient).toBe(true);
    expect(moves).toEqual([{ from: A, to: A, reason: 'draining' }]);
  });

  it('prefers another of its own gateways to the same address when the notice names none', async () => {
    const { network, moves } = await connectedTo([A, B]);
    network.latest(A).push('server:draining', { urls: [], closingInMs: 10_000 });
    expect(moves).toEqual([{ from: A, to: B, reason: 'draining' }]);
    expect(network.latest(B).connectAsked).toBe(1);
  });

  it('hears pushes only from the socket in use', async () => {
    const { network, pushed } = await connectedTo([A]);
    const a = network.latest(A);
    a.push('inventory:changed', { from: 'A' });
    a.push('server:draining', { urls: [B], closingInMs: 10_000 });
    a.push('inventory:changed', { from: 'A, draining' });
    network.latest(B).accept();
    network.latest(B).push('inventory:changed', { from: 'B' });
    expect(pushed).toEqual([{ from: 'A' }, { from: 'B' }]);
  });

  it('moves to the gateway a draining refusal names, and connects there the first time too', async () => {
    const network = new FakeNetwork();
    const connection = new GatewayConnection({ urls: [A], open: network.open, backoff: () => 1 });
    let resumes = 0;
    connection.onResume(() => resumes++);
    const started = connection.start();

    network.latest(A).refuse('draining', { urls: [B], closingInMs: 5_000 });
    await until('connecting to B after the backoff', () => network.sockets.length === 2 && network.latest(B).connectAsked === 1);
    network.latest(B).accept();

    await started;
    expect({ url: connection.url, resumes, closedA: network.latest(A).closedByClient }).toEqual({ url: B, resumes: 0, closedA: true });
  });

  it('keeps knocking at the same address while it refuses because it is draining and names no other', async () => {
    const { network, connection } = await connectedTo([A]);
    network.latest(A).close();
    network.latest(A).refuse('draining', { urls: [], closingInMs: 5_000 });
    await until('a new socket knocking', () => network.sockets.length === 2 && network.latest(A).connectAsked === 1);
    network.latest(A).accept();
    expect(connection.url).toBe(A);
  });

  it('fails the first connection when the gateway refuses the token', async () => {
    const network = new FakeNetwork();
    const connection = new GatewayConnection({ urls: [A], open: network.open, backoff: () => 1 });
    const started = connection.start();
    network.latest(A).refuse('unauthorized');
    await expect(started).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('fails over to another of its own gateways when the one in use stops answering', async () => {
    const { network, moves } = await connectedTo([A, B]);
    network.latest(A).close();
    network.latest(A).refuse('websocket error');
    expect(moves).toEqual([{ from: A, to: B, reason: 'unreachable' }]);
    await until('connecting to B after the backoff', () => network.latest(B).connectAsked === 1);
    expect(network.latest(A).closedByClient).toBe(true);
  });

  it('moves to another of its gateways at once when the connection in use breaks, instead of knocking at the same one first', async () => {
    const { network, connection, moves } = await connectedTo([A, B]);
    const lost = ask(connection, 'lost');
    await until('the request sent to A', () => network.latest(A).requests.length === 1);

    network.latest(A).close();

    await expect(lost).rejects.toThrow('socket has been disconnected');
    expect(moves).toEqual([{ from: A, to: B, reason: 'unreachable' }]);
    expect(network.latest(B).connectAsked).toBe(1);
    expect(network.latest(A).closedByClient).toBe(true);
  });

  it('remembers the gateways a stopping one named, to fail over to them later', async () => {
    const { network, moves } = await connectedTo([A]);
    network.latest(A).push('server:draining', { urls: [B], closingInMs: 10_000 });
    network.latest(B).accept();
    network.latest(B).close();
    network.latest(B).refuse('websocket error');
    expect(moves).toEqual([
      { from: A, to: B, reason: 'draining' },
      { from: B, to: A, reason: 'unreachable' },
    ]);
  });

  it('connects again after the gateway disconnected its socket, which socket.io-client would not do', async () => {
    const { network } = await connectedTo([A]);
    const a = network.latest(A);
    a.kick();
    await until('connecting again', () => a.connectAsked === 2);
    expect(network.sockets).toEqual([a]);
  });

  it('leaves it to socket.io-client to reconnect when it knows no other gateway', async () => {
    const { network, moves } = await connectedTo([A]);
    network.latest(A).close();
    network.latest(A).refuse('websocket error');
    expect({ moves, sockets: network.sockets.length }).toEqual({ moves: [], sockets: 1 });
  });

  it('closes every socket it has on close, the one being left too', async () => {
    const { network, connection } = await connectedTo([A]);
    const a = network.latest(A);
    void ask(connection, 'pending').catch(() => undefined);
    await until('the request sent to A', () => a.requests.length === 1);
    a.push('server:draining', { urls: [B], closingInMs: 10_000 });

    connection.close();
    expect(network.sockets.map((socket) => socket.closedByClient)).toEqual([true, true]);
  });
  describe('its state', () => {
    const statesOf = (connection: GatewayConnection) => {
      const states: string[] = [];
      connection.onState((state) => states.push(state));
      return states;
    };

    it('is reconnecting from a broken connection until socket.io-client connects the same socket again', async () => {
      const { network, connection } = await connectedTo([A]);
      const states = statesOf(connection);
      expect(connection.state).toBe('connected');

      network.latest(A).close();
      expect(connection.state).toBe('reconnecting');
      network.latest(A).refuse('websocket error');
      network.latest(A).accept();

      expect({ states, now: connection.state }).toEqual({ states: ['reconnecting', 'connected'], now: 'connected' });
    });

    it('is reconnecting while it moves to another gateway, on notice too, and connected once there', async () => {
      const { network, connection } = await connectedTo([A]);
      const states = statesOf(connection);
      network.latest(A).push('server:draining', { urls: [B], closingInMs: 10_000 });
      expect(connection.state).toBe('reconnecting');
      network.latest(B).accept();
      expect(states).toEqual(['reconnecting', 'connected']);
    });

    it('is connecting before the first connect, and closed for good after close', async () => {
      const network = new FakeNetwork();
      const connection = new GatewayConnection({ urls: [A], open: network.open, backoff: () => 1 });
      const states = statesOf(connection);
      expect(connection.state).toBe('connecting');
      const started = connection.start();
      network.latest(A).accept();
      await started;

      connection.close();
      network.latest(A).accept();
      expect(states).toEqual(['connected', 'closed']);
    });
  });
});
