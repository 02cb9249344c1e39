import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { DateScalar } from '../schema/scalars';

@ObjectType({ implements: Node, description: 'A term of office (kadencja), e.g. IX.' })
@Entity()
export class Term implements Node {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => Int)
  @Column({ type: 'int', unique: true })
  number!: number;

  @Field()
  @Column({ type: 'varchar', length: 8 })
  numeral!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Day of the district council elections that opened the term, where known.',
  })
  @Column({ type: 'date', nullable: true })
  electionDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  startsOn!: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  endsOn!: string | null;

  get nodeId(): string {
    return toGlobalId('Term', this.id);
  }
}
