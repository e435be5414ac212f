import { Module } from '@nestjs/common';
import { SocketLimits } from './socket-limits';

/** One SocketLimits for every socket handler: a socket's rate counts its inventory and zone events together. */
@Module({ providers: [SocketLimits], exports: [SocketLimits] })
export class SocketsModule {}
