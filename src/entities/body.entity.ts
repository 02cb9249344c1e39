import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { District } from './district.entity';
import { enumCheck } from './enum-check';

export enum BodyKind {
  CITY_COUNCIL = 'CITY_COUNCIL',
  DISTRICT_COUNCIL = 'DISTRICT_COUNCIL',
  DISTRICT_BOARD = 'DISTRICT_BOARD',
  CONVENTION = 'CONVENTION',
}
registerEnumType(BodyKind, { name: 'BodyKind' });

/**
 * How many of the seats that count must be present for the body to decide.
 * MAJORITY is the default (more than half); the Convention's rules say "at
 * least half of its members" (18 of 36), which is HALF.
 */
export enum QuorumRule {
  MAJORITY = 'MAJORITY',
  HALF = 'HALF',
}
registerEnumType(QuorumRule, {
  name: 'QuorumRule',
  description: 'How a body counts its quorum.',
  valuesConfig: {
    MAJORITY: { description: 'More than half of the seats that count.' },
    HALF: { description: 'At least half of the seats that count.' },
  },
});

@ObjectType({
  implements: Node,
  description: 'A body that holds sessions: a district council or board, the Convention, the city council.',
})
@Entity()
@Check('body_kind_check', enumCheck('kind', BodyKind))
@Check('body_quorum_rule_check', enumCheck('quorum_rule', QuorumRule))
export class Body implements Node {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => BodyKind)
  @Column({ type: 'varchar', length: 32 })
  kind!: BodyKind;

  @Field()
  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  @Index()
  @Column({ type: 'int', nullable: true })
  districtId!: number | null;

  @ManyToOne(() => District, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  district?: District;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => QuorumRule)
  @Column({ type: 'varchar', length: 16, default: QuorumRule.MAJORITY })
  quorumRule!: QuorumRule;

  @Field({
    description:
      "Whether a member may send a designated deputy to attend and vote for their seat (the Convention's rules allow it).",
  })
  @Column({ type: 'boolean', default: false })
  admitsDeputies!: boolean;

  get nodeId(): string {
    return toGlobalId('Body', this.id);
  }
}
