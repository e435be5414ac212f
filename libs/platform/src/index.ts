export * from './app-config.token';
export * from './platform.module';
export * from './start-app';
export * from './engine/engine.module';
export * from './engine/engine.tokens';
export * from './engine/status-requests';
export * from './app-kafka';
export * from './readiness';
