import { pollUntil } from './poll';
import { TradingLoad, TradingPlayer, expectedGold } from './trading-load';

/** The admin HTTP API of one gateway (PROTOCOL.md), as the ledger checks need it. */
export class AdminApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async grant(playerId: string, grantId: string, gold: number): Promise<{ status: number; body: { inventory?: { gold: number; version: number } } }> {
    const response = await fetch(`${this.url}/admin/players/${playerId}/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grantId, gold, items: {} }),
    });
    return { status: response.status, body: (await response.json()) as { inventory?: { gold: number; version: number } } };
  }

  async gold(playerId: string): Promise<number | undefined> {
    const response = await fetch(`${this.url}/admin/players/${playerId}/inventory`, { headers: { authorization: `Bearer ${this.token}` } });
    return response.ok ? ((await response.json()) as { gold: number }).gold : undefined;
  }

  /** Grants every player `gold`, a few at a time, and fails unless each grant is acknowledged. */
  async grantAll(players: Pick<TradingPlayer, 'playerId'>[], gold: number, cap = 20): Promise<void> {
    for (let start = 0; start < players.length; start += cap) {
      const statuses = await Promise.all(players.slice(start, start + cap).map(async (player) => (await this.grant(player.playerId, 'start', gold)).status));
      const failed = statuses.filter((status) => status !== 200);
      if (failed.length > 0) throw new Error(`start grants refused: ${failed.join(', ')}`);
    }
  }
}

/**
 * Waits until the admin inventory of every player holds what the acknowledgements imply (credits land after the
 * debit is acknowledged), then returns the players whose gold still differs, with both figures, and the total.
 */
export async function settledLedger(
  admin: AdminApi,
  players: Pick<TradingPlayer, 'playerId'>[],
  granted: number,
  acked: TradingLoad['acked'],
  timeoutMs = 60_000,
) {
  const expected = expectedGold(players, granted, acked);
  let stored = new Map<string, number | undefined>();
  const read = async () => {
    stored = new Map();
    for (let start = 0; start < players.length; start += 20) {
      const batch = players.slice(start, start + 20);
      const golds = await Promise.all(batch.map((player) => admin.gold(player.playerId)));
      batch.forEach((player, index) => stored.set(player.playerId, golds[index]));
    }
    return players.every((player) => stored.get(player.playerId) === expected.get(player.playerId)) ? true : undefined;
  };
  await pollUntil('every acknowledged transfer in the admin inventories', read, timeoutMs, 500).catch(() => undefined);
  const differing = players
    .filter((player) => stored.get(player.playerId) !== expected.get(player.playerId))
    .map((player) => ({ playerId: player.playerId, expected: expected.get(player.playerId), stored: stored.get(player.playerId) }));
  const total = [...stored.values()].reduce<number>((sum, gold) => sum + (gold ?? Number.NaN), 0);
  return { differing, total };
}
