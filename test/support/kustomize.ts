import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * `kustomize build` for the features deploy/kubernetes uses, so tests can render the overlays where no kustomize
 * binary is installed: resources (files and folders), namespace, images, replicas and strategic-merge patches
 * (by file or inline, targeting the object they name). Anything else throws, naming what is not supported: a
 * manifest that uses more must extend this first, so that what the tests check is what kustomize would apply.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

type Node = Record<string, unknown>;

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Lists merged item by item in a strategic merge patch, by the key Kubernetes declares for them. */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath' };
/** Lists Kubernetes declares atomic: a patch replaces them whole. */
const REPLACED_LISTS = new Set(['command', 'args']);

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

export const objectId = (object: KubeObject): string => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

function readDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
      return document.toJS() as unknown;
    })
    .filter((document) => document !== null);
}

/** Every object of one YAML file (empty documents skipped); a document that is not a Kubernetes object throws. */
export function readManifests(file: string): KubeObject[] {
  return readDocuments(file).map((object) => {
    if (!isNode(object) || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string' || !isNode(object.metadata)) {
      throw new Error(`${file}: a document without apiVersion, kind and metadata`);
    }
    return object as KubeObject;
  });
}

/** The objects `kustomize build <folder>` prints (order aside). */
export function kustomizeBuild(folder: string): KubeObject[] {
  const file = join(folder, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${folder}: no kustomization.yaml`);
  const [kustomization, ...extra] = readDocuments(file);
  if (!isNode(kustomization) || extra.length) throw new Error(`${file}: expected one mapping`);
  if ((kustomization.kind ?? 'Kustomization') !== 'Kustomization') throw new Error(`${file}: kind ${String(kustomization.kind)} is not supported here`);
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length) throw new Error(`${file}: not supported here: ${unsupported.join(', ')}`);

  let objects = listOf<string>(kustomization.resources, 'resources').flatMap((entry) => loadResource(folder, entry));
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(objectId(object))) throw new Error(`${file}: ${objectId(object)} is defined twice`);
    seen.add(objectId(object));
  }
  for (const patch of listOf<Node>(kustomization.patches, 'patches')) objects = applyPatch(objects, patchObjects(folder, patch));
  if (kustomization.namespace !== undefined) objects = objects.map((object) => inNamespace(object, String(kustomization.namespace)));
  for (const image of listOf<Node>(kustomization.images, 'images')) objects = objects.map((object) => withImage(object, image));
  for (const entry of listOf<Node>(kustomization.replicas, 'replicas')) objects = withReplicas(objects, entry);
  return objects;
}

function listOf<T>(value: unknown, field: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${field}: expected a list`);
  return value as T[];
}

function loadResource(folder: string, entry: string): KubeObject[] {
  if (/^[a-z]+:\/\//i.test(entry)) throw new Error(`remote resource ${entry} is not supported here`);
  const path = resolve(folder, entry);
  return statSync(path).isDirectory() ? kustomizeBuild(path) : readManifests(path);
}

function patchObjects(folder: string, entry: Node): KubeObject[] {
  const unsupported = Object.keys(entry).filter((field) => field !== 'path' && field !== 'patch');
  if (unsupported.length) throw new Error(`patch fields not supported here: ${unsupported.join(', ')} (name the target inside the patch)`);
  if (typeof entry.path === 'string') return readManifests(resolve(folder, entry.path));
  if (typeof entry.patch !== 'string') throw new Error('a patch needs path or patch');
  const inline = parseAllDocuments(entry.patch).map((document) => document.toJS() as unknown);
  if (inline.some((patch) => !isNode(patch))) throw new Error('JSON 6902 patches are not supported here');
  return inline as KubeObject[];
}

function applyPatch(objects: KubeObject[], patches: KubeObject[]): KubeObject[] {
  for (const patch of patches) {
    const matches = objects.filter(
      (object) =>
        object.kind === patch.kind &&
        object.apiVersion === patch.apiVersion &&
        object.metadata.name === patch.metadata.name &&
        (patch.metadata.namespace === undefined || object.metadata.namespace === patch.metadata.namespace),
    );
    if (matches.length !== 1) throw new Error(`patch ${objectId(patch)} matches ${matches.length} objects, expected 1`);
    objects = objects.map((object) => (object === matches[0] ? (strategicMerge(object, patch, object.kind) as KubeObject) : object));
  }
  return objects;
}

/** Maps merge key by key (null deletes), listed lists merge by their key, scalars and atomic lists are replaced. */
export function strategicMerge(base: unknown, patch: unknown, path: string): unknown {
  if (Array.isArray(patch)) return mergeList(Array.isArray(base) ? base : [], patch, path);
  if (!isNode(patch)) return patch;
  const merged: Node = isNode(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`${path}: patch directive ${key} is not supported here`);
    if (value === null) delete merged[key];
    else merged[key] = strategicMerge(merged[key], value, `${path}.${key}`);
  }
  return merged;
}

function mergeList(base: unknown[], patch: unknown[], path: string): unknown[] {
  const field = path.slice(path.lastIndexOf('.') + 1);
  if (REPLACED_LISTS.has(field)) return patch;
  const key = MERGE_KEYS[field];
  if (!key) throw new Error(`${path}: patching this list is not supported here`);
  const merged = [...base];
  for (const item of patch) {
    if (!isNode(item) || item[key] === undefined) throw new Error(`${path}: every item needs ${key}`);
    const at = merged.findIndex((existing) => isNode(existing) && existing[key] === item[key]);
    if (at < 0) merged.push(item);
    else merged[at] = strategicMerge(merged[at], item, `${path}[${String(item[key])}]`);
  }
  return merged;
}

function inNamespace(object: KubeObject, namespace: string): KubeObject {
  if (CLUSTER_SCOPED.has(object.kind)) throw new Error(`${objectId(object)}: cluster-scoped objects are not supported here`);
  return { ...object, metadata: { ...object.metadata, namespace } };
}

/** The pod spec of a workload or a pod, where kustomize's image transformer looks. */
export function podSpecOf(object: KubeObject): Node | undefined {
  if (object.kind === 'Pod') return object.spec as Node;
  const template = isNode(object.spec) && isNode(object.spec.template) ? object.spec.template : undefined;
  return template && isNode(template.spec) ? template.spec : undefined;
}

/** `registry/name:tag@digest` -> its parts; a port in the registry is not taken for a tag. */
export function parseImage(reference: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = reference.split('@');
  const colon = withTag.lastIndexOf(':');
  const hasTag = colon > withTag.lastIndexOf('/');
  return { name: hasTag ? withTag.slice(0, colon) : withTag, tag: hasTag ? withTag.slice(colon + 1) : undefined, digest };
}

function withImage(object: KubeObject, image: Node): KubeObject {
  const unsupported = Object.keys(image).filter((field) => !['name', 'newName', 'newTag', 'digest'].includes(field));
  if (unsupported.length) throw new Error(`image fields not supported here: ${unsupported.join(', ')}`);
  const copy = structuredClone(object);
  const spec = podSpecOf(copy);
  for (const container of [spec?.containers, spec?.initContainers].flatMap((list) => (Array.isArray(list) ? (list as Node[]) : []))) {
    const current = parseImage(String(container.image));
    if (current.name !== image.name) continue;
    const name = (image.newName as string | undefined) ?? current.name;
    const tag = image.digest === undefined ? ((image.newTag as string | undefined) ?? current.tag) : undefined;
    const digest = (image.digest as string | undefined) ?? (image.newTag === undefined ? current.digest : undefined);
    container.image = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  }
  return copy;
}

function withReplicas(objects: KubeObject[], entry: Node): KubeObject[] {
  const targets = objects.filter((object) => SCALABLE.has(object.kind) && object.metadata.name === entry.name);
  if (!targets.length) throw new Error(`replicas: nothing scalable is named ${String(entry.name)}`);
  if (!Number.isInteger(entry.count)) throw new Error(`replicas: the count of ${String(entry.name)} is not a whole number`);
  return objects.map((object) =>
    targets.includes(object) ? ({ ...object, spec: { ...(object.spec as Node), replicas: entry.count } } as KubeObject) : object,
  );
}
