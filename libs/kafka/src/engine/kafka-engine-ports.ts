import { Admin, Kafka } from 'kafkajs';
import { changesTopicOf, commandsTopicOf, eventsTopicOf, serviceGroupOf } from '../topics';
import { CrashWatch, CrashWatchOptions } from '../owners/crash-watch';
import { groupEvictor } from '../owners/group-evictor';
import { KafkaCommandFeed, KafkaCommandFeedOptions } from './kafka-command-feed';
import { KafkaEventStream } from './kafka-event-stream';

export interface KafkaEnginePortsOptions {
  kafka: Kafka;
  admin: Admin;
  topicPrefix: string;
  service: string;
  /** Defaults to `<prefix><service>`: every instance of a service shares one group. */
  groupId?: string;
  sessionTimeoutMs?: KafkaCommandFeedOptions['sessionTimeoutMs'];
  advertise?: KafkaCommandFeedOptions['advertise'];
}

/** The Kafka side of one service's engine: its consumer group feed and its events stream. */
export function kafkaEnginePorts({ kafka, admin, topicPrefix, service, groupId, sessionTimeoutMs, advertise }: KafkaEnginePortsOptions) {
  const commandsTopic = commandsTopicOf(topicPrefix, service);
  const group = groupId ?? serviceGroupOf(topicPrefix, service);
  return {
    feed: new KafkaCommandFeed({ kafka, commandsTopic, groupId: group, sessionTimeoutMs, advertise }),
    stream: new KafkaEventStream({ kafka, admin, eventsTopic: eventsTopicOf(topicPrefix, service) }),
    commandsTopic: (target: string) => commandsTopicOf(topicPrefix, target),
    changesTopic: (target: string) => changesTopicOf(topicPrefix, target),
    /** Takes crashed members out of the group at once; members that advertise no address are left to their session timeout. */
    crashWatch: (log: CrashWatchOptions['log']) =>
      advertise ? new CrashWatch({ admin, groupId: group, self: advertise, evictor: groupEvictor(kafka), log }) : undefined,
  };
}
