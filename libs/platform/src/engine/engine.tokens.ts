/** The running PartitionEngine of an app that hosts partitions. */
export const PARTITION_ENGINE = Symbol('PARTITION_ENGINE');
/** The Prometheus registry of an app that hosts partitions. */
export const ENGINE_METRICS = Symbol('ENGINE_METRICS');
