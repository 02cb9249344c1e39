import type { EntityTarget, ObjectLiteral } from 'typeorm';
import {
  AgendaItem,
  AttendanceRecord,
  Ballot,
  Body,
  District,
  Mandate,
  Person,
  Seat,
  Session,
  Term,
  Vote,
} from '../entities';
import { shownVenue } from '../entities/venue.embedded';
import { VoteSecrecy } from '../entities/vote.entity';
import { quorumAtOpening } from '../schema/quorum.type';
import { countsOf } from '../schema/vote-counts.type';
import type { NodeTypeName } from '../schema/global-id';

/**
 * What a planned read may follow, field by field, written to do exactly what
 * the field's resolver does (src/resolvers/): a relation read by the loader
 * the resolver calls, in that loader's order. A field with a resolver that is
 * not here, or with arguments, makes an operation unplanned: Apollo and the
 * resolvers answer it. Every other field of these types is a plain property
 * of the entity (the planner checks type-graphql's metadata for that).
 * test/read/same-answers.test.ts holds each answer equal to the resolvers'.
 */
export type RelationSpec =
  /** The row whose id is the parent's `fk` (null when it is null), like `loaders.xById.load(parent.fk)`. */
  | { readonly kind: 'one'; readonly fk: string }
  /**
   * The rows whose `fk` is the parent's id, in `order`, like a grouped loader; `unless` empties the list as the
   * resolver does (a secret vote's ballots), and keeps those rows from being read at all.
   */
  | {
      readonly kind: 'many';
      readonly fk: string;
      readonly order: readonly (readonly [string, 'ASC' | 'DESC'])[];
      readonly unless?: { readonly property: string; readonly value: string };
    }
  /** A plain object the resolver computes from the parent's `needs` alone. */
  | {
      readonly kind: 'computed';
      readonly needs: readonly string[];
      readonly compute: (parent: never) => object | null;
    };

export interface EntityPlanSpec {
  readonly entity: EntityTarget<ObjectLiteral>;
  readonly relations: Readonly<Record<string, RelationSpec>>;
}

const one = (fk: string): RelationSpec => ({ kind: 'one', fk });
const byPosition = [['position', 'ASC']] as const;
const byId = [['id', 'ASC']] as const;
const byOpening = [
  ['openedAt', 'ASC'],
  ['id', 'ASC'],
] as const;

/** Entity-backed GraphQL types a plan may read, by GraphQL type name. */
export const PLANNED_ENTITIES: Readonly<Record<string, EntityPlanSpec>> = {
  Session: {
    entity: Session,
    relations: {
      body: one('bodyId'),
      term: one('termId'),
      chair: one('chairId'),
      agenda: { kind: 'many', fk: 'sessionId', order: byPosition },
      attendance: { kind: 'many', fk: 'sessionId', order: byId },
      votes: { kind: 'many', fk: 'sessionId', order: byOpening },
      venue: {
        kind: 'computed',
        needs: ['venue.name', 'venue.address'],
        compute: shownVenue,
      },
    },
  },
  AgendaItem: {
    entity: AgendaItem,
    relations: { session: one('sessionId'), votes: { kind: 'many', fk: 'agendaItemId', order: byOpening } },
  },
  AttendanceRecord: {
    entity: AttendanceRecord,
    relations: {
      session: one('sessionId'),
      seat: one('seatId'),
      person: one('personId'),
      district: one('districtId'),
      onBehalfOf: one('onBehalfOfId'),
    },
  },
  Vote: {
    entity: Vote,
    relations: {
      session: one('sessionId'),
      counts: {
        kind: 'computed',
        needs: ['countFor', 'countAgainst', 'countAbstain', 'quorumPresent'],
        compute: countsOf,
      },
      quorum: {
        kind: 'computed',
        needs: ['quorumSeats', 'quorumPresent', 'quorumRequired', 'quorumReached'],
        compute: quorumAtOpening,
      },
      ballots: {
        kind: 'many',
        fk: 'voteId',
        order: [
          ['seatPosition', 'ASC'],
          ['id', 'ASC'],
        ],
        unless: { property: 'secrecy', value: VoteSecrecy.SECRET },
      },
    },
  },
  Ballot: { entity: Ballot, relations: { seat: one('seatId'), person: one('personId') } },
  Seat: { entity: Seat, relations: { body: one('bodyId'), district: one('districtId') } },
  Person: { entity: Person, relations: { mandates: { kind: 'many', fk: 'personId', order: byId } } },
  Mandate: { entity: Mandate, relations: { person: one('personId'), seat: one('seatId'), term: one('termId') } },
  Body: {
    entity: Body,
    relations: { district: one('districtId'), seats: { kind: 'many', fk: 'bodyId', order: byPosition } },
  },
  District: {
    entity: District,
    relations: {
      bodies: {
        kind: 'many',
        fk: 'districtId',
        order: [
          ['kind', 'DESC'],
          ['id', 'ASC'],
        ],
      },
    },
  },
  Term: { entity: Term, relations: {} },
};

/** Root fields that fetch one row by its global id, like `loaders.xById.load(keyOf(id, type))`. */
export const PLANNED_BY_ID: Readonly<Record<string, NodeTypeName>> = {
  session: 'Session',
  person: 'Person',
  body: 'Body',
};

/**
 * Getters of the entities (type-graphql fields on a getter) and the columns they read; a getter not named here
 * reads every column of its row.
 */
export const GETTER_NEEDS: Readonly<Record<string, readonly string[]>> = { nodeId: ['id'] };

/** The type whose rows carry their session's version (src/cache/read-scope.ts): a session's own row. */
export const SESSION_TYPE = 'Session';
