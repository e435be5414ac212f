import { LogRecord } from '@app/engine';
import { ZoneWorld } from '@app/zone';
import { TailedRecord } from './topic-tail';

/** What a record of `<prefix>zone.events` is, and the tick it ends, if it is one. */
export interface LogRecordKind {
  kind: 'tick' | 'input' | 'other command' | Exclude<LogRecord['type'], 'outcome'>;
  tick?: number;
}

export function kindOfLogRecord(value: Buffer): LogRecordKind {
  const record = JSON.parse(value.toString('utf8')) as LogRecord;
  if (record.type !== 'outcome') return { kind: record.type };
  const ticked = (record.events as { type?: string; tick?: number }[]).find((event) => event.type === 'ticked');
  if (ticked) return { kind: 'tick', tick: ticked.tick };
  // The gateway names inputs `<playerId>:input:<zoneId>:<seq>`; one an older seq overtook has no event but is logged all the same.
  return { kind: record.commandId.includes(':input:') ? 'input' : 'other command' };
}

/** The tick a `<prefix>zone.changes` record carries and how many entities are in it. */
export function worldOfChange(value: Buffer): { tick: number; entities: number } {
  const { view } = JSON.parse(value.toString('utf8')) as { view: ZoneWorld };
  return { tick: view.tick, entities: view.entities.length };
}

export interface ZoneLogFigures {
  records: number;
  valueBytes: number;
  keyBytes: number;
  byKind: Record<string, { records: number; valueBytes: number }>;
  ticks: number;
  firstTick: number;
  lastTick: number;
}

/** The events log of the window: bytes by kind of record, and the ticks it holds, which must follow one another. */
export function zoneLogFigures(records: TailedRecord<LogRecordKind>[]): ZoneLogFigures {
  const byKind: ZoneLogFigures['byKind'] = {};
  const ticks: number[] = [];
  for (const { summary, valueBytes } of records) {
    const entry = (byKind[summary.kind] ??= { records: 0, valueBytes: 0 });
    entry.records++;
    entry.valueBytes += valueBytes;
    if (summary.tick !== undefined) ticks.push(summary.tick);
  }
  ticks.forEach((tick, index) => {
    if (index > 0 && tick !== ticks[index - 1] + 1) throw new Error(`zone log: tick ${tick} follows tick ${ticks[index - 1]}`);
  });
  return {
    records: records.length,
    valueBytes: records.reduce((sum, record) => sum + record.valueBytes, 0),
    keyBytes: records.reduce((sum, record) => sum + record.keyBytes, 0),
    byKind,
    ticks: ticks.length,
    firstTick: ticks[0] ?? NaN,
    lastTick: ticks.at(-1) ?? NaN,
  };
}

export interface WorldFigures {
  worlds: number;
  valueBytes: number;
  meanWorldBytes: number;
  meanEntities: number;
}

/** The worlds the zone published in the window: every visible entity's position, once per tick. */
export function worldFigures(records: TailedRecord<{ tick: number; entities: number }>[]): WorldFigures {
  const valueBytes = records.reduce((sum, record) => sum + record.valueBytes, 0);
  return {
    worlds: records.length,
    valueBytes,
    meanWorldBytes: valueBytes / records.length,
    meanEntities: records.reduce((sum, record) => sum + record.summary.entities, 0) / records.length,
  };
}
