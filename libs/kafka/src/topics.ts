/** Services that own partitioned state; each has a commands and an events topic of equal partition count. */
export const PARTITIONED_SERVICES = ['inventory', 'zone'] as const;
export type PartitionedService = (typeof PARTITIONED_SERVICES)[number];

export interface ServiceTopics {
  commands: string;
  events: string;
  changes: string;
}

/** The one naming rule for a service's topics; the engine's test aggregate uses it too. */
export const commandsTopicOf = (prefix: string, service: string) => `${prefix}${service}.commands`;
export const eventsTopicOf = (prefix: string, service: string) => `${prefix}${service}.events`;
export const changesTopicOf = (prefix: string, service: string) => `${prefix}${service}.changes`;
/** The consumer group every instance of a service joins on its commands topic: its assignment is the ownership. */
export const serviceGroupOf = (prefix: string, service: string) => `${prefix}${service}`;

export function serviceTopics(prefix: string, service: PartitionedService): ServiceTopics {
  return { commands: commandsTopicOf(prefix, service), events: eventsTopicOf(prefix, service), changes: changesTopicOf(prefix, service) };
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

export interface TopicPlan {
  prefix: string;
  partitions: number;
  replicationFactor: number;
  /** How long consumed commands (and change notifications) stay readable; events are kept forever. */
  commandRetentionMs: number;
}

const UNLIMITED = '-1';

/** Where gateways read the outcomes of the commands they send; each instance reads one partition of it. */
export const gatewayRepliesTopicOf = (prefix: string) => `${prefix}gateway.replies`;

/** Events are the truth: never expire them. Commands, changes and replies only need to outlive their processing. */
export function topicSpecs(plan: TopicPlan): TopicSpec[] {
  const base = { numPartitions: plan.partitions, replicationFactor: plan.replicationFactor };
  const expiring = (topic: string): TopicSpec => ({
    ...base,
    topic,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(plan.commandRetentionMs) },
    ],
  });
  return [
    ...PARTITIONED_SERVICES.flatMap((service) => {
      const names = serviceTopics(plan.prefix, service);
      return [
        expiring(names.commands),
        expiring(names.changes),
        {
          ...base,
          topic: names.events,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'retention.ms', value: UNLIMITED },
            { name: 'retention.bytes', value: UNLIMITED },
          ],
        },
      ];
    }),
    expiring(gatewayRepliesTopicOf(plan.prefix)),
  ];
}
