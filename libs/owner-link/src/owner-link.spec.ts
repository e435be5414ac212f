import { freePort, heldHandler, linkFixture, rawSocket, waitFor } from './link-kit.testing';
import { LinkError } from './link-error';
import { OwnerLinkServer } from './owner-link-server';
import type { LinkPeer } from './server-connection';

describe('owner link: requests, answers and pushes', () => {
  const link = linkFixture();
  const echo = async (body: unknown) => ({ echo: body });

  it('answers a request on a connection made on first use', async () => {
    const { port, server } = await link.server({ handle: echo });
    const client = link.client(port);
    expect(client.connected).toBe(false);
    await expect(client.request({ hello: 'wörld' }, 1_000)).resolves.toEqual({ echo: { hello: 'wörld' } });
    expect(client.connected).toBe(true);
    expect(client.inFlight).toBe(0);
    expect(server.connections).toBe(1);
  });

  it('handles only requests carrying the secret when the server has one, answering the others unauthorized', async () => {
    let handled = 0;
    const count = async (body: unknown) => {
      handled++;
      return echo(body);
    };
    const guarded = await link.server({ handle: count, secret: 'link-secret-1' });
    const stranger = link.client(guarded.port);
    const wrong = link.client(guarded.port, { secret: 'link-secret-2' });
    const friend = link.client(guarded.port, { secret: 'link-secret-1' });
    await expect(stranger.request('grant me gold', 1_000)).rejects.toMatchObject({ reason: 'remote', message: expect.stringContaining('unauthorized') });
    await expect(wrong.request('grant me gold', 1_000)).rejects.toMatchObject({ reason: 'remote', message: expect.stringContaining('unauthorized') });
    expect(handled).toBe(0);
    await expect(friend.request('hello', 1_000)).resolves.toEqual({ echo: 'hello' });
    expect(handled).toBe(1);
  });

  it('carries an undefined body or answer as null', async () => {
    const { port } = await link.server({ handle: async (body) => (body === null ? undefined : 'not null') });
    await expect(link.client(port).request(undefined, 1_000)).resolves.toBeNull();
  });

  it('pipelines many requests on one connection and matches answers given in reverse order', async () => {
    const handler = heldHandler();
    const { port, server } = await link.server({ handle: handler.handle });
    const client = link.client(port);
    const answers = Array.from({ length: 200 }, (_, n) => client.request(n, 2_000));
    await waitFor(() => handler.held.length === 200, 'the server to hold all 200 requests');
    expect(client.inFlight).toBe(200);
    for (const request of handler.take().reverse()) request.answer({ doubled: (request.body as number) * 2 });
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 200 }, (_, n) => ({ doubled: n * 2 })));
    expect(server.connections).toBe(1);
  });

  it('turns a handler that rejects or throws into LinkError remote, and keeps serving', async () => {
    const { port } = await link.server({
      handle: (body) => {
        if (body === 'throw') throw new Error('thrown at once');
        return body === 'reject' ? Promise.reject(new Error('insufficient gold')) : Promise.resolve('fine');
      },
    });
    const client = link.client(port);
    await expect(client.request('reject', 1_000)).rejects.toEqual(new LinkError('remote', 'insufficient gold'));
    await expect(client.request('throw', 1_000)).rejects.toMatchObject({ reason: 'remote', message: 'thrown at once' });
    await expect(client.request('ok', 1_000)).resolves.toBe('fine');
  });

  it('answers with an error, not a broken connection, when the answer cannot travel', async () => {
    const { port } = await link.server({ handle: async (body) => (body === 'big' ? 'x'.repeat(2_000) : 1n), maxFrameBytes: 1_000 });
    const client = link.client(port);
    await expect(client.request('big', 1_000)).rejects.toMatchObject({ reason: 'remote', message: expect.stringMatching(/cannot be sent.*2\d{3} bytes/) });
    await expect(client.request('bigint', 1_000)).rejects.toMatchObject({ reason: 'remote', message: expect.stringContaining('not JSON') });
  });

  it('refuses at once a request that cannot travel, without sending it', async () => {
    const { port } = await link.server({ handle: echo });
    const client = link.client(port, { maxFrameBytes: 100 });
    await expect(client.request('x'.repeat(200), 1_000)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(client.request({ n: 1n }, 1_000)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(client.request('ok', 0)).rejects.toMatchObject({ reason: 'invalid' });
    expect(client.connected).toBe(false);
  });

  it('delivers pushes, in order with the answers of the same connection', async () => {
    const { port } = await link.server({
      handle: async (body, peer) => {
        expect(peer.push({ before: body })).toBe(true);
        return 'answer';
      },
    });
    const seen: unknown[] = [];
    const client = link.client(port, { onPush: (body) => seen.push(body) });
    await expect(client.request(1, 1_000)).resolves.toBe('answer');
    expect(seen).toEqual([{ before: 1 }]);
  });

  it('delivers pushes serialized already (pushJson) as the same body, and says how long their frame was', async () => {
    const json = JSON.stringify({ aggregateId: 'meadow', view: { tick: 7, name: 'wörld' } });
    const { port } = await link.server({ handle: async (_, peer) => peer.pushJson(json) });
    const seen: [unknown, number][] = [];
    const client = link.client(port, { onPush: (body, chars) => seen.push([body, chars]) });
    await expect(client.request('follow', 1_000)).resolves.toBe(true);
    expect(seen).toEqual([[JSON.parse(json), `{"p":${json}}`.length]]);
  });

  it('refuses a pushJson whose text would break or outgrow the frame, and sends nothing', async () => {
    const { port } = await link.server({
      handle: async (_, peer) => [peer.pushJson('{"a":\n1}'), peer.pushJson(''), peer.pushJson(JSON.stringify('x'.repeat(2_000))), peer.pushJson('"fits"')],
      maxFrameBytes: 1_000,
    });
    const seen: unknown[] = [];
    const client = link.client(port, { onPush: (body) => seen.push(body) });
    await expect(client.request('go', 1_000)).resolves.toEqual([false, false, false, true]);
    expect(seen).toEqual(['fits']);
  });

  it('survives an onPush that throws, reporting it', async () => {
    const { port } = await link.server({ handle: async (_, peer) => peer.push('boom') });
    const log = jest.fn();
    const client = link.client(port, {
      log,
      onPush: () => {
        throw new Error('listener bug');
      },
    });
    await expect(client.request(1, 1_000)).resolves.toBe(true);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('listener bug'));
  });

  it('refuses pushes to a peer whose connection closed, and tells its close listeners', async () => {
    let peer: LinkPeer | undefined;
    const { port, server } = await link.server({ handle: async (_, from) => ((peer = from), 'ok') });
    const client = link.client(port);
    await client.request('hello', 1_000);
    const closed = jest.fn();
    peer!.onClose(closed);
    client.close();
    await waitFor(() => server.connections === 0, 'the server to see the connection close');
    expect(closed).toHaveBeenCalledTimes(1);
    expect(peer!.push('anyone there?')).toBe(false);
    const late = jest.fn();
    peer!.onClose(late);
    await waitFor(() => late.mock.calls.length === 1, 'a listener added after the close to be called');
  });

  it('reads frames split across chunks (a multi-byte character cut in two) and several frames in one chunk', async () => {
    const handler = heldHandler();
    const { port } = await link.server({ handle: handler.handle });
    const raw = await rawSocket(port);
    const second = Buffer.from('{"i":2,"q":"€uro"}\n');
    raw.write(Buffer.concat([Buffer.from('{"i":1,"q":"first"}\n'), second.subarray(0, 12)])); // cuts the 3 bytes of €
    // The first frame handled proves the server read that chunk, so the rest arrives in another.
    await waitFor(() => handler.held.length === 1, 'the first frame');
    raw.write(second.subarray(12));
    raw.write('{"i":3,"q":3,"extra":"ignored"}\n{"i":4,"q":4}\n');
    await waitFor(() => handler.held.length === 4, 'the other three frames');
    const bodies = ['first', '€uro', 3, 4];
    expect(handler.held.map((request) => request.body)).toEqual(bodies);
    for (const request of handler.take()) request.answer(request.body);
    await waitFor(() => raw.received.length === 4, 'four answers');
    expect(raw.received.map((line) => JSON.parse(line) as unknown)).toEqual(bodies.map((a, n) => ({ i: n + 1, a })));
  });

  it('closes only the connection that sends an oversized or malformed frame', async () => {
    const { port } = await link.server({ handle: echo, maxFrameBytes: 100 });
    const client = link.client(port);
    await client.request('before', 1_000);
    const tooLong = await rawSocket(port);
    tooLong.write(`{"i":1,"q":"${'x'.repeat(200)}"}\n`);
    const unfinished = await rawSocket(port);
    unfinished.write('x'.repeat(101));
    const garbage = await rawSocket(port);
    garbage.write('{"i":1,"q":1}\nnot json\n{"i":2,"q":2}\n');
    await waitFor(() => tooLong.closed && unfinished.closed && garbage.closed, 'the three offenders to be disconnected');
    expect(tooLong.received).toEqual([]);
    await expect(client.request('after', 1_000)).resolves.toEqual({ echo: 'after' });
    expect(client.connected).toBe(true);
  });

  it('fails with connect when nobody listens', async () => {
    const onDisconnect = jest.fn();
    const client = link.client(await freePort(), { onDisconnect });
    const failed = client.request('anyone?', 1_000);
    await expect(failed).rejects.toBeInstanceOf(LinkError);
    await expect(failed).rejects.toMatchObject({ reason: 'connect', message: expect.stringContaining('cannot connect') });
    expect(client.connected).toBe(false);
    expect(onDisconnect).not.toHaveBeenCalled();
  });

  it('fails what is pending with closed when the server closes, and reconnects once one listens again on that port', async () => {
    const handler = heldHandler();
    const { port, server } = await link.server({ handle: handler.handle });
    const onDisconnect = jest.fn();
    const client = link.client(port, { onDisconnect });
    const failures = [1, 2].map((n) => expect(client.request(n, 2_000)).rejects.toMatchObject({ reason: 'closed' }));
    await waitFor(() => handler.held.length === 2, 'the server to hold both');
    await server.close(0);
    await Promise.all(failures);
    await waitFor(() => onDisconnect.mock.calls.length === 1, 'onDisconnect');
    expect(client.connected).toBe(false);

    await expect(client.request('nobody yet', 1_000)).rejects.toMatchObject({ reason: 'connect' });
    const again = new OwnerLinkServer({ host: '127.0.0.1', port, handle: echo });
    try {
      await again.listen();
      await expect(client.request('back', 1_000)).resolves.toEqual({ echo: 'back' });
      expect(onDisconnect).toHaveBeenCalledTimes(1);
    } finally {
      client.close();
      await again.close(0);
    }
  });
});
