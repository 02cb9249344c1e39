import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AdminOnly } from '../auth/write-target';
import type { Context } from '../context';
import { WebhookDelivery, WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { toGlobalId } from '../schema/global-id';

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @Query(() => [WebhookDelivery], {
    description: 'The webhook delivery log (admins only), newest first: of one endpoint or all, of one status or all.',
  })
  webhookDeliveries(
    @Ctx() { caller, services }: Context,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId?: string | null,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most 100; 20 when omitted.' }) first?: number | null,
  ): Promise<WebhookDelivery[]> {
    return services.webhookEndpoints.deliveries(caller, { endpointId, status, first });
  }

  @Mutation(() => WebhookDelivery, {
    description: 'Sends a delivery again, with the same webhook-id, as a new round of retries. Admins only.',
  })
  @AdminOnly()
  replayWebhookDelivery(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
  ): Promise<WebhookDelivery> {
    return services.webhookEndpoints.replay(caller, id);
  }

  @FieldResolver(() => ID)
  endpointId(@Root() delivery: WebhookDelivery): string {
    return toGlobalId('WebhookEndpoint', delivery.endpointId);
  }

  @FieldResolver(() => ID, { description: 'The session whose event this is.' })
  sessionId(@Root() delivery: WebhookDelivery): string {
    return toGlobalId('Session', delivery.sessionId);
  }
}
