import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { describeIssues } from '@app/protocol';

/** A request whose payload breaks the contract; answered 400 `invalid_payload` (PROTOCOL.md error codes). */
export class InvalidPayload extends BadRequestException {}

/** Validates untrusted input with a zod schema; what passes is the schema's typed output. */
@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new InvalidPayload(describeIssues(result.error.issues, 'body'));
    return result.data;
  }
}
