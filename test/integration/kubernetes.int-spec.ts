import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  analyticsEnvSchema,
  commonEnvSchema,
  engineEnvSchema,
  gatewayEnvSchema,
  parseEnv,
  PUBLIC_SECRETS,
  toGatewayConfig,
  topicsEnvSchema,
  zoneEnvSchema,
} from '@app/config';
import { Container, containerEnv, dataOf, lookupIn, PodFacts, ResolvedVariable, valuesOf } from '../support/kubernetes-env';
import { KubeObject, kustomizeBuild, parseImage, podSpecOf, readManifests } from '../support/kustomize';
import { validateAgainstApi } from '../support/kubernetes-schema';
import { mebibytes, preStopSeconds, selectedWorkloads } from '../support/kubernetes-workloads';
import { knownKeys } from '../support/schema-keys';

/**
 * Static checks of deploy/kubernetes, as compose.int-spec.ts does for docker-compose.yml: every overlay is rendered
 * the way `kubectl apply -k` would (test/support/kustomize.ts, held to `kubectl kustomize` in kustomize.int-spec.ts),
 * every object is checked against the Kubernetes API schema (test/support/kubernetes-schema.ts), and what each
 * container would see is parsed by the schema its process parses at start. No cluster is needed.
 */

const ROOT = resolve(__dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy', 'kubernetes');
const OVERLAYS = ['local', 'production-example'] as const;
const SECRET_NAME = 'hot-state-secrets';
/** Variables whose values are credentials (those load-config never echoes): only a Secret may hold them. */
const SECRET_LIKE = /TOKEN|SECRET|PASSWORD|DATABASE_URL/;
const GATEWAY_SECRETS = ['ADMIN_TOKEN', 'JWT_SECRET', 'PLAYER_ID_SECRET'] as const;

/** What gateways and owners read from the Secret: the owner link's secret too. */
const LINKED_CREDENTIALS = ['DATABASE_URL', 'DIRECT_SECRET'] as const;
/**
 * role: a gateway serves clients behind a Service; an owner hosts partitions and listens on the owner link; a projection
 * only reads the events topics in its own group (no Service, no owner link). credentials: the Secret keys it must read.
 */
const APPS = {
  gateway: { kind: 'Deployment', schema: gatewayEnvSchema as z.ZodType, compose: 'gateway', role: 'gateway', credentials: LINKED_CREDENTIALS },
  inventory: { kind: 'StatefulSet', schema: engineEnvSchema as z.ZodType, compose: 'inventory-1', role: 'owner', credentials: LINKED_CREDENTIALS },
  zone: { kind: 'StatefulSet', schema: zoneEnvSchema as z.ZodType, compose: 'zone-1', role: 'owner', credentials: LINKED_CREDENTIALS },
  analytics: { kind: 'Deployment', schema: analyticsEnvSchema as z.ZodType, compose: 'analytics', role: 'projection', credentials: ['DATABASE_URL'] },
} as const;
const JOBS = {
  migrate: { schema: commonEnvSchema as z.ZodType, compose: 'migrate' },
  'provision-topics': { schema: topicsEnvSchema as z.ZodType, compose: 'provision-topics' },
} as const;
type Process = keyof typeof APPS | keyof typeof JOBS;
const PROCESSES = [...Object.keys(APPS), ...Object.keys(JOBS)] as Process[];
const schemaOf = (name: Process): z.ZodType => (name in APPS ? APPS[name as keyof typeof APPS] : JOBS[name as keyof typeof JOBS]).schema;

// ---------------------------------------------------------------- what the other deployment files say

interface ComposeService {
  image: string;
  command: string[];
  stop_grace_period?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

/** The planned stop compose gives every app (`stop_grace_period`): what a drain needs, in seconds. */
function composeDrainSeconds(): number {
  const grace = compose.services.gateway.stop_grace_period ?? '';
  if (!/^\d+s$/.test(grace)) throw new Error(`stop_grace_period ${grace}: expected whole seconds, e.g. 45s`);
  return Number(grace.slice(0, -1));
}

/** The keys of the Secret template every deployment creates, and an operator's random values for them. */
const secretTemplate = readManifests(join(DEPLOY, 'base', 'secret.example.yaml'));
const templateData = dataOf(secretTemplate[0]);
const operatorSecret = Object.fromEntries(
  Object.keys(templateData).map((key) => [
    key,
    key === 'DATABASE_URL' ? `postgres://hotstate:${randomBytes(16).toString('hex')}@postgres.example.internal:5432/hotstate` : randomBytes(32).toString('hex'),
  ]),
);

// ---------------------------------------------------------------- reading rendered objects

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Rendered {
  objects: KubeObject[];
  find(kind: string, name: string): Node;
  /** The single container of a workload's pods, and what it sees. */
  container(name: Process): { container: Node; pod: Node; env: Record<string, ResolvedVariable> };
}

function render(overlay: string): Rendered {
  const objects = kustomizeBuild(join(DEPLOY, 'overlays', overlay));
  const lookup = lookupIn(objects, { Secret: { [SECRET_NAME]: operatorSecret } });
  const find = (kind: string, name: string): Node => {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!found) throw new Error(`${overlay}: no ${kind} ${name}`);
    return found;
  };
  const container = (name: Process) => {
    const workload = find(name in APPS ? APPS[name as keyof typeof APPS].kind : 'Job', name);
    const pod = podSpecOf(workload as KubeObject) as Node;
    const names = pod.containers.map((each: Container) => each.name);
    if (names.join() !== name) throw new Error(`${overlay}: ${name} runs ${names.join(', ')}, expected one container named ${name}`);
    const podName = workload.kind === 'StatefulSet' ? `${name}-0` : workload.kind === 'Deployment' ? `${name}-5d8f7c9b4-x2k4q` : `${name}-q7xkz`;
    const facts: PodFacts = { name: podName, namespace: workload.metadata.namespace ?? 'default', ip: '10.244.1.7' };
    return { container: pod.containers[0], pod, env: containerEnv(pod.containers[0], facts, lookup) };
  };
  return { objects, find, container };
}

// ---------------------------------------------------------------- checks

describe('Kubernetes base', () => {
  const base = join(DEPLOY, 'base');

  it('lists every manifest of its folder as a resource, except the Secret template', () => {
    const listed = (parse(readFileSync(join(base, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
    const files = readdirSync(base).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...listed, 'secret.example.yaml'].sort()).toEqual(files.sort());
    expect(kustomizeBuild(base).filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  it('has a Secret template with exactly the keys the pods read', () => {
    expect(secretTemplate.map((object) => [object.kind, object.metadata.name])).toEqual([['Secret', SECRET_NAME]]);
    validateAgainstApi(secretTemplate[0]);
    const read = new Set<string>();
    for (const object of kustomizeBuild(base)) {
      for (const container of (podSpecOf(object)?.containers ?? []) as Container[]) {
        for (const { valueFrom } of container.env ?? []) if (valueFrom?.secretKeyRef?.name === SECRET_NAME) read.add(valueFrom.secretKeyRef.key);
        expect((container.envFrom ?? []).filter((source) => source.secretRef)).toEqual([]);
      }
    }
    expect(Object.keys(templateData).sort()).toEqual([...read].sort());
  });

  it('has placeholders every process refuses at start, naming the variable', () => {
    const problems = (schema: z.ZodType, env: Record<string, string>) => {
      try {
        parseEnv(schema, env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const gateway = problems(gatewayEnvSchema, { NODE_ENV: 'development', ...templateData });
    for (const name of Object.keys(templateData)) expect(gateway).toContain(`${name}: `);
    expect(problems(engineEnvSchema, { DATABASE_URL: templateData.DATABASE_URL, DIRECT_SECRET: templateData.DIRECT_SECRET })).toMatch(
      /DATABASE_URL: [^]*DIRECT_SECRET: /,
    );
    expect(problems(analyticsEnvSchema, { DATABASE_URL: templateData.DATABASE_URL })).toContain('DATABASE_URL: ');
  });
});

describe.each(OVERLAYS)('Kubernetes overlay %s', (overlay) => {
  const rendered = render(overlay);
  const { objects, find } = rendered;

  it('passes the Kubernetes API schema, object by object', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(() => validateAgainstApi(object)).not.toThrow();
  });

  it('runs gateway and analytics as Deployments, inventory and zone as StatefulSets with headless Services, and both jobs', () => {
    const workloads = objects.filter((object) => podSpecOf(object)).map((object) => `${object.kind} ${object.metadata.name}`);
    expect(workloads.sort()).toEqual([
      'Deployment analytics',
      'Deployment gateway',
      'Job migrate',
      'Job provision-topics',
      'StatefulSet inventory',
      'StatefulSet zone',
    ]);
    for (const name of ['inventory', 'zone']) {
      const service = find('Service', find('StatefulSet', name).spec.serviceName);
      expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
      expect(selectedWorkloads(objects, service.spec.selector)).toEqual([name]);
    }
    expect(selectedWorkloads(objects, find('Service', 'gateway').spec.selector)).toEqual(['gateway']);
  });

  it('gives every workload a selector that matches its own pods only', () => {
    for (const object of objects.filter((each) => each.kind === 'Deployment' || each.kind === 'StatefulSet')) {
      expect(selectedWorkloads(objects, (object.spec as Node).selector.matchLabels)).toEqual([object.metadata.name]);
    }
  });

  describe.each(Object.keys(APPS) as (keyof typeof APPS)[])('app %s', (name) => {
    const { container, pod, env } = rendered.container(name);
    const values = valuesOf(env);
    const ports = Object.fromEntries((container.ports ?? []).map((port: Node) => [port.name, port.containerPort]));

    it('runs the compose command of its app, from the image compose builds for the apps', () => {
      const service = compose.services[APPS[name].compose];
      expect(container.command).toEqual(service.command);
      const image = parseImage(container.image);
      expect(image.name.split('/').pop()).toBe(parseImage(service.image).name);
      expect(image.tag ?? image.digest).toBeDefined();
      expect(image.tag).not.toBe('latest');
    });

    it('passes the schema its process parses at start, and sets nothing it does not read', () => {
      expect(() => parseEnv(APPS[name].schema, values)).not.toThrow();
      const known = new Set(knownKeys(APPS[name].schema));
      expect(Object.keys(values).filter((key) => !known.has(key))).toEqual([]);
      // Without this Kubernetes adds <SERVICE>_PORT, ... for every Service: the environment would not be the one checked here.
      expect(pod.enableServiceLinks).toBe(false);
    });

    it('takes every credential from the Secret', () => {
      const credentials = Object.entries(env).filter(([key]) => SECRET_LIKE.test(key));
      expect(credentials.map(([key]) => key)).toEqual(expect.arrayContaining([...APPS[name].credentials]));
      for (const [key, { source }] of credentials) expect({ key, source }).toEqual({ key, source: 'Secret' });
    });

    it('is named after its pod', () => {
      expect(env.INSTANCE_ID).toEqual({ value: expect.stringMatching(new RegExp(`^${name}-`)), source: 'pod' });
    });

    it('listens on its http port and is probed there on the health endpoints', () => {
      const port = Number(values.PORT);
      expect(ports.http).toBe(port);
      const probePort = (probe: Node) => (typeof probe.httpGet.port === 'string' ? ports[probe.httpGet.port] : probe.httpGet.port);
      for (const [probe, path] of [
        ['startupProbe', '/health/live'],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ] as const) {
        expect({ probe, path: container[probe]?.httpGet?.path, port: probePort(container[probe]) }).toEqual({ probe, path, port });
      }
    });

    it('has time for the drain compose allows between SIGTERM and SIGKILL, after its preStop', () => {
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      expect(grace).toBeGreaterThanOrEqual(preStopSeconds(container) + composeDrainSeconds());
      if (APPS[name].role !== 'gateway') return;
      // Behind a Service, endpoints must drop the pod before it stops taking connections; then its clients get time to move.
      expect(preStopSeconds(container)).toBeGreaterThanOrEqual(5);
      const { drain } = toGatewayConfig(parseEnv(gatewayEnvSchema, values));
      expect(grace).toBeGreaterThanOrEqual(preStopSeconds(container) + drain.timeoutMs / 1000);
    });

    it('asks for CPU and memory, within its memory limit', () => {
      const { requests, limits } = container.resources ?? {};
      expect(requests?.cpu).toBeDefined();
      expect(mebibytes(requests.memory)).toBeLessThanOrEqual(limits?.memory ? mebibytes(limits.memory) : Infinity);
    });

    it('has one disruption budget that lets nodes drain', () => {
      const budgets = objects.filter(
        (object) => object.kind === 'PodDisruptionBudget' && selectedWorkloads(objects, (object.spec as Node).selector.matchLabels).includes(name),
      );
      expect(budgets).toHaveLength(1);
      const spec = budgets[0].spec as Node;
      const replicas = find(APPS[name].kind, name).spec.replicas ?? 1;
      if (spec.minAvailable !== undefined) expect(spec.minAvailable).toBeLessThan(replicas);
      else expect(spec.maxUnavailable).toBeGreaterThanOrEqual(1);
    });

    if (APPS[name].role === 'projection') {
      it('hosts no partitions: no owner link, no Service, and nothing but its probes listens', () => {
        expect(Object.keys(ports)).toEqual(['http']);
        expect(Object.keys(values).filter((key) => key.startsWith('DIRECT_'))).toEqual([]);
        const services = objects.filter((object) => object.kind === 'Service' && selectedWorkloads(objects, (object.spec as Node).selector).includes(name));
        expect(services).toEqual([]);
        expect(preStopSeconds(container)).toBe(0);
      });
    }

    if (APPS[name].role === 'owner') {
      it('listens for gateways on its direct port and advertises its pod IP with the shared secret', () => {
        const parsed = parseEnv(engineEnvSchema, values);
        expect(parsed.DIRECT_COMMANDS).toBe('on');
        expect(parsed.DIRECT_HOST).toBe('0.0.0.0');
        expect(ports.direct).toBe(parsed.DIRECT_PORT);
        expect(env.DIRECT_ADVERTISED_HOST).toEqual({ value: '10.244.1.7', source: 'pod' });
        expect(parsed.DIRECT_SECRET).toBe(valuesOf(rendered.container('gateway').env).DIRECT_SECRET);
      });
    }
  });

  describe.each(Object.keys(JOBS) as (keyof typeof JOBS)[])('job %s', (name) => {
    const { container, pod, env } = rendered.container(name);
    const values = valuesOf(env);

    it('runs the compose command of its job, once, from the image compose builds for the tools', () => {
      const service = compose.services[JOBS[name].compose];
      expect(container.command).toEqual(service.command);
      expect(parseImage(container.image).name.split('/').pop()).toBe(parseImage(service.image).name);
      expect(['OnFailure', 'Never']).toContain(pod.restartPolicy);
    });

    it('passes the schema its process parses, sets nothing it does not read and takes credentials from the Secret', () => {
      expect(() => parseEnv(JOBS[name].schema, values)).not.toThrow();
      const known = new Set(knownKeys(JOBS[name].schema));
      expect(Object.keys(values).filter((key) => !known.has(key))).toEqual([]);
      for (const [key, { source }] of Object.entries(env).filter(([key]) => SECRET_LIKE.test(key))) expect({ key, source }).toEqual({ key, source: 'Secret' });
      expect(pod.enableServiceLinks).toBe(false);
    });
  });

  it('gives every process the same brokers, topic prefix and NODE_ENV', () => {
    const shared = PROCESSES.map((name) => {
      const env = parseEnv(schemaOf(name), valuesOf(rendered.container(name).env)) as { KAFKA_BROKERS: string[]; TOPIC_PREFIX: string; NODE_ENV: string };
      return { brokers: env.KAFKA_BROKERS, prefix: env.TOPIC_PREFIX, nodeEnv: env.NODE_ENV };
    });
    for (const each of shared) expect(each).toEqual(shared[0]);
  });

  it('keeps gateways and owners in step: direct path, changes published for gateways that read them, zone dedupe limits', () => {
    const gateway = parseEnv(gatewayEnvSchema, valuesOf(rendered.container('gateway').env));
    for (const name of ['inventory', 'zone'] as const) {
      const owner = parseEnv(APPS[name].schema, valuesOf(rendered.container(name).env)) as z.output<typeof engineEnvSchema>;
      expect(owner.DIRECT_COMMANDS).toBe(gateway.DIRECT_COMMANDS);
      if (owner.PUBLISH_CHANGES === 'off') expect(gateway.DIRECT_COMMANDS).toBe('on');
      if (name === 'zone')
        expect([owner.ENGINE_DEDUPE_CAPACITY, owner.ENGINE_RETRY_HORIZON_MS]).toEqual([gateway.ENGINE_DEDUPE_CAPACITY, gateway.ENGINE_RETRY_HORIZON_MS]);
    }
  });

  it('runs no more owners of a service than it has partitions, nor more analytics instances than the events topics have', () => {
    const { KAFKA_PARTITIONS } = parseEnv(topicsEnvSchema, valuesOf(rendered.container('provision-topics').env));
    for (const name of ['inventory', 'zone']) expect(find('StatefulSet', name).spec.replicas).toBeLessThanOrEqual(KAFKA_PARTITIONS);
    // The analytics group reads both events topics (inventory's and zone's): a member beyond their partitions idles.
    expect(find('Deployment', 'analytics').spec.replicas ?? 1).toBeLessThanOrEqual(2 * KAFKA_PARTITIONS);
  });
});

describe('Kubernetes overlay local', () => {
  const rendered = render('local');
  const gateway = valuesOf(rendered.container('gateway').env);

  it('runs the images docker-compose.yml builds, outside production, the gateway on its development secrets', () => {
    for (const name of PROCESSES) {
      const { container, env } = rendered.container(name);
      expect(container.image).toBe(compose.services[name in APPS ? APPS[name as keyof typeof APPS].compose : name].image);
      expect(env.NODE_ENV.value).not.toBe('production');
    }
    expect(toGatewayConfig(parseEnv(gatewayEnvSchema, gateway)).auth.usingDevSecrets).toBe(true);
  });

  it('cannot be taken to production by switching NODE_ENV: the gateway refuses to start', () => {
    expect(() => parseEnv(gatewayEnvSchema, { ...gateway, NODE_ENV: 'production' })).toThrow(
      new RegExp(GATEWAY_SECRETS.map((name) => `${name}: `).join('[^]*')),
    );
  });
});

describe('Kubernetes overlay production-example', () => {
  const rendered = render('production-example');
  const topics = parseEnv(topicsEnvSchema, valuesOf(rendered.container('provision-topics').env));

  it('runs in production with a Secret that is not in git', () => {
    for (const name of PROCESSES) expect(rendered.container(name).env.NODE_ENV.value).toBe('production');
    const secrets = rendered.objects.filter((object) => object.kind === 'Secret');
    expect(secrets).toEqual([]);
    const shipped = [...secrets, ...secretTemplate].flatMap((secret) => Object.values(dataOf(secret)));
    expect(shipped.filter((value) => PUBLIC_SECRETS.some((known) => value.toLowerCase().includes(known)))).toEqual([]);
  });

  it.each(PUBLIC_SECRETS)('makes the gateway refuse the public value %s put in the Secret', (value) => {
    const gateway = valuesOf(rendered.container('gateway').env);
    for (const name of GATEWAY_SECRETS) expect(() => parseEnv(gatewayEnvSchema, { ...gateway, [name]: value })).toThrow(`${name}: `);
  });

  it('keeps three replicas of every topic on three or more brokers, and runs at least two of each app', () => {
    expect(new Set(topics.KAFKA_BROKERS).size).toBeGreaterThanOrEqual(3);
    expect(topics.KAFKA_REPLICATION_FACTOR).toBe(3);
    for (const [name, { kind }] of Object.entries(APPS)) expect(rendered.find(kind, name).spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('pulls versioned images from a registry', () => {
    for (const name of PROCESSES) {
      const image = parseImage(rendered.container(name).container.image);
      expect(image.name).toContain('/');
      expect(image.tag).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

describe('the Kubernetes schema check', () => {
  it('refuses a wrong type and a missing required field', () => {
    const deployment = structuredClone(render('local').find('Deployment', 'gateway')) as KubeObject & Node;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '3000';
    expect(() => validateAgainstApi(deployment)).toThrow('containerPort must be integer');
    delete deployment.spec.selector;
    expect(() => validateAgainstApi(deployment)).toThrow('selector');
    expect(() => validateAgainstApi({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toThrow('not a kind this test knows');
  });
});
