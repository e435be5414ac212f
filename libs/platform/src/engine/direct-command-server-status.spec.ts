import { Logger } from '@nestjs/common';
import type { PartitionEngine, PartitionStatus } from '@app/engine';
import { OwnerLinkClient } from '@app/owner-link';
import { DirectCommandServer } from './direct-command-server';

describe('DirectCommandServer: status requests over a real link on loopback', () => {
  let server: DirectCommandServer;
  let client: OwnerLinkClient;

  beforeEach(async () => {
    server = new DirectCommandServer({ enabled: true, host: '127.0.0.1', port: 0, advertisedHost: '127.0.0.1' }, new Logger('test'), 'inventory-1');
    const port = Number((await server.listen()).split(':')[1]);
    client = new OwnerLinkClient({ host: '127.0.0.1', port });
  });

  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('answers not ready and owning nothing before the engine is handed over', async () => {
    await expect(client.request({ status: true }, 1_000)).resolves.toEqual({ instanceId: 'inventory-1', ready: false, partitions: [], standbys: 0 });
  });

  it("answers with the engine's readiness, partitions and standby count", async () => {
    const partitions = [{ partition: 0, phase: 'serving' } as PartitionStatus];
    const engine = { isReady: () => true, status: () => partitions, standbyStatus: () => [{ partition: 1, lastOffset: 3 }] };
    server.serve(engine as unknown as PartitionEngine<unknown>, () => Promise.resolve(2));

    await expect(client.request({ status: true }, 1_000)).resolves.toEqual({ instanceId: 'inventory-1', ready: true, partitions, standbys: 1 });
  });
});
