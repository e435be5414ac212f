import { connect, createServer, type AddressInfo } from 'node:net';
import type { LinkPeer } from './server-connection';
import { OwnerLinkClient, type OwnerLinkClientOptions } from './owner-link-client';
import { OwnerLinkServer, type OwnerLinkServerOptions } from './owner-link-server';

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. Conditions, never fixed sleeps. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export interface HeldRequest {
  body: unknown;
  peer: LinkPeer;
  answer(value: unknown): void;
  fail(error: Error): void;
}

/** A handler that answers only when the test says so, and counts what it was given and how much it held at once. */
export function heldHandler() {
  const held: HeldRequest[] = [];
  const stats = { calls: 0, mostHeldAtOnce: 0 };
  let holding = 0;
  const handle = (body: unknown, peer: LinkPeer) =>
    new Promise<unknown>((resolve, reject) => {
      stats.calls++;
      stats.mostHeldAtOnce = Math.max(stats.mostHeldAtOnce, ++holding);
      const answer = (value: unknown) => (holding--, resolve(value));
      const fail = (error: Error) => (holding--, reject(error));
      held.push({ body, peer, answer, fail });
    });
  /** Takes every request held now (the next ones accumulate again). */
  const take = () => held.splice(0, held.length);
  return { handle, held, stats, take };
}

/** A plain TCP client speaking raw bytes, for what a well-behaved OwnerLinkClient never sends. */
export async function rawSocket(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  const received: string[] = [];
  let buffered = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    received.push(...lines);
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    received,
    get closed() {
      return closed;
    },
    write: (data: string | Buffer) => socket.write(data),
  };
}

/** A port nobody listens on: bound, read, released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts servers and clients on loopback and closes all of them after each test, so a failing test leaves no socket
 * open behind it.
 */
export function linkFixture() {
  const servers: OwnerLinkServer[] = [];
  const clients: OwnerLinkClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(servers.splice(0).map((server) => server.close(0)));
  });
  return {
    async server(options: Partial<OwnerLinkServerOptions> & Pick<OwnerLinkServerOptions, 'handle'>) {
      const server = new OwnerLinkServer({ host: '127.0.0.1', port: 0, ...options });
      servers.push(server);
      const { port } = await server.listen();
      return { server, port };
    },
    client(port: number, options: Partial<OwnerLinkClientOptions> = {}) {
      const client = new OwnerLinkClient({ host: '127.0.0.1', port, ...options });
      clients.push(client);
      return client;
    },
  };
}
