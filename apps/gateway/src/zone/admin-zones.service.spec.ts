import { HttpException } from '@nestjs/common';
import { DivergedError } from '@app/engine';
import { ZoneSummary } from '@app/zone';
import { AdminZones, TimeTravelBusyException } from './admin-zones.service';
import { ZoneConnection } from './zone-connection';
import { TimeTravelBusyError, TimeTravelOutOfReachError, ZoneHistory } from './zone-history';

const now = { zoneId: 'meadow', tick: 10 } as ZoneSummary;

/** Admin reads over a zone at tick 10 whose rebuilds end as `rebuild` says. */
function adminZones(rebuild: () => Promise<ZoneSummary | undefined>): AdminZones {
  const zones = { client: () => ({ get: () => Promise.resolve({ ok: true, summary: now }) }) } as unknown as ZoneConnection;
  return new AdminZones(zones, { at: rebuild } as unknown as ZoneHistory);
}

/** The status and body a read is refused with. */
async function refusal(reading: Promise<unknown>): Promise<{ status: number; body: unknown; busy: boolean }> {
  const error = await reading.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected an HTTP refusal, got ${String(error)}`);
  return { status: error.getStatus(), body: error.getResponse(), busy: error instanceof TimeTravelBusyException };
}

describe('AdminZones', () => {
  const never = () => Promise.reject(new Error('no rebuild expected'));

  it('answers the zone now without a tick, and refuses a zone that does not exist with 404', async () => {
    expect(await adminZones(never).get('meadow', undefined)).toBe(now);
    expect(await refusal(adminZones(never).get('atlantis', undefined))).toEqual({
      status: 404,
      body: { ok: false, error: { code: 'not_found', message: 'no zone atlantis' } },
      busy: false,
    });
  });

  it('refuses a tick the zone has not reached with 404 without rebuilding', async () => {
    expect((await refusal(adminZones(never).get('meadow', 11))).status).toBe(404);
  });

  it('answers a busy rebuild with a retriable 503, a diverged one with 409 and one out of reach with 410 and its oldest tick', async () => {
    const busy = await refusal(adminZones(() => Promise.reject(new TimeTravelBusyError())).get('meadow', 5));
    expect(busy).toMatchObject({ status: 503, busy: true, body: { ok: false, error: { code: 'unavailable' } } });
    const diverged = await refusal(adminZones(() => Promise.reject(new DivergedError('tick 4 hashed otherwise'))).get('meadow', 5));
    expect(diverged).toEqual({ status: 409, busy: false, body: { ok: false, error: { code: 'diverged', message: 'tick 4 hashed otherwise' } } });
    const gone = await refusal(adminZones(() => Promise.reject(new TimeTravelOutOfReachError('too old', 3))).get('meadow', 1));
    expect(gone).toEqual({ status: 410, busy: false, body: { ok: false, error: { code: 'out_of_range', message: 'too old', oldestTick: 3 } } });
  });
});
