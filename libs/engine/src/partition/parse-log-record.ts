import { isOrigin } from './parse-envelope';
import { LogRecord } from './records';

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

/** Reads an events record. Anything malformed is an error: skipping it would make replay diverge. */
export function parseLogRecord(raw: Buffer | null, offset: number): LogRecord {
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  const record = value as Partial<Record<string, unknown>> | undefined;
  if (wellFormed(record)) return record as LogRecord;
  throw new Error(`events record at offset ${offset} is malformed`);
}

function wellFormed(record: Partial<Record<string, unknown>> | undefined): boolean {
  if (record?.type === 'claim') return typeof record.owner === 'string';
  if (!isOffset(record?.claim)) return false;
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
