import { Injectable } from '@nestjs/common';
import { InventoryReply, parseInventoryCommand } from '@app/protocol';
import { playerScopedCommandId } from '../shared/player-scoped-command-id';
import { InventoryConnection } from './inventory.module';

/** A player's own reads and commands, as its sockets send them. */
@Injectable()
export class PlayerInventory {
  constructor(private readonly inventory: InventoryConnection) {}

  get(playerId: string): Promise<InventoryReply> {
    return this.inventory.client().get(playerId);
  }

  /** `payload` as the client sent it: read here, refused `invalid_payload` when it is not a command. */
  async command(playerId: string, payload: unknown): Promise<InventoryReply> {
    const parsed = parseInventoryCommand(payload);
    if ('error' in parsed) return { ok: false, error: { code: 'invalid_payload', message: parsed.error } };
    return this.inventory.client().send(playerId, playerScopedCommandId(playerId, parsed.commandId), parsed.command, parsed.firstSentMsAgo);
  }
}
