import { isDeepStrictEqual } from 'node:util';
import { randomSuffix } from '../../test/support/random-names';
import { OpenLoop, Player, Reply } from './open-loop';

const CONCURRENT_LOGINS = 50;
const GRANT_RETRY_MS = 60_000;

/**
 * `count` players of fresh names, each logged in (`POST /auth/guest`) and granted `gold` once (grantId
 * `bench-start`). A grant answered 503 is tried again: the project's partitions may still be recovering.
 */
export async function loginPlayers(url: string, adminToken: string, count: number, gold: number): Promise<Player[]> {
  const prefix = `pe${randomSuffix()}_`;
  const players: Player[] = [];
  for (let first = 0; first < count; first += CONCURRENT_LOGINS) {
    const names = Array.from({ length: Math.min(CONCURRENT_LOGINS, count - first) }, (_, offset) => `${prefix}${first + offset}`);
    players.push(
      ...(await Promise.all(
        names.map(async (name) => {
          const player = (await post(url, '/auth/guest', { name }, 201)) as Player;
          const deadline = Date.now() + GRANT_RETRY_MS;
          const grant = { grantId: 'bench-start', gold, items: {} };
          while (!(await post(url, `/admin/players/${player.playerId}/grants`, grant, 200, adminToken, Date.now() < deadline))) {
            await new Promise((done) => setTimeout(done, 200));
          }
          return player;
        }),
      )),
    );
  }
  return players;
}

/** The body of an answer with `status`; undefined for a 503 when `retryUnavailable`; otherwise an error. */
async function post(url: string, path: string, body: object, status: number, adminToken?: string, retryUnavailable = false): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}) },
    body: JSON.stringify(body),
  });
  if (response.status === 503 && retryUnavailable) return undefined;
  if (response.status !== status) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export interface ContractCheck {
  retryReturnsFirstOutcome: boolean;
  overdraft: string;
  unknownTarget: string;
}

/**
 * What the scenario relies on, checked before any load: a retry with the same commandId returns the first outcome
 * (a server that applied it twice would be measured doing less than the others), more gold than the player has
 * is refused `insufficient_gold`, and a transfer to nobody is answered (a peer says `not_found`; the project
 * accepts it and refunds it later, since the receiver is another partition). Throws on any other answer.
 */
export async function checkContract(loop: OpenLoop, label: string, peer: boolean, gold: number): Promise<ContractCheck> {
  const codeOf = (reply: Reply) => (reply.ok ? 'ok' : reply.error.code);
  const transfer = (commandId: string, toPlayerId: string, amount: number) => ({ commandId, type: 'transfer-gold', toPlayerId, amount });
  const commandId = `check-${randomSuffix()}`;
  const first = await loop.command(0, transfer(commandId, loop.players[1].playerId, 1));
  const retry = await loop.command(0, transfer(commandId, loop.players[1].playerId, 1));
  const check = {
    retryReturnsFirstOutcome: first.ok && first.inventory.gold === gold - 1 && isDeepStrictEqual(retry, first),
    overdraft: codeOf(await loop.command(0, transfer(`check-${randomSuffix()}`, loop.players[1].playerId, gold * 2))),
    unknownTarget: codeOf(await loop.command(0, transfer(`check-${randomSuffix()}`, `p_nobody_${randomSuffix()}`, 1))),
  };
  const wrong = [
    !check.retryReturnsFirstOutcome && `a retry did not return the first outcome (${JSON.stringify(first)}, then ${JSON.stringify(retry)})`,
    check.overdraft !== 'insufficient_gold' && `an overdraft was answered ${check.overdraft}`,
    peer && check.unknownTarget !== 'not_found' && `a transfer to nobody was answered ${check.unknownTarget}`,
  ].filter(Boolean);
  if (wrong.length > 0) throw new Error(`${label} breaks the contract: ${wrong.join('; ')}`);
  return check;
}
