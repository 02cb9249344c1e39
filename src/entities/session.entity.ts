import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { Body } from './body.entity';
import { enumCheck } from './enum-check';
import { Person } from './person.entity';
import { Term } from './term.entity';
import { Venue } from './venue.embedded';

export enum SessionKind {
  INAUGURAL = 'INAUGURAL',
  ORDINARY = 'ORDINARY',
  EXTRAORDINARY = 'EXTRAORDINARY',
}
registerEnumType(SessionKind, { name: 'SessionKind' });

export enum SessionStatus {
  SCHEDULED = 'SCHEDULED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUSPENDED = 'SUSPENDED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(SessionStatus, { name: 'SessionStatus' });

@ObjectType({ implements: Node, description: 'A session (posiedzenie / sesja) of a body.' })
@Entity()
@Unique('session_body_term_number_key', ['bodyId', 'termId', 'number'])
@Index('session_scheduled_at_id_idx', ['scheduledAt', 'id'])
// The pages of a body's and of a term's sessions, in order (they also serve the foreign keys).
@Index('session_body_scheduled_at_id_idx', ['bodyId', 'scheduledAt', 'id'])
@Index('session_term_scheduled_at_id_idx', ['termId', 'scheduledAt', 'id'])
// A body's sessions of one term, in order (migration SessionBodyTermPageIndex).
@Index('session_body_term_scheduled_at_id_idx', ['bodyId', 'termId', 'scheduledAt', 'id'])
@Check('session_kind_check', enumCheck('kind', SessionKind))
@Check('session_status_check', enumCheck('status', SessionStatus))
@Check('session_number_check', '"number" > 0')
// The GIN index of search_vector (migration PolishSearch), which TypeORM cannot describe: left to the migration.
@Index('session_search_idx', { synchronize: false })
export class Session implements Node {
  /**
   * The text as search matches it (migration PolishSearch): kept by a trigger on every insert and change of the
   * text, rebuilt when the dictionary comes or goes; never read or written through TypeORM.
   */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  bodyId!: number;

  @ManyToOne(() => Body, { onDelete: 'RESTRICT' })
  @JoinColumn()
  body?: Body;

  @Column({ type: 'int' })
  termId!: number;

  @ManyToOne(() => Term, { onDelete: 'RESTRICT' })
  @JoinColumn()
  term?: Term;

  @Field(() => Int, { description: "Number within the body's term; 1 is the inaugural session." })
  @Column({ type: 'int' })
  number!: number;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Field(() => SessionKind)
  @Column({ type: 'varchar', length: 16 })
  kind!: SessionKind;

  @Field(() => SessionStatus)
  @Column({ type: 'varchar', length: 16, default: SessionStatus.SCHEDULED })
  status!: SessionStatus;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  scheduledAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column(() => Venue)
  venue!: Venue;

  @Index()
  @Column({ type: 'int', nullable: true })
  chairId!: number | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  chair?: Person;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Why the session was cancelled, when it was. */
  @Field(() => String, { nullable: true, description: 'Why the session was cancelled, where it was.' })
  @Column({ type: 'text', nullable: true })
  cancellationReason!: string | null;

  /**
   * The sequence of the latest event. Kept on the row so that writers, who
   * lock the row anyway, number events without a second query or a gap.
   */
  @Field(() => Int, { description: 'Sequence number of the latest event of this session (0 before any).' })
  @Column({ type: 'int', default: 0 })
  lastSequence!: number;

  /**
   * Payload bytes of this session's event log, kept on the row the writers lock anyway, so that the
   * log's budget (SESSION_LOG_MAX_BYTES) is checked without summing the log. Not public.
   */
  @Column({ type: 'int', default: 0 })
  logBytes!: number;

  @Field({ description: 'True for sessions made up for load tests (npm run seed:demo); never a real meeting.' })
  @Column({ type: 'boolean', default: false })
  synthetic!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  get nodeId(): string {
    return toGlobalId('Session', this.id);
  }
}
