import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AdminOnly } from '../auth/write-target';
import type { Context } from '../context';
import { WebhookEndpoint, WebhookEventType } from '../entities/webhook-endpoint.entity';
import { toGlobalId } from '../schema/global-id';
import { CreateWebhookEndpointPayload } from '../schema/webhook.types';

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpoint], { description: 'Registered webhook endpoints (admins only), oldest first.' })
  webhookEndpoints(@Ctx() { caller, services }: Context): Promise<WebhookEndpoint[]> {
    return services.webhookEndpoints.list(caller);
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description:
      'Registers a receiver of signed webhooks (Standard Webhooks 1.0) for the given event types, of the sessions of the given bodies (all bodies when omitted). Admins only.',
  })
  @AdminOnly()
  createWebhookEndpoint(
    @Ctx() { caller, services }: Context,
    @Arg('url', { description: 'HTTPS URL on a public address; deliveries are POSTed to it.' }) url: string,
    @Arg('eventTypes', () => [WebhookEventType]) eventTypes: WebhookEventType[],
    @Arg('bodyIds', () => [ID], { nullable: true }) bodyIds?: string[] | null,
  ): Promise<CreateWebhookEndpointPayload> {
    return services.webhookEndpoints.create(caller, { url, eventTypes, bodyIds });
  }

  @Mutation(() => WebhookEndpoint, { description: 'Stops new deliveries to an endpoint; pending ones wait.' })
  @AdminOnly()
  disableWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
  ): Promise<WebhookEndpoint> {
    return services.webhookEndpoints.setEnabled(caller, id, false);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Resumes deliveries to a disabled endpoint (after 410 Gone, too).' })
  @AdminOnly()
  enableWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
  ): Promise<WebhookEndpoint> {
    return services.webhookEndpoints.setEnabled(caller, id, true);
  }

  @Mutation(() => ID, { description: 'Deletes an endpoint with its delivery log; returns its id.' })
  @AdminOnly()
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<string> {
    return services.webhookEndpoints.delete(caller, id);
  }

  @FieldResolver(() => [ID], { description: 'The bodies whose sessions it hears of; empty: every body.' })
  bodyIds(@Root() endpoint: WebhookEndpoint): string[] {
    return endpoint.bodyIds.map((key) => toGlobalId('Body', key));
  }
}
