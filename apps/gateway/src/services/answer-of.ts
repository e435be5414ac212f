import { Outcome } from '@app/engine';
import { ReplyTimeoutError } from '@app/kafka';
import { Refusal } from './refusal';

/**
 * A command's outcome as the gateway answers it: the reply, the service's refusal, or `unavailable` when the
 * service did not answer in time or could not be reached (the client retries with the same commandId).
 */
export async function answerOf(service: string, sending: Promise<Outcome>): Promise<{ ok: true; reply: unknown } | Refusal> {
  let outcome: Outcome;
  try {
    outcome = await sending;
  } catch (error) {
    const message = error instanceof ReplyTimeoutError ? `the ${service} service did not answer in time; retry with the same commandId` : `the ${service} service is unreachable; retry with the same commandId`;
    return { ok: false, error: { code: 'unavailable', message } };
  }
  return outcome.ok ? { ok: true, reply: outcome.reply } : { ok: false, error: outcome.rejection };
}
