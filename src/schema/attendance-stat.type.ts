import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum StatsGrouping {
  SEAT = 'SEAT',
  PERSON = 'PERSON',
  BODY = 'BODY',
  DISTRICT = 'DISTRICT',
}
registerEnumType(StatsGrouping, {
  name: 'StatsGrouping',
  valuesConfig: {
    SEAT: { description: 'One line per seat, whoever held it: the sessions of its body.' },
    PERSON: {
      description:
        'One line per person holding a seat in the term: the sessions of their bodies held while their mandate ran. A deputy holds no mandate: their presence counts for the holder.',
    },
    BODY: { description: 'One line per body: the sum of its seats.' },
    DISTRICT: {
      description: "One line per district: the sum of the seats that stand for it (a Convention member's seat too).",
    },
  },
});

/**
 * One line of Query.attendanceStats. The ids are kept so that seat, person,
 * body and district come from the request's loaders (a batch each).
 */
@ObjectType({
  description:
    'Attendance over the sessions held (opened, not cancelled) in a term, for one seat, person, body or district.',
})
export class AttendanceStat {
  seatId!: number | null;
  personId!: number | null;
  bodyId!: number | null;
  districtId!: number | null;

  @Field(() => Int, { description: 'Sessions held while the seat or person could attend.' })
  sessions!: number;

  @Field(() => Int, { description: 'Recorded PRESENT, or LEFT (who left had been present); deputies included.' })
  present!: number;

  @Field(() => Int, { description: 'Of those present, how many remotely.' })
  remote!: number;

  @Field(() => Int)
  excused!: number;

  @Field(() => Int)
  absent!: number;

  @Field(() => Int, { description: 'Present, but left before the session closed.' })
  leftEarly!: number;

  @Field(() => Int, { description: 'Of those present, how many by a deputy.' })
  byDeputy!: number;

  @Field(() => Int, {
    description:
      'Nothing recorded after the session closed: not counted as absent. Still EXPECTED or CONFIRMED, or no record at all.',
  })
  notRecorded!: number;

  @Field(() => Float, { nullable: true, description: 'present / (sessions - notRecorded); null when that is 0.' })
  rate!: number | null;
}
