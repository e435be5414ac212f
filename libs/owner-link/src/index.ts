export { LinkError, type LinkErrorReason } from './link-error';
export { OwnerLinkClient, type OwnerLinkClientOptions } from './owner-link-client';
export { DEFAULT_CLOSE_GRACE_MS, OwnerLinkServer, type OwnerLinkServerOptions } from './owner-link-server';
export type { LinkHandler, LinkPeer } from './server-connection';
