import { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '@app/config';
import { EventStream, SnapshotStore } from '@app/engine';
import { eventsTopicOf, KafkaEventStream } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { PostgresSnapshotStore } from '@app/postgres';
import { ServiceConnection } from '../shared/service-connection';

/** The zone service's events stream, only read by time travel (as an analytics consumer would). */
export const ZONE_EVENTS = Symbol('zone events stream');
/** The zone service's snapshots, only read by time travel. */
export const ZONE_SNAPSHOTS = Symbol('zone snapshots');

/** The engine's ports time travel reads through: Kafka and PostgreSQL here, any adapter of the ports in a test. */
export const zoneHistoryPorts: Provider[] = [
  {
    provide: ZONE_EVENTS,
    inject: [ServiceConnection, APP_CONFIG],
    useFactory: (services: ServiceConnection, config: GatewayConfig): EventStream =>
      new KafkaEventStream({ kafka: services.kafka, admin: services.admin, eventsTopic: eventsTopicOf(config.kafka.topicPrefix, 'zone') }),
  },
  { provide: ZONE_SNAPSHOTS, inject: [DataSource], useFactory: (dataSource: DataSource): SnapshotStore => new PostgresSnapshotStore(dataSource) },
];
