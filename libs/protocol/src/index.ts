export * from './admin-grant';
export * from './draining';
export * from './first-sent-ms-ago';
export * from './inventory-command-payload';
export * from './refusal';
export * from './schema-issues';
export * from './socket-events';
export * from './zone-payloads';
