import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Injectable } from '@nestjs/common';
import { Refusal } from '@app/protocol';

/** Events one socket may send per second; more are answered `rate_limited` and go no further. */
export const SOCKET_EVENTS_PER_SECOND = 20;
/** Largest event payload (as JSON) a socket may send; Socket.IO itself drops the connection past 64 kB. */
export const SOCKET_PAYLOAD_BYTES = 4 * 1024;
export const SOCKET_TRANSPORT_BYTES = 64 * 1024;

/**
 * What every client event passes before it is read: the socket's rate and the payload's size. Undefined when it
 * may go on, otherwise the refusal to answer with.
 */
@Injectable()
export class SocketLimits {
  private readonly rate = new RateLimiterMemory({ points: SOCKET_EVENTS_PER_SECOND, duration: 1 });

  async refusal(socketId: string, payload: unknown): Promise<Refusal | undefined> {
    const allowed = await this.rate.consume(socketId).then(
      () => true,
      () => false,
    );
    if (!allowed) return { ok: false, error: { code: 'rate_limited', message: `at most ${SOCKET_EVENTS_PER_SECOND} events per second` } };
    if (Buffer.byteLength(JSON.stringify(payload ?? null)) > SOCKET_PAYLOAD_BYTES) {
      return { ok: false, error: { code: 'invalid_payload', message: `payload larger than ${SOCKET_PAYLOAD_BYTES} bytes` } };
    }
    return undefined;
  }
}
