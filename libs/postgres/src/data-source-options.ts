import { DataSource, DataSourceOptions } from 'typeorm';
import { redactUrl } from '@app/config';
import { PlayerEntity } from './entities/player.entity';
import { CreatePlayers1764057600000 } from './migrations/1764057600000-create-players';
import { CreatePartitionSnapshots1764144000000 } from './migrations/1764144000000-create-partition-snapshots';
import { BindSnapshotsToTheirLog1765000000000 } from './migrations/1765000000000-bind-snapshots-to-their-log';
import { PlayersUniqueByLowerName1796480687000 } from './migrations/1796480687000-players-unique-by-lower-name';
import { CreateAnalyticsReadModels1796500000000 } from './migrations/1796500000000-create-analytics-read-models';
import { BindAnalyticsPositionsToTheirLog1796510000000 } from './migrations/1796510000000-bind-analytics-positions-to-their-log';
import { OrderAnalyticsHistoryByTime1796520000000 } from './migrations/1796520000000-order-analytics-history-by-time';

export const ENTITIES = [PlayerEntity];
/** In order; the schema only ever changes through these. */
export const MIGRATIONS = [
  CreatePlayers1764057600000,
  CreatePartitionSnapshots1764144000000,
  BindSnapshotsToTheirLog1765000000000,
  PlayersUniqueByLowerName1796480687000,
  CreateAnalyticsReadModels1796500000000,
  BindAnalyticsPositionsToTheirLog1796510000000,
  OrderAnalyticsHistoryByTime1796520000000,
];

/** Schema changes only through migrations: `synchronize` stays off everywhere. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    connectTimeoutMS: 5000,
    // keepAlive and a client-side query timeout: a server that goes silent fails calls instead of hanging them.
    extra: { max: 5, keepAlive: true, query_timeout: 60_000 },
  };
}

/** Applies pending migrations and returns the names applied by this call. */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize().catch((error: Error) => {
    throw new Error(`Cannot migrate PostgreSQL at DATABASE_URL (${redactUrl(url)}): ${error.message}`, { cause: error });
  });
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
