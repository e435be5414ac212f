import { CommandEnvelope, Origin } from './records';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * Reads a command record from the wire. Anything that is not a well-formed envelope is refused here,
 * before it can touch state; its payload is checked later by the domain's own parser.
 */
export function parseEnvelope(raw: Buffer | null): CommandEnvelope | { error: string } {
  if (!raw) return { error: 'empty record' };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  return readEnvelope(value);
}

/** Checks an envelope already parsed from JSON (one sent straight to the owner), as `parseEnvelope` does. */
export function readEnvelope(value: unknown): CommandEnvelope | { error: string } {
  if (!isRecord(value)) return { error: 'not an object' };
  const { commandId, aggregateId, issuedAt, requester, firstIssuedAt, replyTo, origin, command } = value;
  if (!isId(commandId)) return { error: 'commandId must be a string of 1-200 characters' };
  if (!isId(aggregateId)) return { error: 'aggregateId must be a string of 1-200 characters' };
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return { error: 'issuedAt must be a number' };
  if (requester !== undefined && !isId(requester)) return { error: 'requester must be a string of 1-200 characters' };
  if (firstIssuedAt !== undefined && (typeof firstIssuedAt !== 'number' || !Number.isFinite(firstIssuedAt))) return { error: 'firstIssuedAt must be a number' };
  if (replyTo !== undefined) {
    if (!isRecord(replyTo) || typeof replyTo.topic !== 'string' || !Number.isInteger(replyTo.partition)) {
      return { error: 'replyTo must be { topic, partition }' };
    }
  }
  if (origin !== undefined && !isOrigin(origin)) return { error: 'origin must be { source, offset, index }' };
  const envelope: CommandEnvelope = { commandId, aggregateId, issuedAt, replyTo: replyTo as CommandEnvelope['replyTo'], origin, command };
  if (requester !== undefined) envelope.requester = requester;
  // A retry cannot have been first sent after it was sent now.
  if (firstIssuedAt !== undefined) envelope.firstIssuedAt = Math.min(firstIssuedAt, issuedAt);
  return envelope;
}

export function isOrigin(value: unknown): value is Origin {
  const isPosition = (number: unknown) => Number.isSafeInteger(number) && (number as number) >= 0;
  return isRecord(value) && isId(value.source) && isPosition(value.offset) && isPosition(value.index);
}
