import { z } from 'zod';

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

/** `host:port,host:port` -> list; rejects empty entries and missing ports. */
export const brokerList = z
  .string()
  .transform((raw) => raw.split(',').map((entry) => entry.trim()))
  .refine((brokers) => brokers.every((broker) => HOST_PORT.test(broker)), {
    message: 'expected comma-separated host:port pairs, e.g. 127.0.0.1:9092',
  });

export const postgresUrl = z.string().refine(
  (raw) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(raw).protocol);
    } catch {
      return false;
    }
  },
  { message: 'expected a postgres:// or postgresql:// URL' },
);

export const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole port number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

/**
 * A whole number from `min` (to `max`). Every bound carries its own message: zod applies the schema's message to
 * checks without one, so a bare `.max()` here would tell an out-of-range value that it is not a whole number.
 */
export function wholeNumber(min = 1, max?: number) {
  const atLeast = z.coerce.number({ message: 'expected a whole number' }).int('expected a whole number').min(min, `expected at least ${min}`);
  return max === undefined ? atLeast : atLeast.max(max, `expected at most ${max}`);
}

/** Topic-name-safe prefix: tests isolate themselves with a random one. */
export const topicPrefix = z
  .string()
  .regex(/^[A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-" only')
  .max(100);

export const instanceId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 of letters, digits, ".", "_" or "-"');

export const nodeEnv = z.enum(['development', 'test', 'production']);

/** A switch: `on` or `off`. */
export const onOff = z.enum(['on', 'off'], { message: 'expected on or off' });
