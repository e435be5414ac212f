export * from './broker-probe';
export * from './kafka-client';
export * from './provision-topics';
export * from './topics';
