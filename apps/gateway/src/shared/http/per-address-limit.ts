import { CanActivate, ExecutionContext, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKeyOf } from './client-address';

/**
 * A guard that lets each client address make `perMinute` requests a minute (0: no limit) and answers
 * the rest `429 { error: { code: 'rate_limited', message } }` with Retry-After, before the body is
 * validated or anything is looked up (a body that is not JSON at all is refused earlier still, by the
 * parser, within BODY_LIMIT). Counted in this process: N gateways allow N times as much.
 * The address is `request.ip`: see TrustProxy for when X-Forwarded-For counts.
 */
export class PerAddressLimit implements CanActivate {
  private readonly limiter?: RateLimiterMemory;

  constructor(
    private readonly what: string,
    private readonly perMinute: number,
  ) {
    if (perMinute > 0) this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter) return true;
    const http = context.switchToHttp();
    const refused = await this.limiter.consume(addressKeyOf(http.getRequest<Request>().ip)).then(
      () => undefined,
      (outcome: unknown) => outcome,
    );
    if (refused === undefined) return true;
    // The memory limiter rejects with its verdict only; anything else is a fault, not a refusal.
    if (!(refused instanceof RateLimiterRes)) throw refused;
    const retryAfter = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      { error: { code: 'rate_limited', message: `at most ${this.perMinute} ${this.what} a minute from one address; retry in ${retryAfter} s` } },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
