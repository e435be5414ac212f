export * from './game-client';
export * from './game-error';
export * from './zone-replica';
