import { randomUUID } from 'node:crypto';
import { CommandEnvelope } from '@app/engine';
import { CommandRouter } from '../shared/command-router';
import { Direction, ZoneCommand, ZoneReply, ZoneSight, ZoneSummary } from '@app/zone';
import { answerOf } from '../shared/answer-of';
import { Refusal } from '@app/protocol';

/** Who sends a zone command, and on a retry how long ago it was first sent (milliseconds, by the client's clock). */
export interface ZoneRequester {
  playerId: string;
  firstSentMsAgo?: number;
}

/**
 * The gateway's way to the zone service: commands for one zone, answered once committed. No answer in time is
 * `unavailable`; commandIds are the caller's (scoped by player), so a retry is applied once. The zone remembers
 * outcomes per player (the requester), so one player's retry is not forgotten for the traffic of everyone in the zone.
 */
export class ZoneClient {
  constructor(
    private readonly commands: Pick<CommandRouter, 'send' | 'dispatch'>,
    private readonly timeoutMs: number,
  ) {}

  /** Joins, then looks: the join is logged, the look (a read) is not. */
  async join(zoneId: string, requester: ZoneRequester, commandId: string): Promise<{ ok: true; snapshot: ZoneSight } | Refusal> {
    const { playerId } = requester;
    const joined = await this.send(zoneId, requester, commandId, { type: 'join', playerId });
    if (!joined.ok) return joined;
    const looked = await this.send(zoneId, { playerId }, `${commandId}:look`, { type: 'look', playerId });
    return looked.ok ? { ok: true, snapshot: looked.reply as ZoneSight } : looked;
  }

  async attack(zoneId: string, requester: ZoneRequester, commandId: string, targetId: string): Promise<{ ok: true } | Refusal> {
    const outcome = await this.send(zoneId, requester, commandId, { type: 'attack', playerId: requester.playerId, targetId });
    return outcome.ok ? { ok: true } : outcome;
  }

  async leave(zoneId: string, requester: ZoneRequester, commandId: string): Promise<{ ok: true } | Refusal> {
    const outcome = await this.send(zoneId, requester, commandId, { type: 'leave', playerId: requester.playerId });
    return outcome.ok ? { ok: true } : outcome;
  }

  async get(zoneId: string, commandId: string): Promise<{ ok: true; summary: ZoneSummary } | Refusal> {
    const outcome = await this.send(zoneId, undefined, commandId, { type: 'get' });
    return outcome.ok ? { ok: true, summary: outcome.reply as ZoneSummary } : outcome;
  }

  /**
   * Steering waits for nothing: stored, it applies at the next tick. The zone ignores an input whose seq is not
   * newer; the id is unique because a player that left and came back starts its seq over.
   */
  input(zoneId: string, playerId: string, seq: number, move: Direction): Promise<void> {
    const command: ZoneCommand = { type: 'input', playerId, seq, move };
    const envelope = { commandId: `${playerId}:input:${seq}:${randomUUID()}`, aggregateId: zoneId, issuedAt: Date.now(), command };
    return this.commands.dispatch(envelope, this.timeoutMs);
  }

  private async send(
    zoneId: string,
    requester: ZoneRequester | undefined,
    commandId: string,
    command: ZoneCommand,
  ): Promise<{ ok: true; reply: ZoneReply } | Refusal> {
    const issuedAt = Date.now();
    const envelope: CommandEnvelope = { commandId, aggregateId: zoneId, issuedAt, command };
    if (requester) envelope.requester = requester.playerId;
    if (requester?.firstSentMsAgo !== undefined) envelope.firstIssuedAt = issuedAt - requester.firstSentMsAgo;
    const answer = await answerOf('zone', this.commands.send(envelope, this.timeoutMs));
    return answer.ok ? { ok: true, reply: answer.reply as ZoneReply } : answer;
  }
}
