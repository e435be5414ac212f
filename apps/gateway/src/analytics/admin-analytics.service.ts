import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AnalyticsReadModels,
  Economy,
  HistoryCursor,
  HistoryPage,
  ProjectionProgress,
  projectionProgress,
  projectedTopicNames,
  ZoneStats,
} from '@app/analytics';
import { GatewayConfig } from '@app/config';
import { zoneOf } from '@app/zone';
import { APP_CONFIG } from '@app/platform';
import { refusedWithStatus } from '../shared/admin/refusal-status';
import { ServiceConnection } from '../shared/service-connection';

/** The analytics read models as the admin API serves them (docs/analytics.md), read from PostgreSQL. */
@Injectable()
export class AdminAnalytics {
  private readonly readModels: AnalyticsReadModels;
  private readonly logger = new Logger('AdminAnalytics');

  constructor(
    dataSource: DataSource,
    private readonly services: ServiceConnection,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.readModels = new AnalyticsReadModels(dataSource);
  }

  /** The economy and the positions in one snapshot, then the logs' ends: `behind` 0 means the totals hold every record. */
  async economy(): Promise<Economy & { projection: ProjectionProgress }> {
    const { topicPrefix } = this.config.kafka;
    const { economy, partitions } = await this.read(() => this.readModels.economyAndPositions(projectedTopicNames(topicPrefix)));
    const projection = await projectionProgress(partitions, this.services.admin, topicPrefix, (error) =>
      this.logger.warn(`reading the end offsets of the events topics failed: ${String(error)}`),
    );
    return { ...economy, projection };
  }

  history(playerId: string, after: HistoryCursor | undefined, limit: number): Promise<HistoryPage> {
    return this.read(() => this.readModels.history(playerId, after, limit));
  }

  zoneStats(zoneId: string): Promise<ZoneStats> {
    if (!zoneOf(zoneId)) return refusedWithStatus({ ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } });
    return this.read(() => this.readModels.zoneStats(zoneId));
  }

  /** PostgreSQL away is `503 unavailable`: the read models come back with it. */
  private async read<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      this.logger.warn(`reading the analytics read models failed: ${String(error)}`);
      throw new ServiceUnavailableException({ ok: false, error: { code: 'unavailable', message: 'the analytics read models are unreachable; retry' } });
    }
  }
}
