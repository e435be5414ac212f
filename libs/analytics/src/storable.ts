/** `String.prototype.toWellFormed` (Node 20); the project's TypeScript lib (ES2023) does not declare it yet. */
type WellFormable = string & { toWellFormed(): string };

/**
 * Text as PostgreSQL stores it in text and jsonb columns. A player's commandId (and so a transferId in events) may
 * hold what PostgreSQL refuses: NUL, or a lone UTF-16 surrogate ("\ud800"), which JSON.stringify writes as the escape
 * `\ud800` that jsonb rejects. Refused text would fail its batch on every retry and stall the partition for good, so
 * each becomes U+FFFD.
 */
export const storableText = (text: string): string => (text as WellFormable).toWellFormed().replaceAll('\0', '\uFFFD');

/** A JSON value (an event as logged) with every string in it, keys included, made storable. */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableText(key), storableValue(inner)]));
  }
  return value;
}

// timestamptz holds years 4713 BC to 294276 AD, JavaScript's Date ±275,760 years, ISO strings past 9999 need a sign:
// years 1 to 9999 are what every one of them reads alike.
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether `at` is a time (epoch ms) the read models can bucket and store. */
export const isStorableTime = (at: unknown): at is number => typeof at === 'number' && Number.isFinite(at) && at >= EARLIEST && at <= LATEST;
