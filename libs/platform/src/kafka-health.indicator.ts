import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, logLevel } from 'kafkajs';
import { AppConfig } from '@app/config';
import { createKafka } from '@app/kafka';
import { APP_CONFIG } from './app-config.token';

const CHECK_TIMEOUT_MS = 2000;

/** Up when the cluster answers a metadata request within the timeout. */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly health: HealthIndicatorService,
  ) {
    const { brokers, clientId, security } = config.kafka;
    this.admin = createKafka({ brokers, clientId: `${clientId}-health`, retry: { retries: 0 }, logLevel: logLevel.NOTHING, security }).admin();
  }

  async isHealthy(key = 'kafka') {
    const session = this.health.check(key);
    try {
      this.connected ??= this.admin.connect();
      const cluster = await withTimeout(
        this.connected.then(() => this.admin.describeCluster()),
        CHECK_TIMEOUT_MS,
      );
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      this.connected = undefined;
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  // Not on module destroy: health is still asked while the engine drains, which would connect the admin again.
  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
