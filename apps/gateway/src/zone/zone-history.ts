import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { aggregateAt, DedupeLimits, dedupeLimitsOf, EventStream, HistoryOutOfReachError, SnapshotStore } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { summaryOf, zoneDomain, ZoneState, ZoneSummary } from '@app/zone';
import { yieldingReads } from './yielding-reads';
import { ZONE_EVENTS, ZONE_SNAPSHOTS } from './zone-history-ports';

/** Another rebuild is running on this gateway: one at a time, so admins cannot stack replays on it. */
export class TimeTravelBusyError extends Error {
  constructor() {
    super('another time-travel rebuild is running on this gateway; retry shortly');
    this.name = new.target.name;
  }
}

/** A tick the limits do not reach; `oldestTick` is the zone's tick in the oldest usable snapshot, when there is one. */
export class TimeTravelOutOfReachError extends Error {
  constructor(
    message: string,
    readonly oldestTick: number | undefined,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Past ticks of a zone: rebuilt, not stored. Only reads the log (as an analytics consumer would) and the snapshots,
 * through the engine's ports (zone-history-ports.ts).
 * A rebuild is bounded: one at a time per gateway, at most `zoneTimeTravelMaxRecords` records read, and the event
 * loop turns between slices of records.
 */
@Injectable()
export class ZoneHistory {
  private readonly stream: EventStream;
  private readonly snapshots: SnapshotStore;
  private readonly domain = zoneDomain();
  private readonly maxRecords: number;
  /** As the owners keep it: checkpoints hash the memory of outcomes, which other limits would rebuild otherwise. */
  private readonly dedupe: DedupeLimits;
  // Hears why a snapshot was skipped (another log's, say), as recovery's warnings say it on the owners.
  private readonly logger = new Logger(ZoneHistory.name);
  private running = false;

  constructor(@Inject(ZONE_EVENTS) stream: EventStream, @Inject(ZONE_SNAPSHOTS) snapshots: SnapshotStore, @Inject(APP_CONFIG) config: GatewayConfig) {
    this.stream = yieldingReads(stream);
    this.snapshots = snapshots;
    this.maxRecords = config.zoneTimeTravelMaxRecords;
    this.dedupe = dedupeLimitsOf(config.zoneDedupe);
  }

  /** Rebuilds running now (0 or 1). */
  get rebuilding(): number {
    return this.running ? 1 : 0;
  }

  /**
   * The zone as it was right after `tick`: the newest snapshot before it, then the log re-simulated up to it, every
   * tick checked against the hash it logged. Undefined when the zone has not got that far. Throws
   * `TimeTravelBusyError` while another rebuild runs, `TimeTravelOutOfReachError` beyond the limits.
   */
  async at(zoneId: string, tick: number): Promise<ZoneSummary | undefined> {
    if (this.running) throw new TimeTravelBusyError();
    this.running = true;
    try {
      const partition = partitionOfKey(zoneId, await this.stream.partitionCount(this.stream.name));
      const source = { domain: this.domain, stream: this.stream, snapshots: this.snapshots, partition, dedupeCapacity: this.dedupe, logger: this.logger };
      const zone = await aggregateAt<ZoneState>(source, zoneId, (state) => state.tick >= tick, { maxRecords: this.maxRecords }).catch((error: unknown) => {
        throw error instanceof HistoryOutOfReachError ? outOfReach(zoneId, tick, this.maxRecords, error) : error;
      });
      return zone ? summaryOf(zone) : undefined;
    } finally {
      this.running = false;
    }
  }
}

function outOfReach(zoneId: string, tick: number, maxRecords: number, error: HistoryOutOfReachError): TimeTravelOutOfReachError {
  const oldestTick = (error.oldest as ZoneState | undefined)?.tick;
  const reach =
    oldestTick === undefined
      ? `time travel reads at most ${maxRecords} log records past a snapshot (or from the log start)`
      : `time travel reaches back to tick ${oldestTick} of zone ${zoneId} (its oldest snapshot), and at most ${maxRecords} log records past a snapshot`;
  return new TimeTravelOutOfReachError(`tick ${tick} is out of reach: ${reach}`, oldestTick);
}
