import { Test } from '@nestjs/testing';
import { gatewayEnvSchema, parseEnv, toGatewayConfig } from '@app/config';
import { EventStream } from '@app/engine';
import { InMemoryEventStream, InMemorySnapshotStore, InMemoryTopics } from '@app/engine/testing';
import { APP_CONFIG } from '@app/platform';
import { TimeTravelBusyError, ZoneHistory } from './zone-history';
import { ZONE_EVENTS, ZONE_SNAPSHOTS } from './zone-history-ports';

/** ZoneHistory as the gateway's module builds it, over the ports it is given: here the engine's in-memory ones. */
async function historyOver(stream: EventStream): Promise<ZoneHistory> {
  const module = await Test.createTestingModule({
    providers: [
      ZoneHistory,
      { provide: ZONE_EVENTS, useValue: stream },
      { provide: ZONE_SNAPSHOTS, useValue: new InMemorySnapshotStore() },
      { provide: APP_CONFIG, useValue: toGatewayConfig(parseEnv(gatewayEnvSchema, {})) },
    ],
  }).compile();
  return module.get(ZoneHistory);
}

function emptyZoneLog(): InMemoryEventStream {
  const topics = new InMemoryTopics();
  topics.create('zone.events', 2);
  return new InMemoryEventStream(topics, 'zone.events');
}

describe('ZoneHistory', () => {
  it('reads the zone through the ports it is given: a tick an empty log never reached is undefined', async () => {
    const history = await historyOver(emptyZoneLog());
    await expect(history.at('meadow', 3)).resolves.toBeUndefined();
    expect(history.rebuilding).toBe(0);
  });

  it('runs one rebuild at a time: another one meanwhile is refused as busy, and the next after it runs', async () => {
    const log = emptyZoneLog();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stream: EventStream = {
      name: log.name,
      openWriter: (partition) => log.openWriter(partition),
      bounds: (partition) => log.bounds(partition),
      read: (partition, from, to, onRecords) => log.read(partition, from, to, onRecords),
      partitionCount: async (topic) => {
        await held;
        return log.partitionCount(topic);
      },
    };
    const history = await historyOver(stream);
    const first = history.at('meadow', 3);
    expect(history.rebuilding).toBe(1);
    await expect(history.at('meadow', 3)).rejects.toBeInstanceOf(TimeTravelBusyError);
    release();
    await expect(first).resolves.toBeUndefined();
    expect(history.rebuilding).toBe(0);
    await expect(history.at('meadow', 3)).resolves.toBeUndefined();
  });
});
