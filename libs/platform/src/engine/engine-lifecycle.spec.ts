import { Admin } from 'kafkajs';
import { PartitionEngine } from '@app/engine';
import { CrashWatch } from '@app/kafka';
import { DirectCommandServer } from './direct-command-server';
import { EngineLifecycle } from './engine.module';

describe('EngineLifecycle', () => {
  it('given a shutdown, then others stay watched while the engine drains and leaves its group, the watch stops before the direct server closes', async () => {
    const steps: string[] = [];
    let watching = true;
    const step = (name: string) => async () => void steps.push(`${name} (watching: ${watching})`);
    const engine = { stop: step('engine stops') } as unknown as PartitionEngine<unknown>;
    const admin = { disconnect: step('admin disconnects') } as unknown as Admin;
    const server = { close: step('direct server closes') } as unknown as DirectCommandServer;
    const crashWatch = {
      stop: async () => {
        watching = false;
        steps.push('crash watch stops');
      },
    } as unknown as CrashWatch;
    await new EngineLifecycle(engine, admin, { server, address: '127.0.0.1:1' }, crashWatch).beforeApplicationShutdown();
    expect(steps).toEqual([
      'engine stops (watching: true)',
      'crash watch stops',
      'direct server closes (watching: false)',
      'admin disconnects (watching: false)',
    ]);
  });
});
