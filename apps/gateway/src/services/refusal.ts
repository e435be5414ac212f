// The refusal shape is the protocol's; zone/zone-client.ts still imports it from here.
export type { Refusal } from '@app/protocol';
