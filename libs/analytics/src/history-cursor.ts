import { isStorableTime, storableText } from './storable';

/**
 * Where a page of a player's history ended: the last entry's place in the history's order, which is the time of its
 * command, then its place in the log (service, topic, partition, offset, event index: unique, so no two entries tie).
 */
export interface HistoryCursor {
  /** ISO time, as stored (ms). */
  at: string;
  service: string;
  topic: string;
  partition: number;
  offset: number;
  index: number;
}

/** Far longer than any cursor this writes; a longer one is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 1024;
const isCount = (value: unknown, max: number): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;
/** Text as the read models store it (never a NUL or a lone surrogate, which PostgreSQL would refuse as a parameter). */
const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 255 && storableText(value) === value;
const INT_MAX = 2 ** 31 - 1;

/** The `next` of a history page: opaque to clients (base64url of JSON), so its shape may change with the order. */
export const encodeHistoryCursor = ({ at, service, topic, partition, offset, index }: HistoryCursor): string =>
  Buffer.from(JSON.stringify([at, service, topic, partition, offset, index])).toString('base64url');

/** The cursor `text` holds, or undefined when it is none this wrote (a client's `after` is untrusted). */
export function decodeHistoryCursor(text: string): HistoryCursor | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 6) return undefined;
  const [at, service, topic, partition, offset, index] = fields as unknown[];
  if (typeof at !== 'string' || !isStorableTime(Date.parse(at)) || new Date(Date.parse(at)).toISOString() !== at) return undefined;
  if (!isName(service) || !isName(topic) || !isCount(partition, INT_MAX) || !isCount(offset, Number.MAX_SAFE_INTEGER) || !isCount(index, INT_MAX)) {
    return undefined;
  }
  return { at, service, topic, partition, offset, index };
}
