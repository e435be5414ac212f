import { DEFAULT_RETRY_HORIZON_MS } from '@app/engine';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_RETRY, RETRY_HORIZON_MS } from './retry-options';

describe('the SDK retry budget', () => {
  it('names the horizon the services use by default', () => expect(RETRY_HORIZON_MS).toBe(DEFAULT_RETRY_HORIZON_MS));

  it('sends its last retry well before the horizon: the give-up time, a backoff and a wait for a connection fit in it twice', () =>
    expect(2 * (DEFAULT_RETRY.giveUpAfterMs + DEFAULT_RETRY.maxDelayMs + DEFAULT_ACK_TIMEOUT_MS)).toBeLessThan(RETRY_HORIZON_MS));
});
