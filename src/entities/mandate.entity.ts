import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateScalar } from '../schema/scalars';
import { Person } from './person.entity';
import { Seat } from './seat.entity';
import { Term } from './term.entity';

@ObjectType({ description: 'A person holding a seat, or a public function, for a time.' })
@Entity()
export class Mandate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'int' })
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn()
  person?: Person;

  @Index()
  @Column({ type: 'int', nullable: true })
  seatId!: number | null;

  @ManyToOne(() => Seat, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  seat?: Seat;

  @Index()
  @Column({ type: 'int', nullable: true })
  termId!: number | null;

  @ManyToOne(() => Term, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  term?: Term;

  @Field({ description: 'Function as publicly titled, e.g. Wiceprzewodniczący Rady Miasta Krakowa.' })
  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Field(() => DateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  startsOn!: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  endsOn!: string | null;
}
