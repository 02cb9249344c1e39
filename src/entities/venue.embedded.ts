import { Field, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';

/** Where a session meets; embedded in the session's row (venue_name, venue_address). */
@ObjectType()
export class Venue {
  @Field(() => String)
  @Column({ type: 'varchar', length: 300, nullable: true })
  name!: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300, nullable: true })
  address!: string | null;
}

/** A session's venue as shown: none until it has a name. */
export function shownVenue(session: { readonly venue?: Venue | null }): Venue | null {
  return session.venue?.name ? session.venue : null;
}
