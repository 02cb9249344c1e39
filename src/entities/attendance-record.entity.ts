import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { District } from './district.entity';
import { enumCheck } from './enum-check';
import { Person } from './person.entity';
import { Seat } from './seat.entity';
import { Session } from './session.entity';

export enum AttendanceStatus {
  EXPECTED = 'EXPECTED',
  CONFIRMED = 'CONFIRMED',
  PRESENT = 'PRESENT',
  ABSENT = 'ABSENT',
  EXCUSED = 'EXCUSED',
  LEFT = 'LEFT',
}
registerEnumType(AttendanceStatus, { name: 'AttendanceStatus' });

export enum AttendanceMode {
  IN_PERSON = 'IN_PERSON',
  REMOTE = 'REMOTE',
}
registerEnumType(AttendanceMode, { name: 'AttendanceMode' });

export enum AttendanceCapacity {
  HOLDER = 'HOLDER',
  DEPUTY = 'DEPUTY',
  GUEST = 'GUEST',
}
registerEnumType(AttendanceCapacity, {
  name: 'AttendanceCapacity',
  description: 'In what capacity someone is in the room for a seat.',
  valuesConfig: {
    HOLDER: { description: 'The person who holds the seat.' },
    DEPUTY: {
      description: "A deputy designated by the holder, attending on the holder's behalf (the Convention allows this).",
    },
    GUEST: { description: 'An invited guest: no seat, never counts toward the quorum or votes.' },
  },
});

@ObjectType({
  implements: Node,
  description: "One participant's attendance at one session: a member's seat, or an invited guest.",
})
@Entity()
@Unique('attendance_record_session_seat_key', ['sessionId', 'seatId'])
@Check('attendance_record_status_check', enumCheck('status', AttendanceStatus))
@Check('attendance_record_mode_check', `"mode" IS NULL OR ${enumCheck('mode', AttendanceMode)}`)
@Check('attendance_record_capacity_check', enumCheck('capacity', AttendanceCapacity))
// A guest has no seat and a seat's record is never a guest's.
@Check('attendance_record_guest_check', `("capacity" = 'GUEST') = ("seat_id" IS NULL)`)
export class AttendanceRecord implements Node {
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
  seatId!: number | null;

  @ManyToOne(() => Seat, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  seat?: Seat;

  @Index()
  @Column({ type: 'int', nullable: true })
  personId!: number | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  person?: Person;

  @Field(() => AttendanceCapacity)
  @Column({ type: 'varchar', length: 16 })
  capacity!: AttendanceCapacity;

  /** For a DEPUTY: the seat's holder on whose behalf they attend (personId is then the deputy's). */
  @Index()
  @Column({ type: 'int', nullable: true })
  onBehalfOfId!: number | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  onBehalfOf?: Person;

  @Field({
    description: 'Who this is, as shown on a screen, e.g. Przewodniczący Rady Dzielnicy XII Bieżanów-Prokocim.',
  })
  @Column({ type: 'varchar', length: 300 })
  label!: string;

  @Field(() => String, { nullable: true, description: 'For guests: whom they represent, e.g. a city department.' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  affiliation!: string | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  districtId!: number | null;

  @ManyToOne(() => District, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  district?: District;

  @Field(() => AttendanceStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: AttendanceStatus;

  @Field(() => AttendanceMode, { nullable: true })
  @Column({ type: 'varchar', length: 16, nullable: true })
  mode!: AttendanceMode | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  arrivedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  @Field({ description: 'False for invited guests.' })
  @Column({ type: 'boolean' })
  countsTowardQuorum!: boolean;

  @Field(() => Int)
  @Column({ type: 'int', default: 1 })
  version!: number;

  get nodeId(): string {
    return toGlobalId('AttendanceRecord', this.id);
  }
}
