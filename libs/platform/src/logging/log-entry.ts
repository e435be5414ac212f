import { inspect } from 'node:util';

/** One line as pino takes it: its fields (context, stack, those the caller passed) and its message. */
export interface LogEntry {
  fields: Record<string, unknown>;
  text: string;
}

const STACK = /\n\s+at /;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/**
 * Reads a call as Nest's loggers are called: `(message, ...params, context)`, where a `Logger('context')` appends its
 * context and errors may pass a stack before it (`(message, stack, context)`). Plain objects among the params are
 * the line's fields (`logger.warn('text', { partition: 3 })`); an Error as message gives its message and stack.
 */
export function entryOf(message: unknown, params: unknown[], mayHaveStack: boolean): LogEntry {
  const fields: Record<string, unknown> = {};
  let rest = params;
  const last = rest.at(-1);
  if (typeof last === 'string' && !STACK.test(last)) {
    fields.context = last;
    rest = rest.slice(0, -1);
  }
  const extra: string[] = [];
  for (const param of rest) {
    if (isPlainObject(param)) Object.assign(fields, param);
    else if (typeof param === 'string' && mayHaveStack && STACK.test(param)) fields.stack = param;
    else if (param !== undefined) extra.push(typeof param === 'string' ? param : inspect(param, { breakLength: Infinity }));
  }
  let text: string;
  if (message instanceof Error) {
    text = message.message;
    fields.stack ??= message.stack;
  } else {
    text = typeof message === 'string' ? message : inspect(message, { breakLength: Infinity });
  }
  return { fields, text: [text, ...extra].join(' ') };
}
