import { isOrigin } from './parse-envelope';
import { LogRecord, RECORD_VERSION } from './records';
import { StoredRecord, upcastRecord } from './upcast-records';

const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isOutboxCommand = (value: unknown): boolean => {
  const command = value as Partial<Record<string, unknown>> | null;
  return (
    typeof command === 'object' &&
    command !== null &&
    typeof command.commandId === 'string' &&
    typeof command.aggregateId === 'string' &&
    typeof command.issuedAt === 'number' &&
    (command.service === undefined || typeof command.service === 'string')
  );
};

/**
 * Reads an events record in the current format (`RECORD_VERSION`): one of an earlier format is upcast (see
 * `RECORD_UPCASTERS`), one of a later format is an error (this code cannot know what it means), and so is anything
 * malformed: skipping it would make replay diverge.
 */
export function parseLogRecord(raw: Buffer | null, offset: number): LogRecord {
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  const malformed = new Error(`events record at offset ${offset} is malformed`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed;
  const format = (value as StoredRecord).v ?? 0;
  if (!isOffset(format)) throw malformed;
  if (format > RECORD_VERSION) {
    throw new Error(
      `events record at offset ${offset} is of format ${format}; this code reads formats up to ${RECORD_VERSION}: read the log with a newer version`,
    );
  }
  const record = upcastRecord(value as StoredRecord, format) as Partial<Record<string, unknown>>;
  if (wellFormed(record)) return record as unknown as LogRecord;
  throw malformed;
}

function wellFormed(record: Partial<Record<string, unknown>>): boolean {
  if (record.v !== RECORD_VERSION) return false;
  if (record.type === 'claim') return typeof record.owner === 'string';
  if (!isOffset(record.claim)) return false;
  switch (record.type) {
    case 'checkpoint':
      return typeof record.stateHash === 'string' && (record.id === undefined || typeof record.id === 'string');
    case 'outbox-sent':
      return isOffset(record.through);
    case 'outcome':
      return (
        typeof record.commandId === 'string' &&
        typeof record.aggregateId === 'string' &&
        Array.isArray(record.events) &&
        Number.isSafeInteger(record.eventsVersion) &&
        (record.eventsVersion as number) >= 1 &&
        typeof record.outcome === 'object' &&
        record.outcome !== null &&
        (record.origin === undefined || isOrigin(record.origin)) &&
        (record.commandOffset === undefined || isOffset(record.commandOffset)) &&
        (record.forget === undefined || record.forget === true) &&
        (record.outbox === undefined || (Array.isArray(record.outbox) && record.outbox.every(isOutboxCommand)))
      );
    default:
      return false;
  }
}

// Readers of outcomes' domain events (projections) bring them to the current version with the service's domain.
export { currentEvents, withCurrentEvents } from './upcast-events';
