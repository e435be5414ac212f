export * from './game-client';
export * from './game-error';
export * from './retry-options';
export * from './zone-replica';
