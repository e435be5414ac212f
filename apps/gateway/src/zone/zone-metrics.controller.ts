import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ZoneConnection } from './zone-connection';
import { InventoryConnection } from '../inventory/inventory.module';
import { RequestStages } from '../shared/request-stages';
import { ZoneHistory } from './zone-history';
import { ZoneViewers } from './zone-viewers';

/**
 * `GET /metrics` of a gateway, in the Prometheus text format: the process defaults (event loop lag among them) and
 * what its zone viewers cost. `gateway_zone_viewers` should follow the players in zones on this gateway; growing
 * without them is a leak.
 */
@ApiExcludeController()
@Controller('metrics')
export class GatewayMetricsController {
  private readonly registry = new Registry();

  constructor(
    viewers: ZoneViewers,
    history: ZoneHistory,
    zones: ZoneConnection,
    private readonly stages: RequestStages,
    inventory: InventoryConnection,
  ) {
    this.registry.setDefaultLabels({ service: 'gateway' });
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge('gateway_sockets', 'Sockets connected to this gateway', () => viewers.sockets);
    gauge(
      'gateway_inventory_follows',
      'Players whose inventory this gateway follows at its owner (players with a socket here; 0 with DIRECT_COMMANDS=off)',
      () => inventory.followedPlayers,
    );
    gauge('gateway_zone_viewers', 'Sockets this gateway sends zone:tick to', () => viewers.size);
    gauge('gateway_zone_joins_in_flight', 'zone:join requests waiting for the zone service', () => viewers.joinsInFlight);
    gauge('gateway_zone_rebuilds_in_flight', 'Time-travel rebuilds running (at most one)', () => history.rebuilding);
    gauge('gateway_zone_follows_pending', 'Zones viewed here whose owner does not push their worlds here now (following owners)', () => zones.unfollowedZones);
    let reported = 0;
    new Counter({
      name: 'gateway_zone_view_bytes_total',
      help: 'Bytes of zone worlds this gateway received: pushes from the owners of the zones it has viewers in, or the whole changes topic with DIRECT_COMMANDS=off',
      registers: [this.registry],
      collect() {
        const total = zones.viewBytes;
        this.inc(total - reported);
        reported = total;
      },
    });
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return Registry.merge([this.registry, this.stages.registry]).metrics();
  }
}
