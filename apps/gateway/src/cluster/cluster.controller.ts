import { Controller, Get, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { clusterViewSchema } from './cluster-openapi';
import { ClusterService } from './cluster.service';

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/cluster')
@UseGuards(AdminTokenGuard)
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @ApiResponse({
    status: 200,
    description:
      "every partition of every service with its owner (from the service's consumer group) and how it is doing (asked of the owner over its owner link); the processes: this gateway and its peers, every member of every service's group, the analytics instances. One view answers every request for 1 s",
    schema: clusterViewSchema,
  })
  @ApiResponse({ status: 503, description: 'Kafka did not answer (`unavailable`); retry' })
  view() {
    return this.cluster.view().catch((error: unknown) => {
      throw new ServiceUnavailableException({
        error: { code: 'unavailable', message: `reading the groups: ${error instanceof Error ? error.message : String(error)}` },
      });
    });
  }
}
