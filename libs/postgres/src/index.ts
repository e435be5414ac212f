export * from './data-source-options';
export * from './entities/player.entity';
export * from './snapshots/postgres-snapshot-store';
