import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ServicesModule } from '../shared/service-connection';
import { SocketsModule } from '../shared/sockets/sockets.module';
import { AdminZonesController } from './admin-zones.controller';
import { AdminZones } from './admin-zones.service';
import { ZoneConnection } from './zone-connection';
import { ZoneHistory } from './zone-history';
import { zoneHistoryPorts } from './zone-history-ports';
import { GatewayMetricsController } from './zone-metrics.controller';
import { ZoneSessions } from './zone-sessions.service';
import { ZoneViewers } from './zone-viewers';
import { ZoneGateway } from './zone.gateway';

/** Zones on the gateway: socket events, the viewers of each zone and their fan-out, admin reads and time travel. */
@Module({
  imports: [ServicesModule, SocketsModule, InventoryModule],
  controllers: [AdminZonesController, GatewayMetricsController],
  providers: [ZoneConnection, ZoneViewers, ZoneSessions, ZoneGateway, ZoneHistory, ...zoneHistoryPorts, AdminZones, AdminTokenGuard],
})
export class ZoneModule {}
