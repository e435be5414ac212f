import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { Grant, grantSchema, playerIdSchema } from '@app/protocol';
import { JsonBody } from '../shared/http/json-body.decorator';
import { ZodPipe } from '../shared/http/zod.pipe';
import { AdminInventory } from './admin-inventory.service';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';

const inventorySchema: SchemaObject = {
  type: 'object',
  properties: {
    playerId: { type: 'string' },
    gold: { type: 'integer' },
    items: { type: 'object', additionalProperties: { type: 'integer' } },
    equipment: { type: 'object', additionalProperties: { type: 'string' } },
    version: { type: 'integer' },
  },
};
const refused = (description: string) => ({ description: `${description}: { ok: false, error: { code, message } }` });

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@ApiResponse({ status: 404, ...refused('no such player') })
@ApiResponse({ status: 503, ...refused('the inventory service did not answer; retry') })
@Controller('admin/players')
@UseGuards(AdminTokenGuard)
export class AdminPlayersController {
  constructor(private readonly inventory: AdminInventory) {}

  @Post(':playerId/grants')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(grantSchema, { io: 'input' }) as SchemaObject })
  @ApiResponse({
    status: 200,
    description: 'granted, or the first outcome of this grantId',
    schema: { type: 'object', properties: { ok: { type: 'boolean', enum: [true] }, inventory: inventorySchema } },
  })
  @ApiResponse({ status: 400, description: 'invalid payload' })
  @ApiResponse({ status: 422, ...refused('refused by a rule (unknown_item, inventory_full)') })
  grant(@Param('playerId', new ZodPipe(playerIdSchema)) playerId: string, @JsonBody(new ZodPipe(grantSchema)) grant: Grant) {
    return this.inventory.grant(playerId, grant);
  }

  @Get(':playerId/inventory')
  @ApiResponse({ status: 200, description: 'reflects every command acknowledged before the request', schema: inventorySchema })
  get(@Param('playerId', new ZodPipe(playerIdSchema)) playerId: string) {
    return this.inventory.get(playerId);
  }
}
