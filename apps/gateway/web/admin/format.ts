/** Shown where a value is unknown (an owner that did not answer, a partition nobody holds). */
export const NONE = '–';

export const count = (value: number | null | undefined): string => (value === null || value === undefined ? NONE : value.toLocaleString('en-US'));

export const millis = (value: number | null | undefined): string =>
  value === null || value === undefined ? NONE : `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;

/** Replay progress as `done / total` (records replayed of those to replay). */
export const replay = (progress: { done: number; total: number } | null): string =>
  progress === null ? NONE : `${count(progress.done)} / ${count(progress.total)}`;

/** An ISO time as the operator's local `HH:MM:SS` (with the date when it is not today). */
export function clock(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toTimeString().slice(0, 8);
  return at.toDateString() === now.toDateString() ? time : `${at.toISOString().slice(0, 10)} ${time}`;
}

/** The message of an error answer (`{ error: { message } }`, with or without `ok: false`), else `fallback`. */
export function errorMessage(body: unknown, fallback: string): string {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : fallback;
}
