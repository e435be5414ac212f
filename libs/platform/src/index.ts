export * from './app-config.token';
export * from './platform.module';
export * from './start-app';
