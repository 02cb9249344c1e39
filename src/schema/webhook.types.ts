import { Field, ObjectType } from 'type-graphql';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity';

@ObjectType({ description: 'A new webhook endpoint, with its signing secret: shown this once, never again.' })
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({
    description:
      'The Standard Webhooks secret (`whsec_…`) to verify signatures with; store it now, it is not shown again.',
  })
  secret!: string;
}
