import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Refusal, RefusalCode } from '@app/protocol';

/** Every code has its status, so a new code fails to compile until it is given one. */
const STATUS: Record<RefusalCode, new (body: object) => HttpException> = {
  invalid_payload: BadRequestException,
  not_found: NotFoundException,
  unavailable: ServiceUnavailableException,
  // The service's own failure, not the request's: nothing changed.
  internal_error: InternalServerErrorException,
  // Too old to know whether it was applied: it conflicts with what may already be in the state.
  retry_expired: ConflictException,
  // A rule's refusal: the request was understood and the state says no.
  unknown_item: UnprocessableEntityException,
  insufficient_quantity: UnprocessableEntityException,
  insufficient_gold: UnprocessableEntityException,
  inventory_full: UnprocessableEntityException,
  not_equippable: UnprocessableEntityException,
  out_of_range: UnprocessableEntityException,
  // Never reach this map (a bad admin token is a 401 first, admin routes are not rate-limited, time travel answers
  // `diverged` itself with 409); kept at the default of a code not listed.
  unauthorized: UnprocessableEntityException,
  rate_limited: UnprocessableEntityException,
  diverged: UnprocessableEntityException,
};

/** A refusal as an HTTP status (a rule's refusal, e.g. `inventory_full`, is 422), with the `{ ok: false, error }` body sockets get. */
export function refusedWithStatus(refusal: Refusal): never {
  // A code the services send that this gateway does not know yet (a newer service) counts as a rule's refusal.
  throw new (STATUS[refusal.error.code] ?? UnprocessableEntityException)(refusal);
}
