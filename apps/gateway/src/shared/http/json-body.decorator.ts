import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The request body if it was sent as JSON, otherwise undefined (which validation then refuses).
 * Express also parses form bodies, and PROTOCOL.md says every payload is JSON.
 */
export const JsonBody = createParamDecorator((_: unknown, context: ExecutionContext): unknown => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.is('application/json') ? request.body : undefined;
});
