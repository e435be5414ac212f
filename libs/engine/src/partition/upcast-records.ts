import { RECORD_VERSION } from './records';

/** A record as read from the log, before it is known to be of the current format. */
export type StoredRecord = Record<string, unknown>;
/** One change of the records' format: turns a record of format n into one of format n + 1. Pure. */
export type RecordUpcaster = (record: StoredRecord) => StoredRecord;

/**
 * Format 0 to 1: records carry their format (`v`), and an outcome says which version of its service's events it holds
 * (`eventsVersion`); events were not versioned before, so every earlier outcome holds version 1.
 */
export const numberedFormat: RecordUpcaster = (record) => ({ ...record, v: 1, ...(record.type === 'outcome' ? { eventsVersion: 1 } : {}) });

/**
 * One upcaster per change of the records' format, oldest first: `RECORD_UPCASTERS[n]` reads format n. Its length is
 * `RECORD_VERSION` (a test checks it): a new format does not read until the upcaster from the previous one is here.
 */
export const RECORD_UPCASTERS: readonly RecordUpcaster[] = [numberedFormat];

/**
 * A record of format `format` (at most `RECORD_VERSION`) brought up to the current format, each change in turn.
 * Readers then see one shape whatever wrote the log, so replay of an old log reaches the same state as before.
 */
export function upcastRecord(record: StoredRecord, format: number): StoredRecord {
  let current = record;
  for (let version = format; version < RECORD_VERSION; version++) current = RECORD_UPCASTERS[version](current);
  return current;
}
