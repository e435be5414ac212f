/**
 * The stateless peer of the peers scenario (a process of its own): the design most teams would pick, every command
 * one PostgreSQL transaction (the server's defaults: fsync and synchronous_commit on), nothing kept in the process.
 * The outcome of each command is stored in the same transaction, keyed by (player, commandId), so a retry returns
 * the first outcome; balances are locked in a stable order, so crossing transfers wait instead of deadlocking.
 * Env: DATABASE_URL (a database of its own, which the bench drops), ADMIN_TOKEN, PEER_TOKEN_SECRET, PEER_PG_POOL.
 */
import { Pool, PoolClient, types } from 'pg';
import { Grant, Inventory, Outcome, PeerStore, refusal, servePeer, Transfer } from './peer-server';

// bigint columns come back as numbers: gold stays far below 2^53.
types.setTypeParser(types.builtins.INT8, Number);

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS inventories (
    player_id text PRIMARY KEY,
    gold bigint NOT NULL CHECK (gold >= 0),
    items jsonb NOT NULL DEFAULT '{}',
    version bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS outcomes (
    player_id text NOT NULL,
    key text NOT NULL,
    reply jsonb,
    PRIMARY KEY (player_id, key)
  );`;

/** A named statement: each connection parses and plans it once, as a tuned server would (no ORM, no text queries). */
const statement = (name: string, text: string, values: unknown[]) => ({ name, text, values });

type Row = { player_id: string; gold: number; items: Record<string, number>; version: number };
const inventoryOf = (row: Row): Inventory => ({ playerId: row.player_id, gold: row.gold, items: row.items, equipment: {}, version: row.version });

class PostgresStore implements PeerStore {
  constructor(private readonly pool: Pool) {}

  async register(playerId: string): Promise<void> {
    await this.pool.query('INSERT INTO inventories (player_id, gold) VALUES ($1, 0) ON CONFLICT DO NOTHING', [playerId]);
  }

  grant(playerId: string, grant: Grant): Promise<Outcome> {
    return this.once(playerId, `grant:${grant.grantId}`, async (client) => {
      const { rows } = await client.query<Row>(statement('lock-one', 'SELECT * FROM inventories WHERE player_id = $1 FOR UPDATE', [playerId]));
      if (rows.length === 0) return { reply: refusal('not_found', `player ${playerId} has no inventory`), changed: [] };
      const items = { ...rows[0].items };
      for (const [itemId, quantity] of Object.entries(grant.items)) if (quantity > 0) items[itemId] = (items[itemId] ?? 0) + quantity;
      const updated = await client.query<Row>(
        statement('grant', 'UPDATE inventories SET gold = gold + $2, items = $3, version = version + 1 WHERE player_id = $1 RETURNING *', [
          playerId,
          grant.gold,
          JSON.stringify(items),
        ]),
      );
      const inventory = inventoryOf(updated.rows[0]);
      return { reply: { ok: true, inventory }, changed: [inventory] };
    });
  }

  transfer(playerId: string, { commandId, toPlayerId, amount }: Transfer): Promise<Outcome> {
    return this.once(playerId, `command:${commandId}`, async (client) => {
      // Both rows locked in key order: two players sending to each other wait for one another, they never deadlock.
      const { rows } = await client.query<Row>(
        statement('lock-two', 'SELECT * FROM inventories WHERE player_id = ANY($1) ORDER BY player_id FOR UPDATE', [[playerId, toPlayerId]]),
      );
      const from = rows.find((row) => row.player_id === playerId);
      if (!from || rows.length < 2) return { reply: refusal('not_found', `player ${from ? toPlayerId : playerId} has no inventory`), changed: [] };
      if (from.gold < amount) return { reply: refusal('insufficient_gold', `${from.gold} gold, ${amount} asked`), changed: [] };
      const updated = await client.query<Row>(
        statement(
          'transfer',
          'UPDATE inventories SET gold = gold + CASE WHEN player_id = $1 THEN -$3::bigint ELSE $3::bigint END, version = version + 1 WHERE player_id = ANY($2) RETURNING *',
          [playerId, [playerId, toPlayerId], amount],
        ),
      );
      const changed = updated.rows.map(inventoryOf);
      return { reply: { ok: true, inventory: changed.find((inventory) => inventory.playerId === playerId)! }, changed };
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /**
   * `work` and its outcome in one transaction, at most once per (player, key). The key is claimed first: a
   * concurrent repeat waits on the claim until this transaction ends, then reads the stored outcome.
   */
  private async once(playerId: string, key: string, work: (client: PoolClient) => Promise<Outcome>): Promise<Outcome> {
    const client = await this.pool.connect();
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      const claim = await client.query(statement('claim', 'INSERT INTO outcomes (player_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [playerId, key]));
      let outcome: Outcome;
      if (claim.rowCount === 0) {
        const stored = await client.query<{ reply: Outcome['reply'] }>(
          statement('stored', 'SELECT reply FROM outcomes WHERE player_id = $1 AND key = $2', [playerId, key]),
        );
        outcome = { reply: stored.rows[0].reply, changed: [] };
      } else {
        outcome = await work(client);
        await client.query(
          statement('outcome', 'UPDATE outcomes SET reply = $3 WHERE player_id = $1 AND key = $2', [playerId, key, JSON.stringify(outcome.reply)]),
        );
      }
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is dropped rather than lent out again.
      client.release(failed);
    }
  }
}

async function main(): Promise<void> {
  const max = Number(process.env.PEER_PG_POOL ?? 5);
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max, idleTimeoutMillis: 0, application_name: 'peers-stateless' });
  // An idle connection cut by the server (the database dropped at the end) must not end the process.
  pool.on('error', (error) => console.error(`[stateless peer] idle connection: ${error.message}`));
  await pool.query(SCHEMA);
  // Every connection opened up front: the bench finds their backends for CPU accounting, and no command waits for one.
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
  clients.forEach((client) => client.release());
  servePeer(new PostgresStore(pool));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
