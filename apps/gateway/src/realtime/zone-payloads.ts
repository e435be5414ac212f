import { z } from 'zod';
import { zoneAttackSchema, zoneInputSchema, zoneJoinSchema, zoneLeaveSchema } from '@app/zone';
import { firstSentMsAgo } from './first-sent-ms-ago';

/**
 * Optional on zone requests (extensions of PROTOCOL.md): a client that sends a commandId may retry with it safely,
 * and says on a retry how long ago it first sent it, as on `inventory:command`.
 */
const retryable = {
  commandId: z.string().min(1).max(100).optional(),
  firstSentMsAgo: firstSentMsAgo.optional(),
};

export const zonePayloads = {
  join: zoneJoinSchema.extend(retryable),
  input: zoneInputSchema,
  attack: zoneAttackSchema.extend(retryable),
  leave: zoneLeaveSchema.extend(retryable),
};

/** A socket payload read against its schema, or the reason it is refused (`invalid_payload`). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | { ok: false; error: { code: 'invalid_payload'; message: string } } {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: { code: 'invalid_payload', message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ') } };
}
