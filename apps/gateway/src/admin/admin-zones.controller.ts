import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../http/zod.pipe';
import { ZoneConnection } from '../zone/zone.module';
import { AdminTokenGuard } from './admin-token.guard';
import { refusedWithStatus } from './refusal-status';

const zoneIdSchema = z.string().min(1).max(64);
const entities = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: 'integer' }, y: { type: 'integer' }, hp: { type: 'integer' } } } };

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/zones')
@UseGuards(AdminTokenGuard)
export class AdminZonesController {
  constructor(private readonly zones: ZoneConnection) {}

  @Get(':zoneId')
  @ApiResponse({
    status: 200,
    description: 'the zone now: every command acknowledged before the request is in it',
    schema: { type: 'object', properties: { zoneId: { type: 'string' }, tick: { type: 'integer' }, stateHash: { type: 'string' }, players: entities, monsters: entities } },
  })
  @ApiResponse({ status: 404, description: 'no such zone' })
  @ApiResponse({ status: 503, description: 'the zone service did not answer; retry' })
  async get(@Param('zoneId', new ZodPipe(zoneIdSchema)) zoneId: string) {
    const reply = await this.zones.client().get(zoneId, `get:${randomUUID()}`);
    return reply.ok ? reply.summary : refusedWithStatus(reply);
  }
}
