export * from './interest-grid';
export * from './seeded-random';
export * from './simulate-tick';
export * from './zone';
export * from './zone-catalog';
export * from './zone-commands';
export * from './zone-domain';
export * from './zone-state';
