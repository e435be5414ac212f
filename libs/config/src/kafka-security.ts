import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How every Kafka client of a process connects: TLS or not, and SASL credentials if any. */
export interface KafkaSecurity {
  ssl: boolean;
  /** PEM text of the CA certificates to trust instead of Node's defaults (KAFKA_SSL_CA_FILE, read at start). */
  ca?: string;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/** The variables, without cross-checks (kafkaSecurityRule), so schemas that extend them can still pick fields. */
export const kafkaSecurityFields = {
  KAFKA_SSL: z.enum(['true', 'false'], { message: 'expected true or false' }).default('false'),
  // Read once at start so a missing or unreadable file is named then, not at the first connect.
  KAFKA_SSL_CA_FILE: z
    .string()
    .transform((path, ctx) => {
      try {
        return { path, pem: readFileSync(path, 'utf8') };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
        return z.NEVER;
      }
    })
    .optional(),
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS, { message: `expected one of ${KAFKA_SASL_MECHANISMS.join(', ')}` }).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
};

type KafkaSecurityEnv = z.output<z.ZodObject<typeof kafkaSecurityFields>>;

/** What the variables only mean together: a CA needs TLS on, a mechanism needs both credentials, credentials need a mechanism. */
export function kafkaSecurityRule(env: KafkaSecurityEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (env.KAFKA_SSL_CA_FILE && env.KAFKA_SSL !== 'true') issue('KAFKA_SSL_CA_FILE', 'set, but KAFKA_SSL is not true');
  if (env.KAFKA_SASL_MECHANISM) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!env[name]) issue(name, `required when KAFKA_SASL_MECHANISM is set`);
    }
  } else {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (env[name]) issue(name, `set, but KAFKA_SASL_MECHANISM is not (${KAFKA_SASL_MECHANISMS.join(', ')})`);
    }
  }
}

/** The Kafka security variables alone, checked together: for tools that need nothing else of the environment. */
export const kafkaSecurityEnvSchema = z.object(kafkaSecurityFields).superRefine(kafkaSecurityRule);

export function toKafkaSecurity(env: KafkaSecurityEnv): KafkaSecurity {
  const ssl = env.KAFKA_SSL === 'true';
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  return {
    ssl,
    ...(ssl && env.KAFKA_SSL_CA_FILE ? { ca: env.KAFKA_SSL_CA_FILE.pem } : {}),
    ...(mechanism && username && password ? { sasl: { mechanism, username, password } } : {}),
  };
}
