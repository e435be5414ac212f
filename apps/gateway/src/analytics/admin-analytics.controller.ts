import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { decodeHistoryCursor, HistoryCursor } from '@app/analytics';
import { playerIdSchema } from '@app/protocol';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ZodPipe } from '../shared/http/zod.pipe';
import { economySchema, historySchema, zoneStatsSchema } from './analytics-openapi';
import { AdminAnalytics } from './admin-analytics.service';

const zoneIdSchema = z.string().min(1).max(64);
/** `after`: a `next` this API returned (opaque); anything else is `400 invalid_payload`. */
const cursorSchema = z
  .string()
  .transform((text, context) => {
    const cursor = decodeHistoryCursor(text);
    if (cursor === undefined) context.addIssue({ code: 'custom', message: 'expected a cursor from a previous page (`next`)' });
    return cursor ?? z.NEVER;
  })
  .optional();
const limitSchema = z.coerce.number().int().min(1).max(500).default(100);

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@ApiResponse({ status: 503, description: 'PostgreSQL, which holds the read models, did not answer (`unavailable`); retry' })
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminAnalyticsController {
  constructor(private readonly analytics: AdminAnalytics) {}

  @Get('economy')
  @ApiResponse({ status: 200, description: 'gold and items in circulation, per minute, and how far the projection is', schema: economySchema })
  economy() {
    return this.analytics.economy();
  }

  @Get('players/:playerId/history')
  @ApiQuery({ name: 'after', required: false, description: 'the `next` of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: 'events per page, 1 to 500 (100)' })
  @ApiResponse({
    status: 200,
    description: "the player's events oldest first (by the time of their commands, then their place in the log), as far as projected",
    schema: historySchema,
  })
  @ApiResponse({ status: 400, description: 'invalid playerId, cursor or limit' })
  history(
    @Param('playerId', new ZodPipe(playerIdSchema)) playerId: string,
    @Query('after', new ZodPipe(cursorSchema)) after: HistoryCursor | undefined,
    @Query('limit', new ZodPipe(limitSchema)) limit: number,
  ) {
    return this.analytics.history(playerId, after, limit);
  }

  @Get('zones/:zoneId/stats')
  @ApiResponse({ status: 200, description: "the zone's kills and the loot its killers were credited", schema: zoneStatsSchema })
  @ApiResponse({ status: 404, description: 'no such zone' })
  zoneStats(@Param('zoneId', new ZodPipe(zoneIdSchema)) zoneId: string) {
    return this.analytics.zoneStats(zoneId);
  }
}
