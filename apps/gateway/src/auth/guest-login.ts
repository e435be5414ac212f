import { createHash } from 'node:crypto';
import { z } from 'zod';

/** PROTOCOL.md: a name is 1-32 of [A-Za-z0-9_-]; anything else is refused. */
export const guestLoginSchema = z.strictObject(
  {
    name: z
      .string({ error: 'expected a string' })
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1-32 characters of A-Z, a-z, 0-9, _ and -'),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected a JSON object' : undefined) },
);

export type GuestLogin = z.output<typeof guestLoginSchema>;

/**
 * Names are case-insensitive: 'Alice' and 'alice' are one player, so nobody can pose as
 * another player by changing the case. The id is derived from the lower-cased name alone,
 * which makes login stateless to repeat and safe to race: every gateway derives the same id.
 */
export function playerIdOf(name: string): string {
  return `p_${createHash('sha256').update(`player:${name.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}
