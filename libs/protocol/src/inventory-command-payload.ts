import { PlayerCommand, playerCommandSchema } from '@app/inventory';
import { commandIdSchema as commandId } from './command-id';
import { FIRST_SENT_MS_AGO_PROBLEM, firstSentMsAgo } from './first-sent-ms-ago';
import { describeIssues } from './schema-issues';

/** An `inventory:command` as a client sends it (PROTOCOL.md): `{ commandId, type, ...args }`, and on a retry `firstSentMsAgo`. */
export type InventoryCommandRequest = PlayerCommand & { commandId: string; firstSentMsAgo?: number };

/** An `inventory:command` as read: who sent it, what it is, and when a retry was first sent. */
export interface InventoryCommandPayload {
  commandId: string;
  command: PlayerCommand;
  /** Present on retries: milliseconds between the first sending of this commandId and this one, by the client's clock. */
  firstSentMsAgo?: number;
}

/**
 * Reads an `inventory:command` payload: `{ commandId, type, ...args }`, plus an optional `firstSentMsAgo` on a retry
 * (PROTOCOL.md), nothing more. Without it the command counts as a first attempt.
 */
export function parseInventoryCommand(payload: unknown): InventoryCommandPayload | { error: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { error: 'expected an object' };
  const { commandId: id, firstSentMsAgo: ago, ...rest } = payload as Record<string, unknown>;
  const parsedId = commandId.safeParse(id);
  if (!parsedId.success) return { error: 'commandId: expected well-formed text of 1-100 characters' };
  const parsedAgo = firstSentMsAgo.optional().safeParse(ago);
  if (!parsedAgo.success) return { error: FIRST_SENT_MS_AGO_PROBLEM };
  const parsed = playerCommandSchema.safeParse(rest);
  if (!parsed.success) return { error: describeIssues(parsed.error.issues, 'command') };
  return parsedAgo.data === undefined
    ? { commandId: parsedId.data, command: parsed.data }
    : { commandId: parsedId.data, command: parsed.data, firstSentMsAgo: parsedAgo.data };
}
