/**
 * The engine's test kit, `@app/engine/testing`: in-memory ports for the fast test tier, the contract suites every
 * adapter of a port must pass, and the given/when/then spec for deciders. Test code only: nothing in `apps/` or in a
 * library's runtime code imports it (its contract suites call jest's globals).
 */
export * from './in-memory-topics';
export * from './in-memory-event-stream';
export * from './in-memory-snapshot-store';
export * from './in-memory-command-feed';
export * from './in-memory-engine-world';
export * from '../domain/decider-spec.testing';
export * from '../ports/contract-tests.testing';
export * from '../ports/event-stream.contract';
export * from '../ports/snapshot-store.contract';
export * from '../ports/command-feed.contract';
export * from './accounts';
