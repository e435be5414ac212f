import { createHmac } from 'node:crypto';
import { z } from 'zod';

/** PROTOCOL.md: a name is 1-32 of [A-Za-z0-9_-]; anything else is refused. */
export const guestLoginSchema = z.strictObject(
  {
    name: z.string({ error: 'expected a string' }).regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1-32 characters of A-Z, a-z, 0-9, _ and -'),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected a JSON object' : undefined) },
);

export type GuestLogin = z.output<typeof guestLoginSchema>;

/**
 * The id a name gets when it registers. Names are case-insensitive: 'Alice' and 'alice' are one player,
 * so nobody can pose as another player by changing the case. Keyed (HMAC with PLAYER_ID_SECRET): every
 * nearby player sees playerIds in `zone:tick`, and a plain hash of the name would give names (and so
 * accounts, since login is by name) away to anyone hashing a dictionary. Deterministic, so every gateway
 * derives the same id, concurrent first logins agree, and a players table rebuilt from nothing gives
 * the same ids again. An id once stored is kept (PlayersService), whatever derived it.
 */
export function playerIdOf(name: string, secret: string): string {
  return `p_${createHmac('sha256', secret).update(`player:${name.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}
