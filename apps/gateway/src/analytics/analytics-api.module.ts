import { Module } from '@nestjs/common';

/** The analytics read models over admin HTTP (PROTOCOL.md "Analytics"). */
@Module({})
export class AnalyticsApiModule {}
