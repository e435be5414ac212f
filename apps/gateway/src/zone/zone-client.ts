import { randomUUID } from 'node:crypto';
import { KafkaCommandClient } from '@app/kafka';
import { Direction, ZoneCommand, ZoneReply, ZoneSnapshot, ZoneSummary } from '@app/zone';
import { answerOf } from '../services/answer-of';
import { Refusal } from '../services/refusal';


/**
 * The gateway's way to the zone service: commands for one zone, answered once committed. No answer in time is
 * `unavailable`; commandIds are the caller's (scoped by player), so a retry is applied once.
 */
export class ZoneClient {
  constructor(
    private readonly commands: KafkaCommandClient,
    private readonly commandsTopic: string,
    private readonly timeoutMs: number,
  ) {}

  /** Joins, then looks: the join is logged, the snapshot (a read) is not. */
  async join(zoneId: string, playerId: string, commandId: string): Promise<{ ok: true; snapshot: ZoneSnapshot } | Refusal> {
    const joined = await this.send(zoneId, commandId, { type: 'join', playerId });
    if (!joined.ok) return joined;
    const looked = await this.send(zoneId, `${commandId}:look`, { type: 'look', playerId });
    return looked.ok ? { ok: true, snapshot: looked.reply as ZoneSnapshot } : looked;
  }

  async attack(zoneId: string, playerId: string, commandId: string, targetId: string): Promise<{ ok: true } | Refusal> {
    const outcome = await this.send(zoneId, commandId, { type: 'attack', playerId, targetId });
    return outcome.ok ? { ok: true } : outcome;
  }

  async leave(zoneId: string, playerId: string, commandId: string): Promise<{ ok: true } | Refusal> {
    const outcome = await this.send(zoneId, commandId, { type: 'leave', playerId });
    return outcome.ok ? { ok: true } : outcome;
  }

  async get(zoneId: string, commandId: string): Promise<{ ok: true; summary: ZoneSummary } | Refusal> {
    const outcome = await this.send(zoneId, commandId, { type: 'get' });
    return outcome.ok ? { ok: true, summary: outcome.reply as ZoneSummary } : outcome;
  }

  /**
   * Steering waits for nothing: stored, it applies at the next tick. The zone ignores an input whose seq is not
   * newer; the id is unique because a player that left and came back starts its seq over.
   */
  input(zoneId: string, playerId: string, seq: number, move: Direction): Promise<void> {
    const command: ZoneCommand = { type: 'input', playerId, seq, move };
    return this.commands.dispatch(this.commandsTopic, { commandId: `${playerId}:input:${seq}:${randomUUID()}`, aggregateId: zoneId, issuedAt: Date.now(), command });
  }

  private async send(zoneId: string, commandId: string, command: ZoneCommand): Promise<{ ok: true; reply: ZoneReply } | Refusal> {
    const answer = await answerOf('zone', this.commands.send(this.commandsTopic, { commandId, aggregateId: zoneId, issuedAt: Date.now(), command }, this.timeoutMs));
    return answer.ok ? { ok: true, reply: answer.reply as ZoneReply } : answer;
  }
}
