import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AnalyticsApiModule } from './analytics/analytics-api.module';
import { ClusterModule } from './cluster/cluster.module';
import { InventoryApiModule } from './inventory/inventory-api.module';
import { ZoneModule } from './zone/zone.module';

/** OpenAPI for the admin endpoints (the other controllers of these modules are excluded from it), served at `/admin/docs` (JSON at `/admin/docs-json`). */
export function serveAdminDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Game backend admin API')
    .setDescription('Player inventories: grants (idempotent by grantId) and reads. Every route needs `Authorization: Bearer <ADMIN_TOKEN>`.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('admin/docs', app, () =>
    SwaggerModule.createDocument(app, config, { include: [InventoryApiModule, ZoneModule, AnalyticsApiModule, ClusterModule] }),
  );
}
