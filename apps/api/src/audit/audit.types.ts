import { Field, ID, ObjectType } from '@nestjs/graphql';

import { Connection } from '../common/connection.js';
import { JsonScalar } from '../graphql/json.scalar.js';

@ObjectType('AuditEvent')
export class AuditEventObject {
  @Field(() => ID)
  id!: string;

  @Field()
  actor!: string;

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
