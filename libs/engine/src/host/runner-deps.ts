import { AggregateDomain } from '../domain/aggregate-domain';
import { EventStream } from '../ports/event-stream';
import { SnapshotStore } from '../ports/snapshot-store';
import { EngineLogger, EngineOptions } from './engine-options';
import { WarmStart } from './warm-standby';

/** The view of one aggregate a counted batch changed, as serialized for the changes topic: `{"aggregateId","view"}`. */
export interface ChangedView {
  aggregateId: string;
  value: string;
}

/** What the engine gives the runner of each partition it owns. */
export interface RunnerDeps<S> {
  domain: AggregateDomain<S, unknown, unknown, unknown>;
  stream: EventStream;
  snapshots: SnapshotStore;
  /** The commands topic of a service, for commands this partition sends (its own service when omitted). */
  commandsTopic(service?: string): string;
  /** Where this service publishes changed aggregates' views, when its domain has a `view`. */
  changesTopic: string;
  options: EngineOptions;
  logger: EngineLogger;
  /** Reads a clock; only the engine does, and only to stamp commands its timer issues. */
  now(): number;
  /** Has the feed deliver this partition's commands again from an offset. */
  rewind(offset: number): void;
  /** Resolves at the group's next word (heartbeat or rejoin): is this partition still assigned here? */
  stillOwned(): Promise<boolean>;
  /** Names this process in its claim records, for whoever reads the log. */
  owner: string;
  /** The partition's memory as a warm standby here kept it, taken over by its recovery (none when standbys are off). */
  warm?(partition: number): Promise<WarmStart<S> | undefined>;
  /** Hears the views of each batch that counted, once, as soon as it counts (see `PartitionEngineDeps.viewsChanged`). */
  viewsChanged?(changes: ChangedView[]): void;
}

/** How the log and the logs name one partition: `stream[partition]`. */
export const partitionLabel = (deps: Pick<RunnerDeps<unknown>, 'stream'>, partition: number): string => `${deps.stream.name}[${partition}]`;
