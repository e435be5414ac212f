import { ArgumentsHost, BadRequestException, Catch, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { BODY_LIMIT } from './body-limit';

/**
 * Answers every unacceptable request body the same way, `400 { error: { code: 'invalid_payload', message } }`,
 * whether validation refused it or the body parser could not read it (malformed JSON, too large).
 * PROTOCOL.md wants 400 for anything but a good name, so an oversized body is a 400 too, not a 413.
 * Everything else goes to Nest's own handling, so e.g. the health endpoints keep their answers.
 * Global filters apply to HTTP only: Socket.IO gateways answer errors through acknowledgements.
 */
@Catch()
export class InvalidPayloadFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const message = host.getType() === 'http' ? invalidPayloadMessage(exception) : undefined;
    if (message === undefined) return super.catch(exception, host);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.BAD_REQUEST)
      .json({ error: { code: 'invalid_payload', message } });
  }
}

/** Errors of the body parser (http-errors with a `type`) reach filters as they are, except malformed JSON. */
interface BodyReadError {
  type: string;
  status: number;
  message: string;
}

function invalidPayloadMessage(exception: unknown): string | undefined {
  if (exception instanceof BadRequestException) return exception.message;
  if (!isBodyReadError(exception)) return undefined;
  return exception.type === 'entity.too.large' ? `request body larger than ${BODY_LIMIT}` : exception.message;
}

function isBodyReadError(exception: unknown): exception is BodyReadError {
  const error = exception as Partial<BodyReadError> | null;
  return typeof error?.type === 'string' && typeof error.status === 'number' && error.status >= 400 && error.status < 500;
}
