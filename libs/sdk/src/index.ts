export * from './game-client';
export * from './game-error';
