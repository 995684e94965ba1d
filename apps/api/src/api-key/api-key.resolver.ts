import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';

import { AlertsAllowed, Caller, type CallContext } from '../auth/auth.decorators.js';
import { ApiKeyService } from './api-key.service.js';
import { ApiKeyObject, CreateApiKeyInput, CreatedApiKeyObject, ViewerObject } from './api-key.types.js';

@Resolver(() => ApiKeyObject)
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @AlertsAllowed()
  @Query(() => ViewerObject, { description: 'The caller, as its API key identifies it.' })
  viewer(@Caller() call: CallContext): ViewerObject {
    return { id: call.actor.apiKeyId, name: call.actor.name, role: call.actor.role };
  }

  @Query(() => [ApiKeyObject])
  apiKeys(@Caller() call: CallContext) {
    return this.keys.list(call);
  }

  @Mutation(() => CreatedApiKeyObject, { description: 'Creates a key; its secret is shown only in this response.' })
  createApiKey(@Caller() call: CallContext, @Args('input') input: CreateApiKeyInput) {
    return this.keys.create(call, input.name, input.role);
  }

  @Mutation(() => ApiKeyObject)
  revokeApiKey(@Caller() call: CallContext, @Args('id', { type: () => ID }) id: string) {
    return this.keys.revoke(call, id);
  }
}
