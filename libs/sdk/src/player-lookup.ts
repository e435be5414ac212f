import type { RefusalCode } from '@app/protocol';
import { GameError } from './game-error';

/** Another player as `GET /players/by-name/:name` names it. */
export interface PlayerRef {
  playerId: string;
  /** The spelling the player registered with (names are case-insensitive). */
  name: string;
}

/**
 * Asks a gateway which player goes by `name` (names map to ids by a secret only gateways hold). A refusal keeps its
 * code (`not_found`, `invalid_payload`, `rate_limited`, ...); a gateway that does not answer is `unavailable`.
 */
export async function lookUpPlayer(gatewayUrl: string, token: string, name: string): Promise<PlayerRef> {
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl}/players/by-name/${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new GameError('unavailable', `the gateway did not answer: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<PlayerRef> & { error?: { code: RefusalCode; message: string } };
  if (!response.ok || typeof body.playerId !== 'string' || typeof body.name !== 'string')
    throw new GameError(body.error?.code ?? 'unavailable', body.error?.message ?? `the look-up failed with ${response.status}`);
  return { playerId: body.playerId, name: body.name };
}
