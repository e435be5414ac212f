import { Injectable } from '@nestjs/common';
import { InventoryView } from '@app/inventory';
import { Grant, InventoryReply } from '@app/protocol';
import { refusedWithStatus } from '../shared/admin/refusal-status';
import { InventoryConnection } from './inventory.module';

/** Admin reads and grants, through the inventory service like every other command. */
@Injectable()
export class AdminInventory {
  constructor(private readonly inventory: InventoryConnection) {}

  /** Idempotent by grantId: the commandId is the grant's, so a repeat gets the first outcome. */
  async grant(playerId: string, { grantId, gold, items }: Grant): Promise<{ ok: true; inventory: InventoryView }> {
    const reply = await this.inventory.client().send(playerId, `grant:${playerId}:${grantId}`, { type: 'grant', grantId, gold, items });
    return { ok: true, inventory: succeeded(reply) };
  }

  async get(playerId: string): Promise<InventoryView> {
    return succeeded(await this.inventory.client().get(playerId));
  }
}

function succeeded(reply: InventoryReply): InventoryView {
  return reply.ok ? reply.inventory : refusedWithStatus(reply);
}
