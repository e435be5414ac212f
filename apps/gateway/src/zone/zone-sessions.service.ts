import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Refusal, Reply, ZoneJoinReply, zonePayloads } from '@app/protocol';
import { zoneOf } from '@app/zone';
import { playerScopedCommandId } from '../shared/player-scoped-command-id';
import { PlayerSocket } from '../shared/sockets/socket-events';
import { ZoneViewer } from './zone-viewer';
import { ZoneViewers } from './zone-viewers';
import { ZoneConnection } from './zone-connection';

/** A zone event's payload once its schema has read it. */
type Request<E extends keyof typeof zonePayloads> = z.output<(typeof zonePayloads)[E]>;

const notInZone: Refusal = { ok: false, error: { code: 'not_found', message: 'join a zone first' } };

/**
 * What a socket does in zones: joining one (and leaving the one it was in) gives it a viewer, leaving takes it
 * away; the other requests go to the zone the socket is in.
 */
@Injectable()
export class ZoneSessions {
  constructor(
    private readonly zones: ZoneConnection,
    private readonly viewers: ZoneViewers<PlayerSocket>,
  ) {}

  async join(socket: PlayerSocket, { zoneId, commandId, firstSentMsAgo }: Request<'join'>): Promise<ZoneJoinReply> {
    if (!zoneOf(zoneId)) return { ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } };
    const playerId = socket.data.playerId;
    const previous = this.viewers.zoneOf(socket);
    return this.viewers.joining(async () => {
      const reply = await this.zones.client().join(zoneId, { playerId, firstSentMsAgo }, this.commandId(playerId, commandId));
      if (!reply.ok) return reply;
      if (previous && previous !== zoneId) await this.zones.client().leave(previous, { playerId }, this.commandId(playerId));
      // Watches only if the socket is still connected (its disconnect may have come while the join was in flight).
      this.viewers.watch(socket, new ZoneViewer(zoneId, playerId, reply.snapshot));
      return reply;
    });
  }

  async input(socket: PlayerSocket, { seq, move }: Request<'input'>): Promise<Reply> {
    const zoneId = this.viewers.zoneOf(socket);
    if (!zoneId) return notInZone;
    try {
      await this.zones.client().input(zoneId, socket.data.playerId, seq, move);
      return { ok: true };
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'the zone service is unreachable' } };
    }
  }

  async attack(socket: PlayerSocket, { commandId, firstSentMsAgo, targetId }: Request<'attack'>): Promise<Reply> {
    const zoneId = this.viewers.zoneOf(socket);
    if (!zoneId) return notInZone;
    const playerId = socket.data.playerId;
    return this.zones.client().attack(zoneId, { playerId, firstSentMsAgo }, this.commandId(playerId, commandId), targetId);
  }

  async leave(socket: PlayerSocket, { commandId, firstSentMsAgo }: Request<'leave'>): Promise<Reply> {
    const zoneId = this.viewers.zoneOf(socket);
    if (!zoneId) return notInZone;
    const playerId = socket.data.playerId;
    const reply = await this.zones.client().leave(zoneId, { playerId, firstSentMsAgo }, this.commandId(playerId, commandId));
    if (reply.ok || reply.error.code === 'not_found') this.viewers.unwatch(socket);
    return reply;
  }

  private commandId(playerId: string, clientCommandId: string = randomUUID()): string {
    return playerScopedCommandId(playerId, `zone:${clientCommandId}`);
  }
}
