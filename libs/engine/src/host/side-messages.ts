import { Reply } from '../partition/decide-batch';
import { UnsentOutbox } from '../partition/partition-state';
import { CommandEnvelope, ReplyRecord } from '../partition/records';
import { SideMessage } from '../ports/event-stream';

/** Replies as sent: keyed by commandId, to the reply partition each command named. */
export function replyMessages(replies: Reply[]): SideMessage[] {
  return replies.map(({ to, commandId, outcome }) => ({
    topic: to.topic,
    partition: to.partition,
    key: commandId,
    value: JSON.stringify({ commandId, outcome } satisfies ReplyRecord),
  }));
}

/**
 * Outbox commands as sent by partition `source`: each stamped with its origin (record offset, index),
 * so the receiver applies it once however often it comes.
 */
export function outboxMessages(source: string, unsent: readonly UnsentOutbox[], commandsTopic: (service?: string) => string): SideMessage[] {
  return unsent.flatMap(({ offset, outbox }) =>
    outbox.map(({ service, ...command }, index) => ({
      topic: commandsTopic(service),
      key: command.aggregateId,
      value: JSON.stringify({ ...command, origin: { source, offset, index } } satisfies CommandEnvelope),
    })),
  );
}
