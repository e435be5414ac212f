import { randomBytes } from 'node:crypto';

/** A short random suffix that isolates one test's topics, groups and databases from every other run. */
export const randomSuffix = (): string => randomBytes(5).toString('hex');

export const randomName = (prefix: string): string => `${prefix}-${randomSuffix()}`;
