import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnalyticsReadModels, Economy, HistoryPage, ProjectionStore, projectedTopics, ZoneStats } from '@app/analytics';
import { GatewayConfig } from '@app/config';
import { topicOffsets } from '@app/kafka/retry-retriable';
import { zoneOf } from '@app/zone';
import { APP_CONFIG } from '@app/platform';
import { refusedWithStatus } from '../shared/admin/refusal-status';
import { ServiceConnection } from '../shared/service-connection';

/** How far the projection is: every events partition's stored position against the end of its log. */
export interface ProjectionProgress {
  /** Records in the events topics not projected yet; null while Kafka does not answer. */
  behind: number | null;
  partitions: { topic: string; partition: number; nextOffset: number; endOffset: number | null }[];
}

/** The analytics read models as the admin API serves them (docs/analytics.md), read from PostgreSQL. */
@Injectable()
export class AdminAnalytics {
  private readonly readModels: AnalyticsReadModels;
  private readonly positions: ProjectionStore;
  private readonly logger = new Logger('AdminAnalytics');

  constructor(
    dataSource: DataSource,
    private readonly services: ServiceConnection,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.readModels = new AnalyticsReadModels(dataSource);
    this.positions = new ProjectionStore(dataSource);
  }

  async economy(): Promise<Economy & { projection: ProjectionProgress }> {
    const [economy, projection] = await Promise.all([this.read(() => this.readModels.economy()), this.progress()]);
    return { ...economy, projection };
  }

  history(playerId: string, after: string | undefined, limit: number): Promise<HistoryPage> {
    return this.read(() => this.readModels.history(playerId, after, limit));
  }

  zoneStats(zoneId: string): Promise<ZoneStats> {
    if (!zoneOf(zoneId)) return refusedWithStatus({ ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } });
    return this.read(() => this.readModels.zoneStats(zoneId));
  }

  private async progress(): Promise<ProjectionProgress> {
    const topics = projectedTopics(this.config.kafka.topicPrefix).map(({ topic }) => topic);
    const stored = await this.read(() => this.positions.positions(topics));
    const ends = await Promise.all(topics.map((topic) => topicOffsets(this.services.admin, topic))).catch((error: unknown) => {
      this.logger.warn(`reading the end offsets of the events topics failed: ${String(error)}`);
      return undefined;
    });
    const partitions = topics.flatMap((topic, index) => {
      const known = ends?.[index] ?? stored.filter((entry) => entry.topic === topic).map(({ partition }) => ({ partition, high: undefined }));
      return known.map(({ partition, high }) => ({
        topic,
        partition,
        nextOffset: stored.find((entry) => entry.topic === topic && entry.partition === partition)?.position.nextOffset ?? 0,
        endOffset: high === undefined ? null : Number(high),
      }));
    });
    const behind = ends ? partitions.reduce((sum, { nextOffset, endOffset }) => sum + Math.max(0, (endOffset ?? 0) - nextOffset), 0) : null;
    return { behind, partitions };
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
