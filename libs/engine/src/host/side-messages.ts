import { Reply } from '../partition/decide-batch';
import { UnsentOutbox } from '../partition/partition-state';
import { CommandEnvelope, LogRecord, ReplyRecord } from '../partition/records';
import { SideMessage } from '../ports/event-stream';

/** The views of the aggregates `records` changed, as they are now (after the batch), keyed by aggregateId. */
export function changeMessages(topic: string, records: LogRecord[], viewOf: (aggregateId: string) => unknown): SideMessage[] {
  const changed = new Set<string>();
  for (const record of records) if (record.type === 'outcome' && record.events.length > 0) changed.add(record.aggregateId);
  return [...changed].map((aggregateId) => ({ topic, key: aggregateId, value: JSON.stringify({ aggregateId, view: viewOf(aggregateId) }) }));
}

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
