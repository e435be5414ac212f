import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** A request whose payload breaks the contract; answered 400 `invalid_payload` (PROTOCOL.md error codes). */
export class InvalidPayload extends BadRequestException {}

/** Validates untrusted input with a zod schema; what passes is the schema's typed output. */
@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new InvalidPayload(describe(result.error));
    return result.data;
  }
}

/** One line naming each bad field, e.g. `name: expected a string`. */
function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
