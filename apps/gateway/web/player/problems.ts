/** What the page tells a player when something was refused, by PROTOCOL.md error code; others show the server's message. */
const PROBLEMS: Readonly<Record<string, string>> = {
  out_of_range: 'Too far away: walk closer to attack.',
  insufficient_gold: 'Not enough gold.',
  insufficient_quantity: 'You do not have that many.',
  inventory_full: 'Your bag is full.',
  not_equippable: 'That cannot be equipped.',
  rate_limited: 'Slow down a little.',
  unavailable: 'The game did not answer; try again.',
  unauthorized: 'Your session ended: reload the page to log in again.',
};

/** A refusal (the SDK's GameError, or any error) as one sentence for the player. */
export function problemText(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && Object.hasOwn(PROBLEMS, code)) return PROBLEMS[code];
  return typeof message === 'string' && message ? message : 'Something went wrong.';
}
