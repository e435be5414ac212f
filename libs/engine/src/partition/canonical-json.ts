import { createHash } from 'node:crypto';

const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * JSON with object keys sorted at every depth, so equal values always serialise to equal text. Written
 * out directly rather than through a JSON.stringify replacer, which copies every object to sort it:
 * checkpoints and snapshots call this for every entry of a partition.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson(json.call(value));
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      text += (index > 0 ? ',' : '') + (omitted(item) ? 'null' : canonicalJson(item));
    }
    return `${text}]`;
  }
  let text = '';
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (!omitted(item)) text += `${text ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `{${text}}`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
