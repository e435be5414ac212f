import { z } from 'zod';
import { PlayerCommand, playerCommandSchema } from '@app/inventory';

const commandId = z.string().min(1).max(100);

/** Reads an `inventory:command` payload: `{ commandId, type, ...args }`, nothing more (PROTOCOL.md). */
export function parseInventoryCommand(payload: unknown): { commandId: string; command: PlayerCommand } | { error: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { error: 'expected an object' };
  const { commandId: id, ...rest } = payload as Record<string, unknown>;
  const parsedId = commandId.safeParse(id);
  if (!parsedId.success) return { error: 'commandId: expected a string of 1-100 characters' };
  const parsed = playerCommandSchema.safeParse(rest);
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`).join('; ') };
  return { commandId: parsedId.data, command: parsed.data };
}
