import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
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
import { enumCheck } from './enum-check';
import { SessionEvent } from './session-event.entity';
import { WebhookEndpoint, WebhookEventType } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  /** Waiting for its first attempt or its next retry. */
  PENDING = 'PENDING',
  /** The receiver answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** Every attempt of the schedule failed, or the receiver answered 410 Gone. */
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/** `webhook-id`: the session and the event's sequence, so a receiver can drop what it already has. */
export function webhookIdOf(sessionId: number, sequence: number): string {
  return `msg_${sessionId}_${sequence}`;
}

/**
 * The outbox: one row per event and endpoint, inserted by a trigger on session_event in the transaction that
 * writes the event (so a change and its deliveries commit together or not at all), and then the delivery log.
 * The payload is not copied here: it is built from the event, which never changes, at each attempt.
 */
@ObjectType({ description: 'One event to one webhook endpoint: the outbox row and its delivery log (admins only).' })
@Entity()
@Unique('webhook_delivery_endpoint_event_key', ['endpointId', 'sessionId', 'sequence'])
@Check('webhook_delivery_status_check', enumCheck('status', WebhookDeliveryStatus))
@Check('webhook_delivery_event_type_check', enumCheck('event_type', WebhookEventType))
// Each endpoint's oldest pending delivery, the only one of its deliveries the dispatcher may send (in order).
@Index('webhook_delivery_pending_idx', ['endpointId', 'id'], { where: `"status" = 'PENDING'` })
export class WebhookDelivery {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  endpointId!: number;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn()
  endpoint?: WebhookEndpoint;

  @Column({ type: 'int' })
  sessionId!: number;

  @Field(() => Int, { description: "The event's sequence in its session." })
  @Column({ type: 'int' })
  sequence!: number;

  @ManyToOne(() => SessionEvent, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'session_id', referencedColumnName: 'sessionId' },
    { name: 'sequence', referencedColumnName: 'sequence' },
  ])
  event?: SessionEvent;

  @Field(() => WebhookEventType)
  @Column({ type: 'varchar', length: 32 })
  eventType!: WebhookEventType;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'varchar', length: 16, default: WebhookDeliveryStatus.PENDING })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (a replay starts a new round).' })
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** While an instance sends it: no other takes it before then (the lease of a crashed instance runs out). */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt." })
  @Column({ type: 'int', nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, when it did.' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('WebhookDelivery', this.id);
  }

  @Field(() => String, { description: 'The `webhook-id` header: the same for every attempt and replay.' })
  get webhookId(): string {
    return webhookIdOf(this.sessionId, this.sequence);
  }
}
