import { z } from 'zod';
import { zoneAttackSchema, zoneInputSchema, zoneJoinSchema, zoneLeaveSchema } from '@app/zone';

/** Optional on zone requests (an extension of PROTOCOL.md): a client that sends one may retry with it safely. */
const commandId = z.string().min(1).max(100).optional();

export const zonePayloads = {
  join: zoneJoinSchema.extend({ commandId }),
  input: zoneInputSchema,
  attack: zoneAttackSchema.extend({ commandId }),
  leave: zoneLeaveSchema.extend({ commandId }),
};

/** A socket payload read against its schema, or the reason it is refused (`invalid_payload`). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | { ok: false; error: { code: 'invalid_payload'; message: string } } {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: { code: 'invalid_payload', message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ') } };
}
