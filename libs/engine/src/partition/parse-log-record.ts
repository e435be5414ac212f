import { LogRecord } from './records';

/** Reads an events record. Anything malformed is an error: skipping it would make replay diverge. */
export function parseLogRecord(raw: Buffer | null, offset: number): LogRecord {
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  const record = value as Partial<Record<string, unknown>> | undefined;
  if (record?.type === 'checkpoint' && typeof record.stateHash === 'string') return record as LogRecord;
  if (
    record?.type === 'outcome' &&
    typeof record.commandId === 'string' &&
    typeof record.aggregateId === 'string' &&
    Array.isArray(record.events) &&
    typeof record.outcome === 'object' &&
    record.outcome !== null
  ) {
    return record as LogRecord;
  }
  throw new Error(`events record at offset ${offset} is malformed`);
}
