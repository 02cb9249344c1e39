import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';

@ObjectType({ implements: Node, description: 'A district of the city (dzielnica), e.g. XVIII Nowa Huta.' })
@Entity()
export class District implements Node {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => Int)
  @Column({ type: 'int', unique: true })
  number!: number;

  @Field({ description: 'Roman numeral, e.g. XVIII.' })
  @Column({ type: 'varchar', length: 8 })
  numeral!: string;

  @Field({ description: 'e.g. Nowa Huta.' })
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Field({ description: 'e.g. nowa-huta.' })
  @Column({ type: 'varchar', length: 100, unique: true })
  slug!: string;

  @Field(() => Int, { description: 'Statutory number of council members (21, or 15 in districts IX and XVII).' })
  @Column({ type: 'int' })
  councilSeats!: number;

  get nodeId(): string {
    return toGlobalId('District', this.id);
  }

  @Field({ description: 'e.g. Dzielnica XVIII Nowa Huta.' })
  get fullName(): string {
    return `Dzielnica ${this.numeral} ${this.name}`;
  }
}
