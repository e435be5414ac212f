export * from './read-model-changes';
export * from './project-outcome';
export * from './project-batch';
export * from './projected-domains';
export * from './postgres/projection-store';
export * from './postgres/read-models';
export * from './kafka/events-projector';
