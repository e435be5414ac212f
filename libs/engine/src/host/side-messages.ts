import { TopicReply } from '../partition/decide-batch';
import { UnsentOutbox } from '../partition/partition-state';
import { CommandEnvelope, LogRecord, ReplyRecord } from '../partition/records';
import { SideMessage } from '../ports/event-stream';

/**
 * The views of the aggregates `records` changed, as they are now (after the batch), keyed by aggregateId; an
 * aggregate whose view is undefined is left out.
 */
export function changeMessages(topic: string, records: LogRecord[], viewOf: (aggregateId: string, events: readonly unknown[]) => unknown): SideMessage[] {
  const changed = new Map<string, unknown[]>();
  for (const record of records) {
    if (record.type !== 'outcome' || record.events.length === 0) continue;
    const events = changed.get(record.aggregateId);
    if (events) events.push(...record.events);
    else changed.set(record.aggregateId, [...record.events]);
  }
  const messages: SideMessage[] = [];
  for (const [aggregateId, events] of changed) {
    const view = viewOf(aggregateId, events);
    if (view !== undefined) messages.push({ topic, key: aggregateId, value: JSON.stringify({ aggregateId, view }) });
  }
  return messages;
}

/** Replies as sent: keyed by commandId, to the reply partition each command named. */
export function replyMessages(replies: TopicReply[]): SideMessage[] {
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
