export * from './broker-probe';
export * from './kafka-client';
export * from './provision-topics';
export * from './topics';
export * from './engine/kafka-command-feed';
export * from './engine/kafka-event-stream';
export * from './engine/kafka-command-client';
export * from './engine/kafka-engine-ports';
