import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { enumCheck } from './enum-check';
import { Session } from './session.entity';

export enum AgendaItemStatus {
  PENDING = 'PENDING',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  POSTPONED = 'POSTPONED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(AgendaItemStatus, { name: 'AgendaItemStatus' });

/**
 * Positions are unique per session, checked at commit (deferred) so that a
 * move can shift the other items within one transaction.
 */
@ObjectType({ implements: Node, description: "An item of a session's agenda (punkt porządku obrad)." })
@Entity()
@Unique('agenda_item_session_position_key', ['sessionId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
@Check('agenda_item_status_check', enumCheck('status', AgendaItemStatus))
// "At most one item in progress per session", kept by the database too.
@Index('agenda_item_one_in_progress_idx', ['sessionId'], { unique: true, where: `"status" = 'IN_PROGRESS'` })
@Check('agenda_item_position_check', '"position" > 0')
// The GIN index of search_vector (migration PolishSearch), which TypeORM cannot describe: left to the migration.
@Index('agenda_item_search_idx', { synchronize: false })
export class AgendaItem implements Node {
  /**
   * The text as search matches it (migration PolishSearch): kept by a trigger on every insert and change of the
   * text, rebuilt when the dictionary comes or goes; never read or written through TypeORM.
   */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'int' })
  sessionId!: number;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn()
  session?: Session;

  @Field(() => Int, { description: '1-based, gapless within the session.' })
  @Column({ type: 'int' })
  position!: number;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  presenter!: string | null;

  @Field(() => AgendaItemStatus)
  @Column({ type: 'varchar', length: 16, default: AgendaItemStatus.PENDING })
  status!: AgendaItemStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Field(() => Int, { description: 'Increases with every change; pass it back as expectedVersion to update safely.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  get nodeId(): string {
    return toGlobalId('AgendaItem', this.id);
  }
}
