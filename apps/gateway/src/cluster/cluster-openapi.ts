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
    instanceId: { type: 'string', description: "INSTANCE_ID; a peer gateway's is the host:port of its URL" },
    service: { type: 'string', enum: ['gateway', 'inventory', 'zone', 'analytics'] },
    address: nullable({
      type: 'string',
      description: "an owner's owner-link host:port; a peer gateway's URL (GATEWAY_PEER_URLS); null for this gateway and analytics instances",
    }),
    ready: nullable({
      type: 'boolean',
      description:
        'an owner: every owned partition serving; a peer gateway: its GET /health/ready (500 ms); this gateway: no planned stop began; null: it did not answer, or an analytics instance (not asked)',
    }),
    partitions: { type: 'array', items: { type: 'integer' }, description: "an owner's partitions; empty for gateways and analytics" },
    standbys: nullable({ type: 'integer', description: 'partitions followed as warm standbys; null: it did not answer, or no owner' }),
    assigned: { type: 'integer', description: 'analytics only: partitions of the events topics its consumer group assigns it' },
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
