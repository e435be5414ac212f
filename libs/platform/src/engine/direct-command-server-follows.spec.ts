import { Logger } from '@nestjs/common';
import type { PartitionEngine } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { OwnerLinkClient } from '@app/owner-link';
import { DirectCommandServer } from './direct-command-server';

const PARTITIONS = 4;

/** An aggregate id starting with `tag` whose partition is `partition`. */
function aggregateOn(partition: number, tag: string): string {
  for (let index = 0; ; index++) if (partitionOfKey(`${tag}-${index}`, PARTITIONS) === partition) return `${tag}-${index}`;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('DirectCommandServer: gateways following aggregates on their owner, over a real link on loopback', () => {
  let server: DirectCommandServer;
  let clients: OwnerLinkClient[];
  let owned: Set<number>;
  let port: number;
  const owns = (partition: number) => owned.has(partition);

  beforeEach(async () => {
    server = new DirectCommandServer({ enabled: true, host: '127.0.0.1', port: 0, advertisedHost: '127.0.0.1' }, new Logger('test'));
    port = Number((await server.listen()).split(':')[1]);
    clients = [];
    owned = new Set([0]);
  });

  afterEach(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  function connect(pushed: unknown[]): OwnerLinkClient {
    const client = new OwnerLinkClient({ host: '127.0.0.1', port, onPush: (body) => pushed.push(body) });
    clients.push(client);
    return client;
  }

  const serve = () => server.serve({ owns } as unknown as PartitionEngine<unknown>, () => Promise.resolve(PARTITIONS));
  const change = (aggregateId: string, view: unknown) => ({ aggregateId, value: JSON.stringify({ aggregateId, view }) });

  it('pushes the views of an aggregate followed here until it is unfollowed', async () => {
    const pushed: unknown[] = [];
    const client = connect(pushed);
    serve();
    const zone = aggregateOn(0, 'zone');

    await expect(client.request({ follow: zone }, 1_000)).resolves.toEqual({ ok: true });
    server.viewsChanged([change(zone, { tick: 1 }), change(aggregateOn(0, 'other'), { tick: 1 })]);
    await waitFor(() => pushed.length === 1, 'the followed view');
    expect(pushed).toEqual([{ aggregateId: zone, view: { tick: 1 } }]);

    await expect(client.request({ unfollow: zone }, 1_000)).resolves.toEqual({ ok: true });
    server.viewsChanged([change(zone, { tick: 2 })]);
    // A request answered after the change was pushed proves the push would have arrived first: none came.
    await client.request({ unfollow: zone }, 1_000);
    expect(pushed).toHaveLength(1);
  });

  it('answers resend for an aggregate whose partition is not owned here, or before the engine is there', async () => {
    const client = connect([]);
    const elsewhere = aggregateOn(1, 'zone');
    await expect(client.request({ follow: elsewhere }, 1_000)).resolves.toEqual({ ok: false, resend: true, reason: 'this process is starting' });
    serve();
    await expect(client.request({ follow: elsewhere }, 1_000)).resolves.toEqual({ ok: false, resend: true, reason: expect.stringContaining('not owned here') });
  });

  it('answers a clear error for a malformed follow, and still takes commands', async () => {
    const client = connect([]);
    serve();
    await expect(client.request({ follow: 42 }, 1_000)).resolves.toEqual({ ok: false, error: expect.stringContaining('follow takes an aggregateId') });
    await expect(client.request({ envelope: {} }, 1_000)).resolves.toMatchObject({ kind: 'outcome', outcome: { ok: false } });
  });

  it('forgets the follows of a connection that closed', async () => {
    const pushed: unknown[] = [];
    const client = connect(pushed);
    serve();
    const zone = aggregateOn(0, 'zone');
    await client.request({ follow: zone }, 1_000);
    expect(server.followedAggregates).toBe(1);
    client.close();
    await waitFor(() => server.followedAggregates === 0, 'the owner to see the connection close');

    const again: unknown[] = [];
    const other = connect(again);
    await other.request({ follow: aggregateOn(0, 'another') }, 1_000);
    server.viewsChanged([change(zone, { tick: 1 })]);
    await other.request({ follow: aggregateOn(0, 'another') }, 1_000);
    expect([...pushed, ...again]).toEqual([]);
  });
});
