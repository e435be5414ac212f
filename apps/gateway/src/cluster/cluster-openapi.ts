import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const PHASES = ['serving', 'recovering', 'fenced', 'failed', 'diverged', 'released', 'unassigned', 'unknown'];

const partitionSchema: SchemaObject = {
  type: 'object',
  properties: {
    partition: { type: 'integer' },
    owner: nullable({ type: 'string', description: 'instance id of the group member assigned the partition; null: unassigned' }),
    address: nullable({ type: 'string', description: 'host:port of its owner link' }),
    phase: {
      type: 'string',
      enum: PHASES,
      description: '`unassigned`: no member holds it; `unknown`: its owner did not answer (or DIRECT_COMMANDS=off) or has not taken it up yet',
    },
    replay: nullable({ type: 'object', properties: { done: { type: 'integer' }, total: { type: 'integer' } } }),
    lag: nullable({ type: 'integer', description: 'commands in the partition not yet committed' }),
    commitP99Ms: nullable({ type: 'number', description: 'over the last 1,000 commits' }),
    lastSnapshotOffset: nullable({ type: 'integer' }),
    lastOffset: nullable({ type: 'integer', description: 'offset of the last events record in memory' }),
  },
};

const processSchema: SchemaObject = {
  type: 'object',
  properties: {
    instanceId: { type: 'string' },
    service: { type: 'string' },
    address: nullable({ type: 'string' }),
    ready: nullable({ type: 'boolean', description: 'every owned partition serving; null: it did not answer' }),
    partitions: { type: 'array', items: { type: 'integer' } },
    standbys: nullable({ type: 'integer', description: 'partitions followed as warm standbys; null: it did not answer' }),
  },
};

/** GET /admin/cluster's answer (ClusterView), for the OpenAPI document. */
export const clusterViewSchema: SchemaObject = {
  type: 'object',
  properties: {
    services: {
      type: 'array',
      items: {
        type: 'object',
        properties: { service: { type: 'string', enum: ['inventory', 'zone'] }, partitions: { type: 'array', items: partitionSchema } },
      },
    },
    processes: { type: 'array', items: processSchema },
  },
};
