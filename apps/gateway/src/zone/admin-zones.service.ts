import { randomUUID } from 'node:crypto';
import { ConflictException, GoneException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DivergedError } from '@app/engine';
import { zoneOf, ZoneSummary } from '@app/zone';
import { refusedWithStatus } from '../shared/admin/refusal-status';
import { ZoneConnection } from './zone-connection';
import { TimeTravelBusyError, TimeTravelOutOfReachError, ZoneHistory } from './zone-history';

/** `503 unavailable` because another rebuild runs: worth retrying in a second (the controller says so in Retry-After). */
export class TimeTravelBusyException extends ServiceUnavailableException {}

/** Admin reads of a zone, now or at a past tick; every refusal is thrown with its HTTP status. */
@Injectable()
export class AdminZones {
  constructor(
    private readonly zones: ZoneConnection,
    private readonly history: ZoneHistory,
  ) {}

  async get(zoneId: string, atTick: number | undefined): Promise<ZoneSummary> {
    // Known here already: an unknown id goes no further (its refusal would be logged).
    if (!zoneOf(zoneId)) return refusedWithStatus({ ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } });
    const reply = await this.zones.client().get(zoneId, `get:${randomUUID()}`);
    if (!reply.ok) return refusedWithStatus(reply);
    if (atTick === undefined) return reply.summary;
    // A tick not reached yet would have the rebuild read the whole rest of the log for nothing.
    if (atTick > reply.summary.tick) throw notReached(zoneId, atTick);
    const past = await this.history.at(zoneId, atTick).catch((error: unknown) => {
      throw withStatus(error);
    });
    if (!past) throw notReached(zoneId, atTick);
    return past;
  }
}

function withStatus(error: unknown): unknown {
  if (error instanceof DivergedError) return new ConflictException({ ok: false, error: { code: 'diverged', message: error.message } });
  if (error instanceof TimeTravelOutOfReachError)
    return new GoneException({ ok: false, error: { code: 'out_of_range', message: error.message, oldestTick: error.oldestTick } });
  if (error instanceof TimeTravelBusyError) return new TimeTravelBusyException({ ok: false, error: { code: 'unavailable', message: error.message } });
  return error;
}

const notReached = (zoneId: string, tick: number) =>
  new NotFoundException({ ok: false, error: { code: 'not_found', message: `zone ${zoneId} has not reached tick ${tick}` } });
