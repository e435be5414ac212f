import { z } from 'zod';
import { zoneAttackSchema, zoneInputSchema, zoneJoinSchema, zoneLeaveSchema } from '@app/zone';
import { commandIdSchema } from './command-id';
import { firstSentMsAgo } from './first-sent-ms-ago';
import { Refusal } from './refusal';
import { describeIssues } from './schema-issues';

/**
 * Optional on zone requests (extensions of PROTOCOL.md): a client that sends a commandId may retry with it safely,
 * and says on a retry how long ago it first sent it, as on `inventory:command`.
 */
const retryable = {
  commandId: commandIdSchema.optional(),
  firstSentMsAgo: firstSentMsAgo.optional(),
};

export const zonePayloads = {
  join: zoneJoinSchema.extend(retryable),
  input: zoneInputSchema,
  attack: zoneAttackSchema.extend(retryable),
  leave: zoneLeaveSchema.extend(retryable),
};

/** The zone events' payloads as a client sends them. */
export type ZoneJoinRequest = z.input<typeof zonePayloads.join>;
export type ZoneInputRequest = z.input<typeof zonePayloads.input>;
export type ZoneAttackRequest = z.input<typeof zonePayloads.attack>;
export type ZoneLeaveRequest = z.input<typeof zonePayloads.leave>;

/** A socket payload read against its schema, or the reason it is refused (`invalid_payload`). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | Refusal {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: { code: 'invalid_payload', message: describeIssues(parsed.error.issues, 'payload') } };
}
