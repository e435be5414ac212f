import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { Refusal } from '../services/refusal';

const STATUS: Record<string, new (body: object) => HttpException> = {
  invalid_payload: BadRequestException,
  not_found: NotFoundException,
  unavailable: ServiceUnavailableException,
};

/** A refusal as an HTTP status (a rule's refusal, e.g. `inventory_full`, is 422), with the `{ ok: false, error }` body sockets get. */
export function refusedWithStatus(refusal: Refusal): never {
  throw new (STATUS[refusal.error.code] ?? UnprocessableEntityException)(refusal);
}
