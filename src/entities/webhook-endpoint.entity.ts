import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { enumCheck } from './enum-check';

/**
 * What a receiver may subscribe to. The values are the Standard Webhooks `type` of the payload (dotted, as the
 * spec's examples are); GraphQL names them by the keys. Which session events each covers is stated once, in the
 * trigger of migration 1796640000001-Webhooks (and mirrored by WEBHOOK_EVENT_TYPE_OF in webhook-payload.rules.ts).
 */
export enum WebhookEventType {
  /** The session was scheduled, opened, suspended, resumed, closed or cancelled. */
  SESSION_STATUS_CHANGED = 'session.status_changed',
  /** A vote was closed: its result and counts are final. */
  VOTE_CLOSED = 'vote.closed',
  /** An agenda item was added, edited, moved, started, finished or removed. */
  AGENDA_CHANGED = 'agenda.changed',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: "What a webhook endpoint receives; the payload's `type` is the dotted value (`session.status_changed`).",
});

/**
 * A receiver of signed webhooks (Standard Webhooks 1.0), registered by an admin. Not public: only admins list it,
 * and its secret is shown once, when it is created.
 */
@ObjectType({ description: 'A receiver of signed webhooks (admins only).' })
@Entity()
@Check(
  'webhook_endpoint_event_types_check',
  `"event_types" <@ ARRAY[${Object.values(WebhookEventType)
    .map((value) => `'${value}'`)
    .join(', ')}]::varchar[] AND cardinality("event_types") > 0`,
)
export class WebhookEndpoint {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field({ description: 'Where deliveries are POSTed: HTTPS, a public address.' })
  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** `whsec_` and the base64 key the payloads are signed with; never returned but once, never logged. */
  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  @Field(() => [WebhookEventType])
  @Column({ type: 'varchar', length: 32, array: true })
  eventTypes!: WebhookEventType[];

  /** The bodies whose sessions it hears of; empty: every body. */
  @Column({ type: 'int', array: true, default: () => "'{}'" })
  bodyIds!: number[];

  @Field({ description: 'False once disabled by an admin or by the receiver answering 410 Gone.' })
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it was disabled.' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('WebhookEndpoint', this.id);
  }
}

/** For CHECK constraints elsewhere. */
export const WEBHOOK_EVENT_TYPE_CHECK = enumCheck('event_type', WebhookEventType);
