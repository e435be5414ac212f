export * from './accounts';
export * from './failing-accounts';
