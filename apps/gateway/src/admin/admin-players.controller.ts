import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { JsonBody } from '../http/json-body.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { AdminInventory } from './admin-inventory.service';
import { AdminTokenGuard } from './admin-token.guard';
import { Grant, grantSchema, playerIdSchema } from './grant';

@Controller('admin/players')
@UseGuards(AdminTokenGuard)
export class AdminPlayersController {
  constructor(private readonly inventory: AdminInventory) {}

  @Post(':playerId/grants')
  @HttpCode(200)
  grant(@Param('playerId', new ZodPipe(playerIdSchema)) playerId: string, @JsonBody(new ZodPipe(grantSchema)) grant: Grant) {
    return this.inventory.grant(playerId, grant);
  }

  @Get(':playerId/inventory')
  get(@Param('playerId', new ZodPipe(playerIdSchema)) playerId: string) {
    return this.inventory.get(playerId);
  }
}
