import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../shared/http/zod.pipe';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { AdminZones, TimeTravelBusyException } from './admin-zones.service';

const zoneIdSchema = z.string().min(1).max(64);
const atTickSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
const entities = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: 'integer' }, y: { type: 'integer' }, hp: { type: 'integer' } },
  },
};

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/zones')
@UseGuards(AdminTokenGuard)
export class AdminZonesController {
  constructor(private readonly zones: AdminZones) {}

  @Get(':zoneId')
  @ApiQuery({
    name: 'atTick',
    required: false,
    description: 'a past tick: the zone rebuilt from snapshot + log, every tick re-simulated and checked against its logged hash',
  })
  @ApiResponse({
    status: 200,
    description: 'the zone now (every command acknowledged before the request is in it), or right after tick atTick',
    schema: {
      type: 'object',
      properties: { zoneId: { type: 'string' }, tick: { type: 'integer' }, stateHash: { type: 'string' }, players: entities, monsters: entities },
    },
  })
  @ApiResponse({ status: 404, description: 'no such zone, or it has not reached atTick' })
  @ApiResponse({ status: 409, description: 'replaying the log up to atTick did not reproduce a logged hash (diverged)' })
  @ApiResponse({ status: 410, description: 'atTick is older than time travel reaches (`out_of_range`; the message and `oldestTick` say how far back it goes)' })
  @ApiResponse({
    status: 503,
    description: 'the zone service did not answer, or another time-travel rebuild is running on this gateway (`unavailable`); retry',
  })
  get(
    @Param('zoneId', new ZodPipe(zoneIdSchema)) zoneId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('atTick', new ZodPipe(atTickSchema)) atTick?: number,
  ) {
    return this.zones.get(zoneId, atTick).catch((error: unknown) => {
      if (error instanceof TimeTravelBusyException) response.setHeader('retry-after', '1');
      throw error;
    });
  }
}
