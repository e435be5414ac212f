import { withTimeout } from '../host/time-limits';
import {
  DesyncError,
  DivergedError,
  EngineError,
  engineErrorKind,
  HistoryOutOfReachError,
  SnapshotRefutedError,
  TimeoutError,
  WriterFencedError,
} from './engine-errors';

describe('engine errors', () => {
  it.each([
    [new DivergedError('tick 3 re-simulates to another hash'), 'DivergedError', 'diverged'],
    [new DesyncError(8, 'f00d', 'beef'), 'DesyncError', 'diverged'],
    [new WriterFencedError('claimed by a newer owner'), 'WriterFencedError', 'fenced'],
    [new SnapshotRefutedError(4, 'another record at offset 4'), 'SnapshotRefutedError', 'snapshot-refuted'],
    [new HistoryOutOfReachError('too far back'), 'HistoryOutOfReachError', 'out-of-reach'],
  ])('a %s is named %s, of kind %s, and doing the same again cannot succeed', (error, name, kind) => {
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ name, kind, retriable: false });
    expect(engineErrorKind(error)).toBe(kind);
  });

  it('a timeout is retriable: the store may answer the next call', () => {
    expect(new TimeoutError('snapshot store', 50)).toMatchObject({
      name: 'TimeoutError',
      kind: 'timeout',
      retriable: true,
      message: 'snapshot store gave no answer within 50 ms',
    });
  });

  it('a desync is a divergence found by the engine, so whoever handles one handles both', () => {
    const desync = new DesyncError(8, 'f00d', 'beef');
    expect(desync).toBeInstanceOf(DivergedError);
    expect(desync.message).toBe('state hash mismatch at events offset 8: log says f00d, replay computed beef');
  });

  it('keeps the messages callers show: a refuted snapshot says the log refutes it', () => {
    expect(new SnapshotRefutedError(4, 'no record at offset 4').message).toBe('the log refutes it: no record at offset 4');
  });

  it.each([[new Error('broker down')], ['a string'], [undefined]])('gives no kind to %p, which is no engine error', (error) => {
    expect(engineErrorKind(error)).toBeUndefined();
  });

  it('withTimeout rejects a hanging call with a TimeoutError naming what gave no answer', async () => {
    const hanging = new Promise<never>(() => undefined);
    await expect(withTimeout(1, 'checking the batch counts', hanging)).rejects.toThrow(new TimeoutError('checking the batch counts', 1));
    await expect(withTimeout(1, 'snapshot store', hanging)).rejects.toBeInstanceOf(TimeoutError);
  });
});
