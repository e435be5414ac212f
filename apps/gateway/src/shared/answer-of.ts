import { Outcome } from '@app/engine';
import { ClientOverloadedError, QueueFullError, ReplyTimeoutError } from '@app/kafka';
import { Refusal } from '@app/protocol';

/**
 * A command's outcome as the gateway answers it: the reply, the service's refusal, or `unavailable` when the
 * gateway is too busy to send it, the service did not answer in time, or it could not be reached (the client
 * retries with the same commandId). Never a rejection: whatever the Kafka side throws becomes an answer.
 */
export async function answerOf(service: string, sending: Promise<Outcome>): Promise<{ ok: true; reply: unknown } | Refusal> {
  let outcome: Outcome;
  try {
    outcome = await sending;
  } catch (error) {
    return { ok: false, error: { code: 'unavailable', message: unavailableBecause(service, error) } };
  }
  // The engine carries any code; the services' deciders and the engine itself refuse with the protocol's only.
  return outcome.ok ? { ok: true, reply: outcome.reply } : { ok: false, error: outcome.rejection as Refusal['error'] };
}

function unavailableBecause(service: string, error: unknown): string {
  if (error instanceof ClientOverloadedError || error instanceof QueueFullError)
    return `the gateway is too busy to send it now (not sent); retry with the same commandId`;
  if (error instanceof ReplyTimeoutError) return `the ${service} service did not answer in time; retry with the same commandId`;
  return `the ${service} service is unreachable; retry with the same commandId`;
}
