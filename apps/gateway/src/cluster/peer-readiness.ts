/**
 * What a peer gateway's `GET /health/ready` says: true when ready (2xx), false when it answers otherwise (503 while it
 * drains or cannot reach Kafka), null when it does not answer within `timeoutMs` (gone, or no gateway there).
 */
export async function peerReadiness(url: string, timeoutMs: number, fetchOf: typeof fetch = fetch): Promise<boolean | null> {
  try {
    const response = await fetchOf(`${url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    // Read to the end, so the connection is free for the next request instead of held by an unread body.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok;
  } catch {
    return null;
  }
}
