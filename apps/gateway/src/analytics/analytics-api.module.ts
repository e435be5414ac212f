import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ServicesModule } from '../shared/service-connection';
import { AdminAnalyticsController } from './admin-analytics.controller';
import { AdminAnalytics } from './admin-analytics.service';

/** The analytics read models over admin HTTP (docs/analytics.md): economy, player history, zone statistics. */
@Module({
  imports: [ServicesModule],
  controllers: [AdminAnalyticsController],
  providers: [AdminAnalytics, AdminTokenGuard],
})
export class AnalyticsApiModule {}
