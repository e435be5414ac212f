import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Admin } from 'kafkajs';
import { EngineConfig } from '@app/config';
import { AggregateDomain, PartitionEngine } from '@app/engine';
import { commandsTopicOf, CrashWatch, kafkaEnginePorts } from '@app/kafka';
import { PostgresSnapshotStore } from '@app/postgres';
import { APP_CONFIG } from '../app-config.token';
import { createAppKafka } from '../app-kafka';
import { DirectCommandServer } from './direct-command-server';
import { engineMetrics } from './engine-metrics';
import { EngineMetricsController } from './engine-metrics.controller';
import { EngineStatusController } from './engine-status.controller';
import { ENGINE_METRICS, PARTITION_ENGINE } from './engine.tokens';

const ENGINE_ADMIN = Symbol('ENGINE_ADMIN');
const DIRECT_SERVER = Symbol('DIRECT_SERVER');
const CRASH_WATCH = Symbol('CRASH_WATCH');
const ENGINE_PARTS = Symbol('ENGINE_PARTS');
/** The engine and what watches its group's other members, built on the same Kafka client. */
type EngineParts = {
  engine: PartitionEngine<unknown>;
  crashWatch: CrashWatch | null;
};
/** The server gateways send commands to straight, and the address this process advertises for it; null when off. */
type DirectServer = { server: DirectCommandServer; address: string };

/** Starts the engine once the app is up and stops it (drain, snapshot, leave the group) on shutdown. */
@Injectable()
export class EngineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PARTITION_ENGINE) private readonly engine: PartitionEngine<unknown>,
    @Inject(ENGINE_ADMIN) private readonly admin: Admin,
    @Inject(DIRECT_SERVER) private readonly direct: DirectServer | null,
    @Inject(CRASH_WATCH) private readonly crashWatch: CrashWatch | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.admin.connect();
    await this.engine.start();
    this.crashWatch?.start();
  }

  // Before, not on, application shutdown: TypeORM closes the database there, and the drain's snapshots need it.
  async beforeApplicationShutdown(): Promise<void> {
    // Others stay watched while this process drains: one that crashes meanwhile is still evicted at once. The watch
    // never watches this process itself, and the engine leaves the group before the direct server closes, so those
    // watching this process see it leave before its link closes and evict nothing.
    await this.engine.stop();
    await this.crashWatch?.stop();
    await this.direct?.server.close();
    await this.admin.disconnect();
  }
}

/** Writers kept connected ahead of a takeover: as many as the partitions a surviving owner of 8 in 2 takes at once. */
const SPARE_WRITERS = 4;

/** Hosts the partitions of one service's domain in a NestJS app: wiring only, the engine does the work. */
@Module({})
export class EngineModule {
  static forDomain<S, C, E, R>(domain: AggregateDomain<S, C, E, R>): DynamicModule {
    return {
      module: EngineModule,
      global: true,
      controllers: [EngineStatusController, EngineMetricsController],
      providers: [
        {
          provide: ENGINE_ADMIN,
          inject: [APP_CONFIG],
          useFactory: (config: EngineConfig) => createAppKafka(config.kafka, `${config.kafka.clientId}-engine-admin`).admin(),
        },
        {
          // Listening before the engine joins its group: the address it advertises there must answer.
          provide: DIRECT_SERVER,
          inject: [APP_CONFIG],
          useFactory: async (config: EngineConfig) => {
            if (!config.direct.enabled) return null;
            const server = new DirectCommandServer(config.direct, new Logger(`direct:${domain.service}`), config.kafka.clientId);
            return { server, address: await server.listen() };
          },
        },
        {
          provide: ENGINE_PARTS,
          inject: [APP_CONFIG, ENGINE_ADMIN, DataSource, DIRECT_SERVER],
          useFactory: (config: EngineConfig, admin: Admin, dataSource: DataSource, direct: DirectServer | null) => {
            const kafka = createAppKafka(config.kafka);
            const ports = kafkaEnginePorts({
              kafka,
              admin,
              topicPrefix: config.kafka.topicPrefix,
              service: domain.service,
              sessionTimeoutMs: config.engine.sessionTimeoutMs,
              advertise: direct?.address,
            });
            const engine = new PartitionEngine({
              domain,
              ...ports,
              snapshots: new PostgresSnapshotStore(dataSource),
              logger: new Logger(`engine:${domain.service}`),
              options: {
                maxBatchSize: config.engine.maxBatchSize,
                dedupeCapacity: config.engine.dedupeCapacity,
                retryHorizonMs: config.engine.retryHorizonMs,
                snapshotEveryRecords: config.engine.snapshotEveryRecords,
                snapshotEveryMs: config.engine.snapshotEveryMs,
                publishChanges: config.engine.publishChanges,
                warmStandby: config.engine.warmStandby,
                spareWriters: SPARE_WRITERS,
              },
              // Gateways following an aggregate here get its views straight, not from the changes topic.
              viewsChanged: direct ? (changes) => direct.server.viewsChanged(changes) : undefined,
            });
            const commandsTopic = commandsTopicOf(config.kafka.topicPrefix, domain.service);
            direct?.server.serve(engine as PartitionEngine<unknown>, () => ports.stream.partitionCount(commandsTopic));
            return {
              engine,
              crashWatch: ports.crashWatch(new Logger(`crash-watch:${domain.service}`)) ?? null,
            };
          },
        },
        {
          provide: PARTITION_ENGINE,
          inject: [ENGINE_PARTS],
          useFactory: (parts: EngineParts) => parts.engine,
        },
        {
          provide: CRASH_WATCH,
          inject: [ENGINE_PARTS],
          useFactory: (parts: EngineParts) => parts.crashWatch,
        },
        {
          provide: ENGINE_METRICS,
          inject: [PARTITION_ENGINE],
          useFactory: (engine: PartitionEngine<unknown>) => engineMetrics(engine, domain.service),
        },
        EngineLifecycle,
      ],
      exports: [PARTITION_ENGINE],
    };
  }
}
