import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { AgendaItem } from './agenda-item.entity';
import { enumCheck } from './enum-check';
import { Session } from './session.entity';

export enum VoteSecrecy {
  OPEN = 'OPEN',
  SECRET = 'SECRET',
}
registerEnumType(VoteSecrecy, {
  name: 'VoteSecrecy',
  valuesConfig: {
    OPEN: { description: "Open: each seat's choice is recorded and public (a named list)." },
    SECRET: { description: 'Secret ballot: only the counts exist; who voted how is never recorded anywhere.' },
  },
});

export enum MajorityRule {
  SIMPLE = 'SIMPLE',
  ABSOLUTE_OF_PRESENT = 'ABSOLUTE_OF_PRESENT',
  ABSOLUTE_OF_SEATS = 'ABSOLUTE_OF_SEATS',
}
registerEnumType(MajorityRule, {
  name: 'MajorityRule',
  valuesConfig: {
    SIMPLE: { description: 'More votes for than against.' },
    ABSOLUTE_OF_PRESENT: { description: 'More votes for than half of the seats present when voting opened.' },
    ABSOLUTE_OF_SEATS: { description: "More votes for than half of the body's seats that count toward the quorum." },
  },
});

export enum VoteStatus {
  VOTING = 'VOTING',
  CLOSED = 'CLOSED',
  ANNULLED = 'ANNULLED',
}
registerEnumType(VoteStatus, {
  name: 'VoteStatus',
  valuesConfig: { ANNULLED: { description: 'Declared void by the chair; its counts stay on the record.' } },
});

export enum VoteResult {
  PASSED = 'PASSED',
  REJECTED = 'REJECTED',
  NO_QUORUM = 'NO_QUORUM',
}
registerEnumType(VoteResult, {
  name: 'VoteResult',
  valuesConfig: {
    NO_QUORUM: { description: 'The quorum was not present when voting opened: nothing was decided.' },
  },
});

/**
 * A vote (głosowanie). The quorum and the seats that may vote are fixed when
 * it opens; the counts are kept on the row (updated with every ballot of an
 * OPEN vote, given by the tellers for a SECRET one), so reading a vote never
 * counts ballots. A SECRET vote has no ballot rows at all.
 */
@ObjectType({ implements: Node, description: 'A vote (głosowanie) on an opinion, a motion or a resolution.' })
@Entity()
@Check('vote_secrecy_check', enumCheck('secrecy', VoteSecrecy))
@Check('vote_majority_check', enumCheck('majority', MajorityRule))
@Check('vote_status_check', enumCheck('status', VoteStatus))
@Check('vote_result_check', `"result" IS NULL OR ${enumCheck('result', VoteResult)}`)
@Check(
  'vote_counts_check',
  '"count_for" >= 0 AND "count_against" >= 0 AND "count_abstain" >= 0 AND "count_for" + "count_against" + "count_abstain" <= "quorum_present"',
)
// "One vote at a time", kept by the database too.
@Index('vote_one_voting_idx', ['sessionId'], { unique: true, where: `"status" = 'VOTING'` })
// The GIN index of search_vector (migration PolishSearch), which TypeORM cannot describe: left to the migration.
@Index('vote_search_idx', { synchronize: false })
export class Vote implements Node {
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

  @Index()
  @Column({ type: 'int', nullable: true })
  agendaItemId!: number | null;

  @ManyToOne(() => AgendaItem, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  agendaItem?: AgendaItem;

  @Field({ description: 'What is decided, e.g. the text of the motion.' })
  @Column({ type: 'varchar', length: 2000 })
  subject!: string;

  @Field(() => VoteSecrecy)
  @Column({ type: 'varchar', length: 16 })
  secrecy!: VoteSecrecy;

  @Field(() => MajorityRule)
  @Column({ type: 'varchar', length: 24 })
  majority!: MajorityRule;

  @Field(() => VoteStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: VoteStatus;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The quorum as it stood when voting opened. */
  @Column({ type: 'int' })
  quorumSeats!: number;

  @Column({ type: 'int' })
  quorumPresent!: number;

  @Column({ type: 'int' })
  quorumRequired!: number;

  @Column({ type: 'boolean' })
  quorumReached!: boolean;

  @Column({ type: 'int', default: 0 })
  countFor!: number;

  @Column({ type: 'int', default: 0 })
  countAgainst!: number;

  @Column({ type: 'int', default: 0 })
  countAbstain!: number;

  /** SECRET votes: whether the tellers' counts have been recorded (a SECRET vote closes only after). */
  @Column({ type: 'boolean', default: false })
  countsRecorded!: boolean;

  @Field(() => VoteResult, { nullable: true, description: 'Null while voting.' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  result!: VoteResult | null;

  @Field(() => String, { nullable: true, description: 'Why the chair declared the vote void (ANNULLED only).' })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  annulmentReason!: string | null;

  get nodeId(): string {
    return toGlobalId('Vote', this.id);
  }
}
