import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '@app/config';
import { aggregateAt } from '@app/engine';
import { eventsTopicOf, KafkaEventStream, partitionOfKey } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { PostgresSnapshotStore } from '@app/postgres';
import { summaryOf, zoneDomain, ZoneState, ZoneSummary } from '@app/zone';
import { ServiceConnection } from '../services/service-connection';

// As the owners keep it: snapshots hold the dedupe window, and restoring one with less would drop entries.
const DEDUPE_CAPACITY = 10_000;

/** Past ticks of a zone: rebuilt, not stored. Only reads the log (as an analytics consumer would) and the snapshots. */
@Injectable()
export class ZoneHistory {
  private readonly stream: KafkaEventStream;
  private readonly snapshots: PostgresSnapshotStore;
  private readonly domain = zoneDomain();

  constructor(services: ServiceConnection, @Inject(APP_CONFIG) config: GatewayConfig, dataSource: DataSource) {
    this.stream = new KafkaEventStream({ kafka: services.kafka, admin: services.admin, eventsTopic: eventsTopicOf(config.kafka.topicPrefix, 'zone') });
    this.snapshots = new PostgresSnapshotStore(dataSource);
  }

  /**
   * The zone as it was right after `tick`: the newest snapshot before it, then the log re-simulated up to it, every
   * tick checked against the hash it logged. Undefined when the zone has not got that far.
   */
  async at(zoneId: string, tick: number): Promise<ZoneSummary | undefined> {
    const partition = partitionOfKey(zoneId, await this.stream.partitionCount(this.stream.name));
    const source = { domain: this.domain, stream: this.stream, snapshots: this.snapshots, partition, dedupeCapacity: DEDUPE_CAPACITY };
    const zone = await aggregateAt<ZoneState>(source, zoneId, (state) => state.tick >= tick);
    return zone ? summaryOf(zone) : undefined;
  }
}
