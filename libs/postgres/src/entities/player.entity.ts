import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A registered player; `id` is derived from the unique name, so the same name always maps to the same player. */
@Entity({ name: 'players' })
export class PlayerEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
