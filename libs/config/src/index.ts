export * from './app-config';
export * from './gateway-config';
export * from './load-config';
export * from './env-fields';
export * from './topics-config';
export * from './engine-config';
export * from './zone-config';
export * from './secret-strength';
