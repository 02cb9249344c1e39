import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AttendanceCapacity } from './attendance-record.entity';
import { enumCheck } from './enum-check';
import { Person } from './person.entity';
import { Seat } from './seat.entity';
import { Vote } from './vote.entity';

export enum VoteOption {
  FOR = 'FOR',
  AGAINST = 'AGAINST',
  ABSTAIN = 'ABSTAIN',
}
registerEnumType(VoteOption, { name: 'VoteOption' });

/**
 * One seat's line in the named list of an OPEN vote: made for every seat
 * present when voting opened (option null until it votes). Never made for a
 * SECRET vote: there, who voted how exists nowhere.
 */
@ObjectType({ description: "One seat's choice in an OPEN vote." })
@Entity()
@Unique('ballot_vote_seat_key', ['voteId', 'seatId'])
@Check('ballot_option_check', `"option" IS NULL OR ${enumCheck('option', VoteOption)}`)
@Check('ballot_capacity_check', enumCheck('capacity', AttendanceCapacity))
export class Ballot {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  voteId!: number;

  @ManyToOne(() => Vote, { onDelete: 'RESTRICT' })
  @JoinColumn()
  vote?: Vote;

  @Column({ type: 'int' })
  seatId!: number;

  @ManyToOne(() => Seat, { onDelete: 'RESTRICT' })
  @JoinColumn()
  seat?: Seat;

  /** The seat's position, so the named list comes back in seat order without a join. */
  @Column({ type: 'int' })
  seatPosition!: number;

  /** Who holds the ballot: the holder, or the deputy present for them when voting opened. */
  @Index()
  @Column({ type: 'int', nullable: true })
  personId!: number | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  person?: Person;

  @Field(() => AttendanceCapacity)
  @Column({ type: 'varchar', length: 16 })
  capacity!: AttendanceCapacity;

  @Field(() => VoteOption, { nullable: true, description: 'Null: present when voting opened, but did not vote.' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  option!: VoteOption | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  castAt!: Date | null;
}
