import { Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG, Readiness } from '@app/platform';
import { SocketDrain } from './socket-drain';
import { SocketLimits } from './socket-limits';

/**
 * How long a stopping gateway waits, after its clients had their time to move, for the requests a remaining socket
 * sent: two of the gateway's 5 s waits for a service (a zone join that also leaves the zone the player was in).
 */
export const ANSWER_WAIT_MS = 10_000;

/** The drain runs first when the app closes (SIGTERM, SIGINT, app.close()), before the sockets and HTTP close. */
@Injectable()
class DrainOnClose implements OnModuleDestroy {
  constructor(private readonly drain: SocketDrain) {}

  onModuleDestroy(): Promise<void> {
    return this.drain.drain();
  }
}

/**
 * One SocketLimits for every socket handler: a socket's rate counts its inventory and zone events together. One
 * SocketDrain for every socket of the server.
 */
@Module({
  providers: [
    SocketLimits,
    {
      provide: SocketDrain,
      inject: [APP_CONFIG, Readiness],
      useFactory: (config: GatewayConfig, readiness: Readiness) => {
        const logger = new Logger('SocketDrain');
        return new SocketDrain({
          notice: { urls: config.drain.peerUrls, closingInMs: config.drain.timeoutMs },
          answerWaitMs: ANSWER_WAIT_MS,
          withdrawReadiness: () => readiness.withdraw('draining'),
          log: (line) => logger.log(line),
        });
      },
    },
    DrainOnClose,
  ],
  exports: [SocketLimits, SocketDrain],
})
export class SocketsModule {}
