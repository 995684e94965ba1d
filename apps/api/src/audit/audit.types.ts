import { Field, ID, ObjectType } from '@nestjs/graphql';

import { Connection } from '../common/connection.js';
import { JsonScalar } from '../graphql/json.scalar.js';

@ObjectType('AuditEvent')
export class AuditEventObject {
  @Field(() => ID)
  id!: string;

  @Field({ deprecationReason: 'Names are not unique over time: use actorId (and actorName to show it).' })
  actor!: string;

  @Field(() => ID, { nullable: true, description: 'The API key that acted; null when Fledge itself acted.' })
  actorId!: string | null;

  @Field({ description: "The key's name when it acted (or Fledge's own actor name, e.g. fledge-rollout)." })
  actorName!: string;

  @Field()
  action!: string;

  @Field()
  subjectType!: string;

  @Field()
  subjectId!: string;

  @Field(() => JsonScalar, { nullable: true })
  before!: unknown;

  @Field(() => JsonScalar, { nullable: true })
  after!: unknown;

  @Field()
  at!: Date;
}

export const AuditEventConnection = Connection(AuditEventObject, 'AuditEvent');
