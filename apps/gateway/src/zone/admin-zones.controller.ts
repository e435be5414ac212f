import { randomUUID } from 'node:crypto';
import { ConflictException, Controller, Get, GoneException, NotFoundException, Param, Query, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DivergedError } from '@app/engine';
import { zoneOf } from '@app/zone';
import { z } from 'zod';
import { ZodPipe } from '../shared/http/zod.pipe';
import { TimeTravelBusyError, TimeTravelOutOfReachError, ZoneHistory } from './zone-history';
import { ZoneConnection } from './zone-connection';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { refusedWithStatus } from '../shared/admin/refusal-status';

const zoneIdSchema = z.string().min(1).max(64);
const atTickSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
const entities = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: 'integer' }, y: { type: 'integer' }, hp: { type: 'integer' } } } };

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/zones')
@UseGuards(AdminTokenGuard)
export class AdminZonesController {
  constructor(
    private readonly zones: ZoneConnection,
    private readonly history: ZoneHistory,
  ) {}

  @Get(':zoneId')
  @ApiQuery({ name: 'atTick', required: false, description: 'a past tick: the zone rebuilt from snapshot + log, every tick re-simulated and checked against its logged hash' })
  @ApiResponse({
    status: 200,
    description: 'the zone now (every command acknowledged before the request is in it), or right after tick atTick',
    schema: { type: 'object', properties: { zoneId: { type: 'string' }, tick: { type: 'integer' }, stateHash: { type: 'string' }, players: entities, monsters: entities } },
  })
  @ApiResponse({ status: 404, description: 'no such zone, or it has not reached atTick' })
  @ApiResponse({ status: 409, description: 'replaying the log up to atTick did not reproduce a logged hash (diverged)' })
  @ApiResponse({ status: 410, description: 'atTick is older than time travel reaches (`out_of_range`; the message and `oldestTick` say how far back it goes)' })
  @ApiResponse({ status: 503, description: 'the zone service did not answer, or another time-travel rebuild is running on this gateway (`unavailable`); retry' })
  async get(
    @Param('zoneId', new ZodPipe(zoneIdSchema)) zoneId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('atTick', new ZodPipe(atTickSchema)) atTick?: number,
  ) {
    // Known here already: an unknown id goes no further (its refusal would be logged).
    if (!zoneOf(zoneId)) return refusedWithStatus({ ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } });
    const reply = await this.zones.client().get(zoneId, `get:${randomUUID()}`);
    if (!reply.ok) return refusedWithStatus(reply);
    if (atTick === undefined) return reply.summary;
    // A tick not reached yet would have the rebuild read the whole rest of the log for nothing.
    if (atTick > reply.summary.tick) throw notReached(zoneId, atTick);
    const past = await this.history.at(zoneId, atTick).catch((error: unknown) => {
      if (error instanceof DivergedError) throw new ConflictException({ ok: false, error: { code: 'diverged', message: error.message } });
      if (error instanceof TimeTravelOutOfReachError) throw new GoneException({ ok: false, error: { code: 'out_of_range', message: error.message, oldestTick: error.oldestTick } });
      if (error instanceof TimeTravelBusyError) {
        response.setHeader('retry-after', '1');
        throw new ServiceUnavailableException({ ok: false, error: { code: 'unavailable', message: error.message } });
      }
      throw error;
    });
    if (!past) throw notReached(zoneId, atTick);
    return past;
  }
}

const notReached = (zoneId: string, tick: number) => new NotFoundException({ ok: false, error: { code: 'not_found', message: `zone ${zoneId} has not reached tick ${tick}` } });
