import { Module } from '@nestjs/common';

/** Who owns which partition of every service, and how it is doing, for the operator's dashboard. */
@Module({})
export class ClusterModule {}
