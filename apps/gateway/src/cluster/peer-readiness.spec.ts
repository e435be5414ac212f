import { peerReadiness } from './peer-readiness';

describe('peerReadiness', () => {
  const answering = (status: number) => jest.fn(async () => new Response('{}', { status }));

  it('asks the peer its /health/ready and is true when it is ready', async () => {
    const fetchOf = answering(200);

    await expect(peerReadiness('http://10.0.0.2:3000', 500, fetchOf)).resolves.toBe(true);
    expect(fetchOf).toHaveBeenCalledWith('http://10.0.0.2:3000/health/ready', expect.objectContaining({ signal: expect.any(AbortSignal) }));
  });

  it('is false when the peer answers that it is not ready', () => expect(peerReadiness('http://p', 500, answering(503))).resolves.toBe(false));

  it('is null when the peer does not answer', async () => {
    const refused = jest.fn(async () => Promise.reject(new TypeError('fetch failed')));

    await expect(peerReadiness('http://p', 500, refused)).resolves.toBeNull();
  });

  it('gives up on a peer that does not answer in time', async () => {
    const silent = jest.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );

    await expect(peerReadiness('http://p', 20, silent)).resolves.toBeNull();
  });
});
