import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';

import { Public } from '../auth/auth.decorators.js';

@ObjectType('Health')
export class HealthObject {
  @Field()
  status!: string;
}

@Resolver(() => HealthObject)
export class HealthResolver {
  @Public()
  @Query(() => HealthObject, { description: 'Liveness; needs no API key.' })
  health(): HealthObject {
    return { status: 'ok' };
  }
}
