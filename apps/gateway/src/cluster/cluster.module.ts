import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ServicesModule } from '../shared/service-connection';
import { AdminPlayerNamesController } from './admin-player-names.controller';
import { ClusterController } from './cluster.controller';
import { ClusterService } from './cluster.service';

/** What the operator's dashboard needs beyond the other admin routes: who owns which partition and how it is doing, players by name. */
@Module({
  imports: [ServicesModule, AuthModule],
  controllers: [ClusterController, AdminPlayerNamesController],
  providers: [ClusterService, AdminTokenGuard],
})
export class ClusterModule {}
