import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, kustomizeBuild, objectId, parseImage, strategicMerge } from '../support/kustomize';

/** The kustomize resolver the Kubernetes manifests test renders with (test/support/kustomize.ts). */

const DEPLOY = resolve(__dirname, '..', '..', 'deploy', 'kubernetes');

describe('kustomize resolver', () => {
  it('merges containers and env by name, replaces command, deletes with null', () => {
    const base = { spec: { containers: [{ name: 'a', command: ['x', 'y'], env: [{ name: 'K', value: '1' }], resources: { requests: { cpu: '1' } } }] } };
    const patch = { spec: { containers: [{ name: 'a', command: ['z'], env: [{ name: 'L', value: '2' }], resources: { requests: null } }, { name: 'b' }] } };
    expect(strategicMerge(base, patch, 'Pod')).toEqual({
      spec: {
        containers: [
          {
            name: 'a',
            command: ['z'],
            env: [
              { name: 'K', value: '1' },
              { name: 'L', value: '2' },
            ],
            resources: {},
          },
          { name: 'b' },
        ],
      },
    });
  });

  it('refuses what it does not support, naming it', () => {
    expect(() => strategicMerge({}, { spec: { $patch: 'replace' } }, 'Pod')).toThrow('$patch is not supported');
    expect(() => strategicMerge({}, { spec: { ports: [{ port: 80 }] } }, 'Service')).toThrow('Service.spec.ports: patching this list is not supported');
    const folder = mkdtempSync(join(tmpdir(), 'kustomize-'));
    try {
      writeFileSync(join(folder, 'kustomization.yaml'), 'resources: []\ncommonLabels: {a: b}\nnamePrefix: x-\n');
      expect(() => kustomizeBuild(folder)).toThrow('not supported here: commonLabels, namePrefix');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads image references with registries, ports, tags and digests', () => {
    expect(parseImage('hot-state-backend')).toEqual({ name: 'hot-state-backend', tag: undefined, digest: undefined });
    expect(parseImage('registry:5000/team/app:1.2.3')).toEqual({ name: 'registry:5000/team/app', tag: '1.2.3', digest: undefined });
    expect(parseImage('registry:5000/app@sha256:ab')).toEqual({ name: 'registry:5000/app', tag: undefined, digest: 'sha256:ab' });
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
// kubectl carries kustomize; where it is installed the resolver is held to it, elsewhere this says it was skipped.
(kubectl.status === 0 ? describe : describe.skip)('kustomize resolver against kubectl kustomize', () => {
  it.each(['base', 'overlays/local', 'overlays/production-example'])('renders %s as kubectl does', (folder) => {
    const output = spawnSync('kubectl', ['kustomize', join(DEPLOY, folder)], { encoding: 'utf8', timeout: 60_000 });
    if (output.status !== 0) throw new Error(`kubectl kustomize ${folder}: ${output.stderr || output.error?.message}`);
    const byId = (list: KubeObject[]) => Object.fromEntries(list.map((object) => [objectId(object), object]));
    const theirs = parseAllDocuments(output.stdout).map((document) => document.toJS() as KubeObject);
    expect(byId(kustomizeBuild(join(DEPLOY, folder)))).toEqual(byId(theirs));
  });
});
