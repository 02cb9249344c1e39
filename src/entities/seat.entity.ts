import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { Body } from './body.entity';
import { District } from './district.entity';
import { enumCheck } from './enum-check';

export enum SeatRole {
  CHAIR = 'CHAIR',
  VICE_CHAIR = 'VICE_CHAIR',
  MEMBER = 'MEMBER',
}
registerEnumType(SeatRole, { name: 'SeatRole' });

@ObjectType({
  implements: Node,
  description:
    'A seat in a body, which exists whoever holds it (e.g. the seat of the chair of Rada Dzielnicy XII in the Convention).',
})
@Entity()
@Unique('seat_body_position_key', ['bodyId', 'position'])
@Check('seat_role_check', enumCheck('role', SeatRole))
export class Seat implements Node {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'int' })
  bodyId!: number;

  @ManyToOne(() => Body, { onDelete: 'RESTRICT' })
  @JoinColumn()
  body?: Body;

  @Field(() => Int, { description: 'Order of the seat within its body, from 1.' })
  @Column({ type: 'int' })
  position!: number;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  label!: string;

  @Field(() => SeatRole)
  @Column({ type: 'varchar', length: 16 })
  role!: SeatRole;

  @Index()
  @Column({ type: 'int', nullable: true })
  districtId!: number | null;

  @ManyToOne(() => District, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  district?: District;

  /** The Convention's chair presides but is not one of the 36 members its quorum counts. */
  @Field({ description: 'Whether the seat counts toward the quorum of its body.' })
  @Column({ type: 'boolean', default: true })
  countsTowardQuorum!: boolean;

  get nodeId(): string {
    return toGlobalId('Seat', this.id);
  }
}
