import { TopicReply } from '../partition/decide-batch';
import { PartitionState, UnsentOutbox } from '../partition/partition-state';
import { LogRecord } from '../partition/records';
import { SideMessage } from '../ports/event-stream';
import { partitionLabel, RunnerDeps } from './runner-deps';
import { changeMessages, outboxMessages } from './side-messages';

/** The messages one partition sends besides its log: outbox commands, replies and views of changes. */
export class PartitionMessages<S> {
  /** Whether the changes topic exists, once known. */
  private publishesChanges?: boolean;

  constructor(
    private readonly deps: RunnerDeps<S>,
    private readonly partition: number,
  ) {}

  outbox(unsent: readonly UnsentOutbox[]): SideMessage[] {
    return outboxMessages(`${this.deps.stream.name}#${this.partition}`, unsent, this.deps.commandsTopic);
  }

  /** Replies whose address exists; one to a missing topic or partition is dropped, or it would fail every retry of the batch. */
  async deliverable(replies: TopicReply[]): Promise<TopicReply[]> {
    const kept: TopicReply[] = [];
    for (const reply of replies) {
      if (reply.to.partition >= 0 && reply.to.partition < (await this.deps.stream.partitionCount(reply.to.topic))) kept.push(reply);
      else
        this.deps.logger.warn(
          `${partitionLabel(this.deps, this.partition)}: no reply for ${reply.commandId}: ${reply.to.topic}[${reply.to.partition}] does not exist`,
          { partition: this.partition, commandId: reply.commandId },
        );
    }
    return kept;
  }

  /**
   * Whether views of changes go out: publishing is on, the domain has a view and its changes topic exists (a missing
   * one would fail every send). Asked before the append, so a failure to find out costs the batch nothing that is
   * already logged.
   */
  async publishingChanges(): Promise<boolean> {
    const { domain, changesTopic, stream, logger, options } = this.deps;
    if (!domain.view || !options.publishChanges) return false;
    if (this.publishesChanges === undefined) {
      this.publishesChanges = (await stream.partitionCount(changesTopic)) > 0;
      if (!this.publishesChanges)
        logger.warn(`${partitionLabel(this.deps, this.partition)}: ${changesTopic} does not exist; changes are not published`, { partition: this.partition });
    }
    return this.publishesChanges;
  }

  /** Whether views are computed for a batch: someone takes them (the changes topic or the listener). */
  wantsViews(publishesChanges: boolean): boolean {
    return publishesChanges || this.deps.viewsChanged !== undefined;
  }

  /** Tells the listener of views (if any) what a counted batch changed; its bugs are logged, the batch already counts. */
  viewsChanged(changes: SideMessage[]): void {
    const listener = this.deps.viewsChanged;
    if (!listener || changes.length === 0) return;
    try {
      listener(changes.map(({ key, value }) => ({ aggregateId: key, value })));
    } catch (error) {
      this.deps.logger.error(`${partitionLabel(this.deps, this.partition)}: the views listener threw: ${(error as Error)?.stack ?? String(error)}`, {
        partition: this.partition,
      });
    }
  }

  /** Views of what `records` changed, as `state` holds them now. */
  changes(records: LogRecord[], state: PartitionState<S>): SideMessage[] {
    const { domain, changesTopic } = this.deps;
    const view = domain.view;
    if (!view) return [];
    return changeMessages(changesTopic, records, (aggregateId, events) => view(aggregateId, state.aggregate(aggregateId), events));
  }
}
