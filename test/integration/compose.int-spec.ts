import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { analyticsEnvSchema, commonEnvSchema, engineEnvSchema, gatewayEnvSchema, parseEnv, PUBLIC_SECRETS, topicsEnvSchema, zoneEnvSchema } from '@app/config';
import { KAFKA_VERSION } from '../../scripts/lib/local-kafka';
import { knownKeys } from '../support/schema-keys';

/**
 * Static checks of docker-compose.yml and the Dockerfile. No Docker engine is
 * needed: the files are parsed, compose interpolation is resolved the way
 * `docker compose` would with only the required secrets set, and what each container
 * would see is checked against the same schemas the processes parse at start.
 */

const ROOT = resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// ---------------------------------------------------------------- compose interpolation

type Vars = Record<string, string | undefined>;

/**
 * Compose-style interpolation: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`,
 * `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`. A variable without a
 * default that `vars` does not set is an error here (compose would warn and use
 * ""), because the stack must start from an empty environment.
 */
function interpolate(text: string, vars: Vars = {}): string {
  return text.replace(/\$(?:\$|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, braced?: string, bare?: string) => {
    if (match === '$$') return '$';
    const expression = braced ?? bare ?? '';
    const parts = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])(.*))?$/s.exec(expression);
    if (!parts || (parts[4] ?? '').includes('$')) throw new Error(`unsupported interpolation ${match}`);
    const [, name, colon, operator, argument] = parts;
    const value = vars[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (!unset) return value;
    if (operator === '-') return argument;
    if (operator === '?') throw new Error(`${name} is required: ${argument}`);
    throw new Error(`${name} is used in ${JSON.stringify(text)} without a default`);
  });
}

/** Interpolates every string value (not keys) of a parsed compose document. */
function interpolateDeep<T>(node: T, vars: Vars): T {
  if (typeof node === 'string') return interpolate(node, vars) as T;
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, vars)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateDeep(value, vars)])) as T;
  }
  return node;
}

// ---------------------------------------------------------------- compose model

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; target?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: string | number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  stop_grace_period?: string;
  hostname?: string;
  init?: boolean;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The variables compose cannot start without: the gateway's production secrets, which have no default. */
const REQUIRED_SECRETS = ['ADMIN_TOKEN', 'JWT_SECRET', 'PLAYER_ID_SECRET'] as const;
/** What an operator following the file's own instructions (`openssl rand -hex 32`) would set. */
const OPERATOR_SECRETS: Vars = Object.fromEntries(REQUIRED_SECRETS.map((name) => [name, randomBytes(32).toString('hex')]));

function loadCompose(vars: Vars = OPERATOR_SECRETS): ComposeFile {
  // `merge: true` resolves the `<<: *anchor` keys the file uses, as compose does.
  return interpolateDeep(parse(read('docker-compose.yml'), { merge: true }) as ComposeFile, vars);
}

/** The environment a service sets, as the strings its process will see (null = taken from the host = unset here). */
function serviceEnv(service: Service): Record<string, string> {
  const entries: [string, string | undefined][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? undefined : String(value)]);
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function dependsOn(service: Service): Record<string, string> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, spec?.condition ?? 'service_started']));
}

/** Compose duration (`45s`, `1m30s`, `1500ms`) in milliseconds. */
function durationMs(value: string | undefined): number {
  if (value === undefined) return 10_000; // Docker's default stop timeout
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== value) throw new Error(`not a duration: ${value}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

interface PortMapping {
  hostIp?: string;
  published?: number;
  target: number;
}

function portMappings(service: Service): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip, published: port.published === undefined ? undefined : Number(port.published), target: port.target };
    }
    const [spec] = port.split('/');
    const pieces = spec.split(':');
    const target = Number(pieces.pop());
    const published = pieces.length ? Number(pieces.pop()) : undefined;
    return { hostIp: pieces.length ? pieces.join(':') : undefined, published, target };
  });
}

// ---------------------------------------------------------------- Dockerfile model

interface Stage {
  name?: string;
  base: string;
  parent?: Stage;
  env: Record<string, string>;
  user: string;
  instructions: { op: string; args: string }[];
}

function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = op.toUpperCase();
    const current = stages[stages.length - 1];
    if (instruction === 'FROM') {
      const words = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const base = words[0].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => globalArgs[name] ?? '');
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      const parent = stages.find((stage) => stage.name?.toLowerCase() === base.toLowerCase());
      stages.push({ name, base, parent, env: { ...parent?.env }, user: parent?.user ?? 'root', instructions: [] });
    } else if (!current) {
      if (instruction === 'ARG') {
        const [name, value = ''] = args.split('=');
        globalArgs[name.trim()] = value.trim();
      }
    } else {
      current.instructions.push({ op: instruction, args });
      if (instruction === 'USER') current.user = args.split(':')[0].trim();
      if (instruction === 'ENV') {
        if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
          for (const [, key, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)) {
            current.env[key] = value.replace(/^(["'])(.*)\1$/, '$2');
          }
        } else {
          const [, key, value] = /^(\S+)\s+(.*)$/.exec(args) ?? [];
          current.env[key] = value;
        }
      }
    }
  }
  return stages;
}

/** A stage's own instructions and those of every stage it is built FROM, oldest first. */
function lineage(stage: Stage): Stage['instructions'] {
  return [...(stage.parent ? lineage(stage.parent) : []), ...stage.instructions];
}

// ---------------------------------------------------------------- expectations

const APP_SERVICES = {
  gateway: { app: 'gateway', schema: gatewayEnvSchema as z.ZodType },
  'inventory-1': { app: 'inventory', schema: engineEnvSchema as z.ZodType },
  'inventory-2': { app: 'inventory', schema: engineEnvSchema as z.ZodType },
  'zone-1': { app: 'zone', schema: zoneEnvSchema as z.ZodType },
  'zone-2': { app: 'zone', schema: zoneEnvSchema as z.ZodType },
  analytics: { app: 'analytics', schema: analyticsEnvSchema as z.ZodType },
} as const;
const TOOL_SERVICES = {
  migrate: { script: 'db:migrate', schema: commonEnvSchema as z.ZodType },
  'provision-topics': { script: 'topics:provision', schema: topicsEnvSchema as z.ZodType },
} as const;
const ALL_SERVICES = ['kafka', 'postgres', ...Object.keys(TOOL_SERVICES), ...Object.keys(APP_SERVICES)];
const appEntries = Object.entries(APP_SERVICES);
const toolEntries = Object.entries(TOOL_SERVICES);
const envEntries = [...appEntries, ...toolEntries].map(([name, { schema }]) => [name, schema] as const);

/** `NAME://host:port,...` -> listener name -> { host, port }. */
function listenerMap(value: string | undefined): Map<string, { host: string; port: number }> {
  const map = new Map<string, { host: string; port: number }>();
  for (const entry of (value ?? '').split(',').filter(Boolean)) {
    const parsed = /^([A-Za-z0-9_]+):\/\/(.*):(\d+)$/.exec(entry.trim());
    if (!parsed) throw new Error(`not a listener: ${entry}`);
    map.set(parsed[1], { host: parsed[2], port: Number(parsed[3]) });
  }
  return map;
}

describe('compose interpolation helper', () => {
  it('resolves defaults, set values, escapes and required variables like compose', () => {
    expect(interpolate('${A:-x}/${B-y}/$$HOME')).toBe('x/y/$HOME');
    expect(interpolate('${A:-x}|${A-x}|$A', { A: '' })).toBe('x||');
    expect(interpolate('${A:-x}:${A}', { A: 'set' })).toBe('set:set');
    expect(() => interpolate('${A:?give A}')).toThrow('A is required: give A');
    expect(() => interpolate('${A}')).toThrow('without a default');
    expect(() => interpolate('${A:-${B}}')).toThrow('unsupported');
    expect(() => interpolate('${A:+x}')).toThrow('unsupported');
  });
});

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const { services } = compose;
  const stages = parseDockerfile(read('Dockerfile'));
  const stageOf = (service: Service) => {
    const target = typeof service.build === 'object' ? service.build.target : undefined;
    return target ? stages.find((stage) => stage.name === target) : stages[stages.length - 1];
  };
  /** What the process sees: the image's ENV, overridden by the service's environment. */
  const effectiveEnv = (service: Service) => ({ ...stageOf(service)?.env, ...serviceEnv(service) });

  it('resolves with only the secrets set (everything else has a default)', () => {
    expect(() => loadCompose(OPERATOR_SECRETS)).not.toThrow();
  });

  it.each(REQUIRED_SECRETS)('refuses to start without %s, and says how to set it', (name) => {
    expect(() => loadCompose({ ...OPERATOR_SECRETS, [name]: undefined })).toThrow(`${name} is required: set ${name}`);
    expect(() => loadCompose({ ...OPERATOR_SECRETS, [name]: '' })).toThrow(`${name} is required`);
  });

  it('ships no default for any token, secret or password the gateway reads', () => {
    const defaults = [...read('docker-compose.yml').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?-/g)].map(([, name]) => name);
    expect(defaults.filter((name) => /TOKEN|SECRET/.test(name))).toEqual([]);
  });

  it('defines the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual([...ALL_SERVICES].sort());
  });

  it('points every dependency at a service that can satisfy its condition', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        const target = services[dependency];
        expect({ name, dependency, exists: target !== undefined }).toEqual({ name, dependency, exists: true });
        if (condition === 'service_healthy') {
          expect({ dependency, healthcheck: Boolean(target.healthcheck?.test) && !target.healthcheck?.disable }).toEqual({
            dependency,
            healthcheck: true,
          });
        }
        if (condition === 'service_completed_successfully') {
          // A restarting one-shot job would never count as completed.
          expect({ dependency, restart: target.restart ?? 'no' }).toEqual({ dependency, restart: 'no' });
        }
      }
    }
  });

  it('runs the one-shot jobs after their backing service is healthy', () => {
    expect(dependsOn(services.migrate)).toMatchObject({ postgres: 'service_healthy' });
    expect(dependsOn(services['provision-topics'])).toMatchObject({ kafka: 'service_healthy' });
  });

  describe.each(appEntries)('app service %s', (name, { app }) => {
    const service = services[name];

    it('starts only after kafka, postgres, migration and topic provisioning', () => {
      expect(dependsOn(service)).toMatchObject({
        kafka: 'service_healthy',
        postgres: 'service_healthy',
        migrate: 'service_completed_successfully',
        'provision-topics': 'service_completed_successfully',
      });
    });

    it('has a readiness healthcheck on its own PORT', () => {
      const test = service.healthcheck?.test;
      expect(Array.isArray(test) ? test[0] : undefined).toMatch(/^CMD(-SHELL)?$/);
      const command = Array.isArray(test) ? test.slice(1).join(' ') : String(test);
      expect(command).toContain('/health/ready');
      expect(command).toMatch(/127\.0\.0\.1|localhost/);
      expect(command).toContain('process.env.PORT');
      expect(effectiveEnv(service).PORT).toMatch(/^\d+$/);
      expect(service.healthcheck?.disable).toBeFalsy();
    });

    it('gives a planned stop time to drain', () => {
      expect(durationMs(service.stop_grace_period)).toBeGreaterThanOrEqual(30_000);
      expect(service.restart).toBe('unless-stopped');
    });

    it('runs its own compiled entry file from the runtime image', () => {
      const nest = JSON.parse(read('nest-cli.json')) as {
        projects: Record<string, { sourceRoot: string; entryFile: string; compilerOptions: { tsConfigPath: string } }>;
      };
      const project = nest.projects[app];
      const tsconfigPath = project.compilerOptions.tsConfigPath;
      const outDir = (JSON.parse(read(tsconfigPath)) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
      // tsconfig.app.json includes ../../libs, so tsc's rootDir is the repository root.
      const entry = posix.join(relative(ROOT, resolve(ROOT, dirname(tsconfigPath), outDir)), project.sourceRoot, `${project.entryFile}.js`);
      expect(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
      expect(service.command).toEqual(['node', entry]);
      const stage = stageOf(service);
      expect(stage?.name).toBe('runtime');
      expect(service.image).toBe(services.gateway.image);
    });
  });

  describe.each(toolEntries)('one-shot service %s', (name, { script }) => {
    const service = services[name];

    it('runs its npm script once, in the image that has the dev tooling', () => {
      const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
      expect(service.command).toEqual(['npm', 'run', script]);
      const [runner, file] = scripts[script].split(/\s+/);
      expect(runner).toBe('tsx');
      expect(existsSync(join(ROOT, file))).toBe(true);
      const stage = stageOf(service);
      expect(stage).toBeDefined();
      const runs = lineage(stage as Stage)
        .filter(({ op }) => op === 'RUN')
        .map(({ args }) => args);
      // tsx is a devDependency: this image must install them.
      expect(runs.some((run) => /\bnpm ci\b/.test(run) && !/--omit[= ]dev|--production/.test(run))).toBe(true);
      expect(lineage(stage as Stage).some(({ op, args }) => op === 'COPY' && /\bscripts\b/.test(args))).toBe(true);
      expect(service.restart ?? 'no').toBe('no');
    });
  });

  describe.each(envEntries)('environment of %s', (name, schema) => {
    const service = services[name];

    it('passes the schema the process parses at start', () => {
      expect(() => parseEnv(schema, effectiveEnv(service))).not.toThrow();
    });

    it('sets no variable the process does not read', () => {
      const known = new Set(knownKeys(schema));
      expect(Object.keys(serviceEnv(service)).filter((key) => !known.has(key))).toEqual([]);
    });

    it('reaches kafka through its in-network listener', () => {
      const env = parseEnv(schema, effectiveEnv(service)) as { KAFKA_BROKERS: string[] };
      const kafka = serviceEnv(services.kafka);
      const advertised = listenerMap(kafka.KAFKA_ADVERTISED_LISTENERS);
      const bound = listenerMap(kafka.KAFKA_LISTENERS);
      const kafkaNames = new Set(['kafka', services.kafka.hostname].filter(Boolean));
      expect(env.KAFKA_BROKERS.length).toBeGreaterThan(0);
      for (const broker of env.KAFKA_BROKERS) {
        const [host, port] = broker.split(':');
        expect(kafkaNames.has(host)).toBe(true);
        const listener = [...advertised].find(([, address]) => address.host === host && address.port === Number(port));
        expect(listener).toBeDefined();
        // In-network: the container connects to the port the broker binds, no port mapping involved.
        expect(bound.get(listener![0])?.port).toBe(Number(port));
      }
    });

    it('uses the postgres service with its credentials', () => {
      const env = parseEnv(schema, effectiveEnv(service)) as { DATABASE_URL: string };
      const url = new URL(env.DATABASE_URL);
      const postgres = serviceEnv(services.postgres);
      const user = postgres.POSTGRES_USER ?? 'postgres';
      expect(url.hostname).toBe('postgres');
      expect(url.port || '5432').toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(user);
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB ?? user}`);
    });
  });

  it('gives every app instance its own INSTANCE_ID', () => {
    const ids = appEntries.map(([name]) => serviceEnv(services[name]).INSTANCE_ID);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('runs more than one instance of each partitioned service', () => {
    expect(appEntries.filter(([, { app }]) => app === 'inventory').length).toBeGreaterThanOrEqual(2);
    expect(appEntries.filter(([, { app }]) => app === 'zone').length).toBeGreaterThanOrEqual(2);
  });

  it("publishes no app port but the gateway's: the others serve only health, inside the network", () => {
    const publishing = appEntries.filter(([name]) => portMappings(services[name]).length > 0).map(([name]) => name);
    expect(publishing).toEqual(['gateway']);
  });

  it('runs the analytics projection as one instance with neither partitions nor an owner link', () => {
    expect(appEntries.filter(([, { app }]) => app === 'analytics').map(([name]) => name)).toEqual(['analytics']);
    const env = serviceEnv(services.analytics);
    expect(env.PORT).toBe('3030');
    expect(Object.keys(env).filter((key) => key.startsWith('DIRECT_'))).toEqual([]);
  });

  it('publishes the gateway port its process listens on', () => {
    const { PORT } = serviceEnv(services.gateway);
    expect(PORT).toBe('3000');
    expect(portMappings(services.gateway)).toContainEqual(expect.objectContaining({ target: 3000, published: 3000 }));
  });

  it('hands the gateway the secrets it is given, in production', () => {
    const env = parseEnv(gatewayEnvSchema, effectiveEnv(services.gateway));
    expect(env.NODE_ENV).toBe('production');
    for (const name of REQUIRED_SECRETS) expect({ name, value: env[name] }).toEqual({ name, value: OPERATOR_SECRETS[name] });
  });

  // The gateway itself refuses what compose would pass through: short, repetitive or public values.
  it.each([['too short', 'too-short-but-16+'], ['repetitive', 'ab'.repeat(32)], ...PUBLIC_SECRETS.map((value) => ['public', value])])(
    'makes the gateway refuse a %s secret, naming it without echoing it',
    (_, value) => {
      for (const name of REQUIRED_SECRETS) {
        const overridden = loadCompose({ ...OPERATOR_SECRETS, [name]: value });
        let message = '';
        try {
          parseEnv(gatewayEnvSchema, effectiveEnv(overridden.services.gateway));
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toContain(`${name}: `);
        expect(message).not.toContain(value);
      }
    },
  );

  describe('kafka', () => {
    const kafka = services.kafka;
    const env = serviceEnv(kafka);

    it('runs the broker version the local scripts pin', () => {
      expect(kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    });

    it('is a single KRaft node with single-replica internals and no auto-created topics', () => {
      expect(env).toMatchObject({
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      });
      // kafka-storage.sh format only accepts a base64url-encoded 16-byte id.
      expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(env.CLUSTER_ID, 'base64url')).toHaveLength(16);
      const controller = listenerMap(env.KAFKA_LISTENERS).get(env.KAFKA_CONTROLLER_LISTENER_NAMES);
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@${kafka.hostname ?? 'kafka'}:${controller?.port}`);
    });

    it('binds every advertised listener and maps every published port to one', () => {
      const advertised = listenerMap(env.KAFKA_ADVERTISED_LISTENERS);
      const bound = listenerMap(env.KAFKA_LISTENERS);
      for (const name of advertised.keys()) expect(bound.has(name)).toBe(true);
      for (const name of bound.keys()) expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',')).toContain(`${name}:PLAINTEXT`);
      for (const { published, target } of portMappings(kafka)) {
        const [name] = [...bound].find(([, address]) => address.port === target) ?? [];
        expect(name).toBeDefined();
        // A host client bootstraps on the published port, then must be told that same address.
        expect(advertised.get(name!)).toEqual({ host: expect.stringMatching(/^(127\.0\.0\.1|localhost)$/), port: published });
      }
      // Overriding the host port keeps the published and advertised ports in step.
      const moved = loadCompose({ ...OPERATOR_SECRETS, KAFKA_HOST_PORT: '19092' }).services.kafka;
      const movedAdvertised = [...listenerMap(serviceEnv(moved).KAFKA_ADVERTISED_LISTENERS).values()].map(({ port }) => port);
      expect(portMappings(moved).map(({ published }) => published)).toEqual([19092]);
      expect(movedAdvertised).toContain(19092);
    });

    it('keeps its log on the named volume and checks itself on a bound listener', () => {
      expect(kafka.volumes).toContain(`kafka-data:${env.KAFKA_LOG_DIRS}`);
      expect(compose.volumes).toHaveProperty('kafka-data');
      const test = kafka.healthcheck?.test as string[];
      const bootstrap = test[test.indexOf('--bootstrap-server') + 1];
      const ports = [...listenerMap(env.KAFKA_LISTENERS).values()].map(({ port }) => port);
      expect(ports).toContain(Number(bootstrap.split(':')[1]));
    });
  });

  describe('postgres', () => {
    it('keeps its data on a named volume and is checked over TCP', () => {
      const postgres = services.postgres;
      const major = Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1]);
      expect(major).toBeGreaterThanOrEqual(16);
      // The image moved PGDATA under a versioned directory in 18.
      const dataDir = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
      expect(postgres.volumes).toContain(`postgres-data:${dataDir}`);
      expect(compose.volumes).toHaveProperty('postgres-data');
      expect((postgres.healthcheck?.test as string[]).join(' ')).toMatch(/pg_isready .*-h 127\.0\.0\.1/);
    });
  });
});

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const ignored = read('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('is multi-stage and its default target runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const last = stages[stages.length - 1];
    expect(last.user).not.toMatch(/^(root|0)?$/);
    expect(last.env.NODE_ENV).toBe('production');
  });

  it('builds every target compose asks for, each as a non-root user', () => {
    const targets = new Set(
      Object.values(loadCompose().services)
        .map((service) => (typeof service.build === 'object' ? service.build.target : undefined))
        .filter((target): target is string => Boolean(target)),
    );
    expect([...targets].sort()).toEqual(['runtime', 'tools']);
    for (const target of targets) {
      const stage = stages.find((candidate) => candidate.name === target);
      expect({ target, user: stage?.user }).toEqual({ target, user: 'node' });
    }
  });

  it('ships production dependencies only in the runtime image', () => {
    const runtime = stages.find((stage) => stage.name === 'runtime') as Stage;
    const runs = lineage(runtime)
      .filter(({ op }) => op === 'RUN')
      .map(({ args }) => args);
    expect(runs.some((run) => /\bnpm ci\b.*--omit[= ]dev/.test(run))).toBe(true);
    expect(runs.some((run) => /\bnpm ci\b/.test(run) && !/--omit[= ]dev/.test(run))).toBe(false);
    expect(lineage(runtime).some(({ op, args }) => op === 'COPY' && /--from=build\b.*\bdist\b/.test(args))).toBe(true);
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.local', '.git']));
    for (const stage of stages) {
      for (const { op, args } of stage.instructions) {
        if ((op !== 'COPY' && op !== 'ADD') || /--from=/.test(args)) continue;
        const sources = args
          .split(/\s+/)
          .filter((word) => !word.startsWith('--'))
          .slice(0, -1);
        for (const source of sources) {
          expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
          expect({ source, ignored: ignored.includes(source) }).toEqual({ source, ignored: false });
        }
      }
    }
  });
});
