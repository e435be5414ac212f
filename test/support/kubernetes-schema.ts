import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { KubeObject } from './kustomize';

/**
 * The Kubernetes API schema for the groups deploy/kubernetes uses: kubernetes-models compiles the official OpenAPI
 * definitions into validators (types, required fields, enums, formats). Like the OpenAPI definitions themselves it
 * lets unknown fields through; the API server refuses those on apply.
 */
type ApiModel = { new (data: unknown): { validate(): void }; kind: string };
const API_MODELS: Record<string, Record<string, unknown>> = { v1: core, 'apps/v1': apps, 'batch/v1': batch, 'policy/v1': policy };

/** Throws with every violation (`data/spec/...: must be integer`), or for a kind outside the groups above. */
export function validateAgainstApi(object: KubeObject): void {
  const model = API_MODELS[object.apiVersion]?.[object.kind] as ApiModel | undefined;
  if (!model || model.kind !== object.kind) throw new Error(`${object.apiVersion} ${object.kind}: not a kind this test knows`);
  new model(object).validate();
}
