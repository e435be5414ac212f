import { KubeObject } from './kustomize';

/**
 * The environment Kubernetes gives a container: `envFrom` sources in order, then `env` entries (which win),
 * resolved against ConfigMaps and Secrets and the pod's own fields. Only what deploy/kubernetes uses is resolved;
 * anything else (variable references, resource fields, other pod fields) throws, naming it.
 */

export interface PodFacts {
  name: string;
  namespace: string;
  ip: string;
}

/** Where a variable's value came from: secrets must come from a Secret, never from a ConfigMap or a literal. */
export type EnvSource = 'ConfigMap' | 'Secret' | 'literal' | 'pod';

export interface ResolvedVariable {
  value: string;
  source: EnvSource;
}

/** The data of the ConfigMap or Secret of that name, or undefined when there is none. */
export type DataLookup = (kind: 'ConfigMap' | 'Secret', name: string) => Record<string, string> | undefined;

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}
interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; resourceFieldRef?: unknown };
}
export interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
}

/** The strings a ConfigMap or Secret hands out (a Secret's stringData over its base64 data, as the API server does). */
export function dataOf(object: KubeObject): Record<string, string> {
  if (object.kind === 'ConfigMap') {
    if (object.binaryData) throw new Error(`${object.metadata.name}: binaryData is not supported here`);
    return { ...(object.data as Record<string, string> | undefined) };
  }
  if (object.kind === 'Secret') {
    const encoded = Object.entries((object.data as Record<string, string> | undefined) ?? {});
    const decoded = Object.fromEntries(encoded.map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
    return { ...decoded, ...(object.stringData as Record<string, string> | undefined) };
  }
  throw new Error(`${object.kind} holds no environment data`);
}

/** Looks ConfigMaps and Secrets up among rendered objects first, then in `given` (e.g. a Secret an operator creates). */
export function lookupIn(objects: KubeObject[], given: Partial<Record<'ConfigMap' | 'Secret', Record<string, Record<string, string>>>> = {}): DataLookup {
  return (kind, name) => {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    return found ? dataOf(found) : given[kind]?.[name];
  };
}

export function containerEnv(container: Container, pod: PodFacts, lookup: DataLookup): Record<string, ResolvedVariable> {
  const env: Record<string, ResolvedVariable> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    if (!ref) throw new Error(`${container.name}: an envFrom entry without configMapRef or secretRef`);
    const data = lookup(kind, ref.name);
    if (!data && !ref.optional) throw new Error(`${container.name}: ${kind} ${ref.name} does not exist`);
    for (const [key, value] of Object.entries(data ?? {})) env[`${source.prefix ?? ''}${key}`] = { value, source: kind };
  }
  for (const variable of container.env ?? []) {
    const resolved = resolveVariable(container.name, variable, pod, lookup);
    if (resolved) env[variable.name] = resolved;
  }
  return env;
}

/** Only the values, as the process sees them. */
export const valuesOf = (env: Record<string, ResolvedVariable>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).map(([name, { value }]) => [name, value]));

function resolveVariable(container: string, variable: EnvVar, pod: PodFacts, lookup: DataLookup): ResolvedVariable | undefined {
  const where = `${container}: ${variable.name}`;
  if (variable.value !== undefined) {
    if (variable.value.includes('$(')) throw new Error(`${where}: variable references are not supported here`);
    return { value: variable.value, source: 'literal' };
  }
  const from = variable.valueFrom;
  if (from?.fieldRef) {
    const fields: Record<string, string> = { 'metadata.name': pod.name, 'metadata.namespace': pod.namespace, 'status.podIP': pod.ip };
    const value = fields[from.fieldRef.fieldPath];
    if (value === undefined) throw new Error(`${where}: field ${from.fieldRef.fieldPath} is not supported here`);
    return { value, source: 'pod' };
  }
  const keyRef = from?.configMapKeyRef ?? from?.secretKeyRef;
  if (!keyRef) throw new Error(`${where}: neither a value nor a supported valueFrom`);
  const kind = from?.configMapKeyRef ? 'ConfigMap' : 'Secret';
  const value = lookup(kind, keyRef.name)?.[keyRef.key];
  if (value === undefined && !keyRef.optional) throw new Error(`${where}: ${kind} ${keyRef.name} has no key ${keyRef.key}`);
  return value === undefined ? undefined : { value, source: kind };
}
