import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';

@ObjectType({ implements: Node })
@Entity()
// The GIN index of search_vector (migration PolishSearch), which TypeORM cannot describe: left to the migration.
@Index('person_search_idx', { synchronize: false })
export class Person implements Node {
  /**
   * The text as search matches it (migration PolishSearch): kept by a trigger on every insert and change of the
   * text, rebuilt when the dictionary comes or goes; never read or written through TypeORM.
   */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  @PrimaryGeneratedColumn()
  id!: number;

  @Field()
  @Index()
  @Column({ type: 'varchar', length: 200 })
  fullName!: string;

  /** Personal data: exposed only through a resolver that checks who is asking. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** Personal data: exposed only through a resolver that checks who is asking. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  phone!: string | null;

  @Field({ description: 'True for people made up for load tests (npm run seed:demo); never a real person.' })
  @Column({ type: 'boolean', default: false })
  synthetic!: boolean;

  /**
   * Stamped by the database (see the ChangeLog migration) when a public column of the person or one of their
   * mandates changes; contact details, attendance and ballots do not move it.
   */
  @Field(() => Date, {
    description:
      "When this person's public record (name, mandates) last changed. Attendance and ballots move the sessions' updatedAt instead.",
  })
  @Column({ type: 'timestamptz', default: () => "date_trunc('milliseconds', clock_timestamp())" })
  updatedAt!: Date;

  get nodeId(): string {
    return toGlobalId('Person', this.id);
  }
}
