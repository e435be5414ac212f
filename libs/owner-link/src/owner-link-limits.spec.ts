import { heldHandler, linkFixture, waitFor } from './link-kit.testing';
import type { LinkPeer } from './server-connection';

describe('owner link: limits, timeouts and closing', () => {
  const link = linkFixture();

  it('times a request out, then ignores its late answer and keeps the connection', async () => {
    const handler = heldHandler();
    const { port } = await link.server({ handle: handler.handle });
    const pushes: unknown[] = [];
    const client = link.client(port, { onPush: (body) => pushes.push(body) });
    await expect(client.request('slow', 30)).rejects.toMatchObject({ reason: 'timeout' });
    expect(client.inFlight).toBe(0);

    const [late] = handler.take();
    late.answer('too late');
    // A push written after the late answer arrives after it: once it is seen, the late answer was read (and ignored).
    expect(late.peer.push('marker')).toBe(true);
    await waitFor(() => pushes.length === 1, 'the marker push');
    expect(client.connected).toBe(true);

    const next = client.request('next', 1_000);
    await waitFor(() => handler.held.length === 1, 'the next request');
    handler.take()[0].answer('on time');
    await expect(next).resolves.toBe('on time');
  });

  it('refuses at once past maxInFlight, and answers the others', async () => {
    const handler = heldHandler();
    const { port } = await link.server({ handle: handler.handle });
    const client = link.client(port, { maxInFlight: 3 });
    const answers = [1, 2, 3].map((n) => client.request(n, 2_000));
    await expect(client.request(4, 2_000)).rejects.toMatchObject({ reason: 'overloaded' });
    await waitFor(() => handler.held.length === 3, 'the three requests');
    for (const request of handler.take()) request.answer(request.body);
    await expect(Promise.all(answers)).resolves.toEqual([1, 2, 3]);
    await expect(client.request(5, 30)).rejects.toMatchObject({ reason: 'timeout' }); // sent: no longer overloaded
  });

  it('stops reading a connection with maxPendingPerConnection unanswered, resumes as answers drain, and answers all', async () => {
    const handler = heldHandler();
    const { port } = await link.server({ handle: handler.handle, maxPendingPerConnection: 4 });
    const client = link.client(port);
    const answers = Array.from({ length: 20 }, (_, n) => client.request(n, 5_000));
    await waitFor(() => handler.stats.calls === 4, 'the first four requests');

    // Another connection's round trip gives the first every chance to read on if it were going to.
    const { port: otherPort } = await link.server({ handle: async () => 'other' });
    await expect(link.client(otherPort).request('ping', 1_000)).resolves.toBe('other');
    const echo = await link.server({ handle: async () => 'same server, other connection', maxPendingPerConnection: 4 });
    await expect(link.client(echo.port).request('ping', 1_000)).resolves.toBe('same server, other connection');
    expect(handler.stats.calls).toBe(4);
    expect(client.inFlight).toBe(20);

    // One answer (3 left) is above half the limit: still not reading. A second (2 left) resumes it.
    handler.held.shift()!.answer(0);
    await expect(answers[0]).resolves.toBe(0);
    expect(handler.stats.calls).toBe(4);
    handler.held.shift()!.answer(1);
    await waitFor(() => handler.stats.calls === 6, 'reading to resume up to the limit again');

    while (handler.stats.calls < 20 || handler.held.length > 0) {
      const before = handler.stats.calls;
      for (const request of handler.take()) request.answer(request.body);
      if (before < 20) await waitFor(() => handler.stats.calls > before, 'more requests to be read');
    }
    await expect(Promise.all(answers)).resolves.toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(handler.stats.mostHeldAtOnce).toBe(4);
  });

  it('drops pushes past maxOutputBytes of unsent output, but still writes answers', async () => {
    const pushed: boolean[] = [];
    const { port } = await link.server({
      maxOutputBytes: 1_000,
      handle: async (_, peer: LinkPeer) => {
        // All in one tick, before any flush: the queued output alone crosses the limit.
        for (let n = 0; n < 4; n++) pushed.push(peer.push('x'.repeat(400)));
        return 'answered';
      },
    });
    const received: unknown[] = [];
    const client = link.client(port, { onPush: (body) => received.push(body) });
    await expect(client.request('go', 1_000)).resolves.toBe('answered');
    expect(pushed).toEqual([true, true, true, false]);
    expect(received).toHaveLength(3);
  });

  it('on close, answers what is being handled before closing, and handles nothing new', async () => {
    const handler = heldHandler();
    const { port, server } = await link.server({ handle: handler.handle });
    const client = link.client(port);
    const first = client.request('first', 2_000);
    await waitFor(() => handler.held.length === 1, 'the first request');
    const closed = server.close(2_000);
    const second = expect(client.request('second', 2_000)).rejects.toMatchObject({ reason: 'closed' });
    handler.take()[0].answer('answered while closing');
    await expect(first).resolves.toBe('answered while closing');
    await closed;
    await second;
    expect(handler.stats.calls).toBe(1);
    expect(server.connections).toBe(0);
  });

  it('closes after graceMs even when a handler never answers', async () => {
    const handler = heldHandler();
    const { port, server } = await link.server({ handle: handler.handle });
    const client = link.client(port);
    const stuck = expect(client.request('stuck', 5_000)).rejects.toMatchObject({ reason: 'closed' });
    await waitFor(() => handler.held.length === 1, 'the request');
    await server.close(20);
    await stuck;
    handler.take()[0].answer('after the close: written nowhere, thrown nowhere');
  });

  it('close() fails what is pending with closed, tells onDisconnect, and the next request reconnects', async () => {
    const handler = heldHandler();
    const { port, server } = await link.server({ handle: handler.handle });
    const onDisconnect = jest.fn();
    const client = link.client(port, { onDisconnect });
    const failure = expect(client.request('pending', 2_000)).rejects.toMatchObject({ reason: 'closed' });
    await waitFor(() => handler.held.length === 1, 'the request');
    client.close();
    await failure;
    expect(onDisconnect).toHaveBeenCalledTimes(1);
    expect(client.inFlight).toBe(0);
    await waitFor(() => server.connections === 0, 'the server to see the close');

    const next = client.request('again', 2_000);
    await waitFor(() => handler.held.length === 2, 'the request on a new connection');
    handler.held[1].answer('reconnected');
    await expect(next).resolves.toBe('reconnected');
    expect(server.connections).toBe(1);
  });

  it('refuses options that are no positive integers', async () => {
    expect(() => link.client(1, { maxInFlight: -1 })).toThrow('maxInFlight must be a positive integer');
    await expect(link.server({ handle: async () => 1, maxPendingPerConnection: 0 })).rejects.toThrow('maxPendingPerConnection');
  });
});
