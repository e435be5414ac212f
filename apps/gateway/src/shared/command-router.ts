import { CommandEnvelope, DirectAnswer, Outcome } from '@app/engine';
import { ClientOverloadedError, KafkaCommandClient, OwnerDirectory, partitionOfKey, ReplyTimeoutError } from '@app/kafka';
import { LinkError } from '@app/owner-link';
import { OwnerLinks } from './owner-links';

export interface CommandRouterDeps {
  service: string;
  commandsTopic: string;
  /** Partitions of the commands topic: where an aggregate's commands belong. */
  partitions: number;
  topic: KafkaCommandClient;
  /** Where each partition's owner is reached; absent when commands go through the topic only. */
  directory?: OwnerDirectory;
  links: OwnerLinks;
}

type Sendable = Omit<CommandEnvelope, 'replyTo'>;

/**
 * How a gateway sends a service its commands. Straight to the partition's owner when the group says who that is (one
 * Kafka write per command: the owner's append), over a connection kept open; through the commands topic when no
 * owner is known or reachable, or the owner says it does not serve the partition (moved, recovering, stopping): the
 * same commandId, so whoever applies it applies it once. An owner that is full answers `busy`: a command the client
 * waits for is answered `unavailable` (retry later) rather than queued somewhere else; one nobody waits for
 * (`dispatch`) is stored in the topic instead.
 */
export class CommandRouter {
  constructor(private readonly deps: CommandRouterDeps) {}

  /** Sends the command and resolves with its outcome; rejects (timeout, overload) as KafkaCommandClient.send does. */
  async send(envelope: Sendable, timeoutMs: number): Promise<Outcome> {
    const started = Date.now();
    const answer = await this.sendDirect(envelope, timeoutMs);
    if (answer?.kind === 'outcome') return answer.outcome;
    if (answer?.kind === 'busy') return busy(this.deps.service, answer.reason);
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) throw new ReplyTimeoutError(envelope.commandId, timeoutMs);
    return this.deps.topic.send(this.deps.commandsTopic, envelope, left);
  }

  /**
   * Sends a command nobody waits the outcome of (zone steering, registration). Resolves once the owner decided it (so
   * nothing sent after can overtake it) or, when no owner answers, once the commands topic stores it (then a command
   * sent straight to an owner that starts serving meanwhile may be decided before it).
   */
  async dispatch(envelope: Sendable, timeoutMs: number): Promise<void> {
    const answer = await this.sendDirect(envelope, timeoutMs).catch(() => undefined);
    // A busy owner did not take it: stored in the topic, it is decided once the owner catches up, not lost.
    if (answer?.kind === 'outcome') return;
    await this.deps.topic.dispatch(this.deps.commandsTopic, envelope);
  }

  /** The owner's answer, or undefined when the command must take the topic (no owner known, reachable, or serving it). */
  private async sendDirect(envelope: Sendable, timeoutMs: number): Promise<DirectAnswer | undefined> {
    const { directory, links, partitions } = this.deps;
    const address = directory?.ownerOf(partitionOfKey(envelope.aggregateId, partitions));
    const link = address === undefined ? undefined : links.to(address);
    if (!address || !link) return undefined;
    let answer: DirectAnswer | undefined;
    try {
      answer = asDirectAnswer(await link.request({ envelope }, timeoutMs));
    } catch (error) {
      // Waiting longer elsewhere would outlast the caller's deadline; a full connection is this gateway's overload.
      if (error instanceof LinkError && error.reason === 'timeout') throw new ReplyTimeoutError(envelope.commandId, timeoutMs);
      if (error instanceof LinkError && error.reason === 'overloaded') throw new ClientOverloadedError(link.inFlight);
      links.failed(address, error);
    }
    if (answer?.kind !== 'outcome' && answer?.kind !== 'busy') void directory?.refresh();
    return answer;
  }
}

function busy(service: string, reason: string): Outcome {
  return { ok: false, rejection: { code: 'unavailable', message: `the ${service} service is overloaded (${reason}); retry later with the same commandId` } };
}

/** An owner's answer as the engine gives it; anything else (a peer speaking another version) counts as no answer. */
function asDirectAnswer(body: unknown): DirectAnswer | undefined {
  const answer = body as Partial<DirectAnswer> | null;
  if (answer?.kind === 'outcome' && typeof answer.outcome === 'object' && answer.outcome !== null) return answer as DirectAnswer;
  if ((answer?.kind === 'resend' || answer?.kind === 'busy') && typeof answer.reason === 'string') return answer as DirectAnswer;
  return undefined;
}
