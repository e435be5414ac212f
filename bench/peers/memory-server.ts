/**
 * The in-memory peer of the peers scenario (a process of its own): the design with nothing durable, state and
 * dedupe in Maps of one process. The fastest a single Node process can answer the contract, and what a crash loses
 * everything of. Env: ADMIN_TOKEN, PEER_TOKEN_SECRET.
 */
import { Grant, Inventory, Outcome, PeerStore, refusal, Reply, servePeer, Transfer } from './peer-server';

class MemoryStore implements PeerStore {
  // Inventories are replaced, never changed in place, so a stored reply keeps the state it answered with.
  private readonly inventories = new Map<string, Inventory>();
  // Kept for the whole run: a real server would drop outcomes past a retry horizon (the project keeps 5 minutes).
  private readonly outcomes = new Map<string, Reply>();
  private readonly grants = new Map<string, Reply>();

  async register(playerId: string): Promise<void> {
    if (!this.inventories.has(playerId)) this.inventories.set(playerId, { playerId, gold: 0, items: {}, equipment: {}, version: 0 });
  }

  async grant(playerId: string, grant: Grant): Promise<Outcome> {
    const key = `${playerId}\n${grant.grantId}`;
    const known = this.grants.get(key);
    if (known) return { reply: known, changed: [] };
    const inventory = this.inventories.get(playerId);
    if (!inventory) return { reply: refusal('not_found', `player ${playerId} has no inventory`), changed: [] };
    const items = { ...inventory.items };
    for (const [itemId, quantity] of Object.entries(grant.items)) if (quantity > 0) items[itemId] = (items[itemId] ?? 0) + quantity;
    const next = { ...inventory, gold: inventory.gold + grant.gold, items, version: inventory.version + 1 };
    this.inventories.set(playerId, next);
    const reply: Reply = { ok: true, inventory: next };
    this.grants.set(key, reply);
    return { reply, changed: [next] };
  }

  async transfer(playerId: string, { commandId, toPlayerId, amount }: Transfer): Promise<Outcome> {
    const key = `${playerId}\n${commandId}`;
    const known = this.outcomes.get(key);
    if (known) return { reply: known, changed: [] };
    const from = this.inventories.get(playerId);
    const to = this.inventories.get(toPlayerId);
    let outcome: Outcome;
    if (!from || !to) outcome = { reply: refusal('not_found', `player ${from ? toPlayerId : playerId} has no inventory`), changed: [] };
    else if (from.gold < amount) outcome = { reply: refusal('insufficient_gold', `${from.gold} gold, ${amount} asked`), changed: [] };
    else {
      const debited = { ...from, gold: from.gold - amount, version: from.version + 1 };
      const credited = { ...to, gold: to.gold + amount, version: to.version + 1 };
      this.inventories.set(playerId, debited).set(toPlayerId, credited);
      outcome = { reply: { ok: true, inventory: debited }, changed: [debited, credited] };
    }
    this.outcomes.set(key, outcome.reply);
    return outcome;
  }

  async close(): Promise<void> {}
}

servePeer(new MemoryStore());
