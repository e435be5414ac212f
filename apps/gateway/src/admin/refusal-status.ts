import { BadRequestException, ConflictException, HttpException, InternalServerErrorException, NotFoundException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { Refusal } from '../services/refusal';

const STATUS: Record<string, new (body: object) => HttpException> = {
  invalid_payload: BadRequestException,
  not_found: NotFoundException,
  unavailable: ServiceUnavailableException,
  // The service's own failure, not the request's: nothing changed.
  internal_error: InternalServerErrorException,
  // Too old to know whether it was applied: it conflicts with what may already be in the state.
  retry_expired: ConflictException,
};

/** A refusal as an HTTP status (a rule's refusal, e.g. `inventory_full`, is 422), with the `{ ok: false, error }` body sockets get. */
export function refusedWithStatus(refusal: Refusal): never {
  throw new (STATUS[refusal.error.code] ?? UnprocessableEntityException)(refusal);
}
