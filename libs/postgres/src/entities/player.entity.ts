import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A registered player. `id` is derived from the name when it first logs in (keyed, see the gateway's
 * playerIdOf) and kept from then on; a name is one player in any case (unique index on lower(name),
 * migration PlayersUniqueByLowerName).
 */
@Entity({ name: 'players' })
export class PlayerEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
