export * from './catalog';
export * from './inventory';
export * from './inventory-commands';
export * from './inventory-domain';
