/** The running PartitionEngine of an app that hosts partitions. */
export const PARTITION_ENGINE = Symbol('PARTITION_ENGINE');
