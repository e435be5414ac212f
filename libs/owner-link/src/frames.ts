import { LinkError } from './link-error';

/**
 * The wire format: one JSON object per line (JSON.stringify never emits a raw newline).
 * client -> server `{"i": id, "q": body}` (plus `"t": secret` when the link has one); server -> client `{"i": id, "a": body}`, `{"i": id, "e": message}` or
 * `{"p": body}`. Unknown extra fields are ignored so either side can add some without breaking the other.
 */
export interface RequestFrame {
  id: number;
  body: unknown;
  /** The link's shared secret, as the client sent it. */
  token?: string;
}

export type ServerFrame = { kind: 'answer'; id: number; body: unknown } | { kind: 'error'; id: number; message: string } | { kind: 'push'; body: unknown };

export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

type Fields = Record<string, unknown>;

function parseObject(line: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
  } catch {
    return undefined;
  }
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** A request frame, or undefined when the line is anything else (the caller closes the connection). */
export function parseRequest(line: string): RequestFrame | undefined {
  const fields = parseObject(line);
  if (fields === undefined || !isId(fields.i) || !('q' in fields)) return undefined;
  return { id: fields.i, body: fields.q, token: typeof fields.t === 'string' ? fields.t : undefined };
}

/** An answer, error answer or push, or undefined when the line is anything else (the caller closes the connection). */
export function parseServerFrame(line: string): ServerFrame | undefined {
  const fields = parseObject(line);
  if (fields === undefined) return undefined;
  if ('i' in fields) {
    // Exactly one of `a` and `e`: a frame with both or neither is a peer bug, not something to guess about.
    const answered = 'a' in fields;
    if (!isId(fields.i) || answered === 'e' in fields) return undefined;
    if (answered) return { kind: 'answer', id: fields.i, body: fields.a };
    return typeof fields.e === 'string' ? { kind: 'error', id: fields.i, message: fields.e } : undefined;
  }
  return 'p' in fields ? { kind: 'push', body: fields.p } : undefined;
}

/**
 * One frame as a line (without its newline). Throws LinkError('invalid') when it cannot travel: not serializable
 * (a BigInt, a cycle) or longer than `maxBytes`, which the receiver would answer by closing the connection, failing
 * everything else in flight on it.
 */
export function encodeFrame(frame: object, maxBytes: number): string {
  let line: string;
  try {
    line = JSON.stringify(frame);
  } catch (error) {
    throw new LinkError('invalid', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkedFrame(line, maxBytes);
}

/** `line` when it is at most `maxBytes` long in UTF-8; LinkError('invalid') otherwise. */
export function checkedFrame(line: string, maxBytes: number): string {
  // A UTF-16 unit takes at most 3 bytes in UTF-8: only long lines need their bytes counted.
  if (line.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(line);
    if (bytes > maxBytes) throw new LinkError('invalid', `a frame of ${bytes} bytes is longer than the limit of ${maxBytes}`);
  }
  return line;
}

/** `undefined` has no JSON form: it travels as null, so the frame keeps its `q`, `a` or `p` field. */
export const orNull = (body: unknown): unknown => (body === undefined ? null : body);

/** A limit from options: its default when absent, a clear error when it is no positive integer. */
export function positiveLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
