import { randomUUID } from 'node:crypto';
import { CommandEnvelope } from '@app/engine';
import { InventoryCommand, InventoryView } from '@app/inventory';
import { InventoryReply } from '@app/protocol';
import { answerOf } from '../shared/answer-of';
import { CommandRouter } from '../shared/command-router';

/**
 * The gateway's way to the inventory service: a command for one player's inventory, answered once its
 * outcome is committed. No answer in time is `unavailable`: the client retries with the same commandId,
 * which the service's dedupe answers with the first outcome.
 */
export class InventoryClient {
  constructor(
    private readonly commands: Pick<CommandRouter, 'send' | 'dispatch'>,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Creates the player's inventory (once: its commandId is the player's) before the player's token is handed out:
   * applied by the owner when one answers (so no command the player sends straight to it can overtake it), else stored
   * in the commands topic, so logging in does not wait for the inventory service to be up.
   */
  register(playerId: string): Promise<void> {
    const envelope = { commandId: `register:${playerId}`, aggregateId: playerId, issuedAt: Date.now(), command: { type: 'register' } };
    return this.commands.dispatch(envelope, this.timeoutMs);
  }

  /** Reads the player's inventory through its owner (a read: a fresh commandId each time, nothing logged). */
  get(playerId: string): Promise<InventoryReply> {
    return this.send(playerId, `get:${randomUUID()}`, { type: 'get' });
  }

  /**
   * `firstSentMsAgo`, on a retry, is how long before this sending the client first sent it: the service refuses
   * (`retry_expired`) a retry it no longer remembers and that is older than what it forgot, instead of applying it again.
   * A client's clock is only ever compared with itself, so its offset from ours does not matter.
   */
  async send(playerId: string, commandId: string, command: InventoryCommand, firstSentMsAgo?: number): Promise<InventoryReply> {
    const issuedAt = Date.now();
    const envelope: CommandEnvelope = { commandId, aggregateId: playerId, issuedAt, command };
    if (firstSentMsAgo !== undefined) envelope.firstIssuedAt = issuedAt - firstSentMsAgo;
    const answer = await answerOf('inventory', this.commands.send(envelope, this.timeoutMs));
    return answer.ok ? { ok: true, inventory: answer.reply as InventoryView } : answer;
  }
}
