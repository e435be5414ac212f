/**
 * Why a request got no answer, so the caller can choose between retrying on the link, falling back to another route
 * (the commands topic) or giving up:
 * - `connect`: no connection could be made; the request was never sent.
 * - `overloaded`: too many requests already in flight; the request was never sent.
 * - `invalid`: the body cannot travel (not JSON, or a frame longer than maxFrameBytes); sending it again cannot help.
 * - `closed`: the connection closed (or the client was closed) while the request was pending: it may have been handled.
 * - `timeout`: no answer in time: it may have been handled; a late answer is ignored.
 * - `remote`: the owner's handler threw; the message is its error's.
 * A request that may have been handled is safe to retry only when it is idempotent (commands carry a commandId).
 */
export type LinkErrorReason = 'connect' | 'closed' | 'timeout' | 'overloaded' | 'invalid' | 'remote';

export class LinkError extends Error {
  constructor(
    readonly reason: LinkErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}
