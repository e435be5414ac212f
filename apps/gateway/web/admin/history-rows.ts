import { clock } from './format';

/** One entry of GET /admin/players/:playerId/history (docs/dashboard.md). */
export interface HistoryEntry {
  at: string;
  service: string;
  type: string;
  event: Record<string, unknown>;
  source?: { commandId?: string; partition?: number; offset?: number };
}

export interface HistoryPage {
  events: HistoryEntry[];
  next: string | null;
}

const MAX_DETAIL_CHARS = 160;

/** An event's fields other than its type, as short `key=value` text. */
export function eventDetail(event: Record<string, unknown>): string {
  const text = Object.entries(event)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}

/** Cells of one history row: when, service, type, details, where in the log. */
export function historyCells(entry: HistoryEntry, now = new Date()): string[] {
  const where = entry.source?.partition !== undefined ? `${entry.service}[${entry.source.partition}]@${entry.source.offset ?? '?'}` : entry.service;
  return [clock(entry.at, now), entry.type, eventDetail(entry.event), where];
}
