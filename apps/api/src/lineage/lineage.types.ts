import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Placement', { description: 'An endpoint variant that serves a model version.' })
export class PlacementObject {
  @Field()
  endpoint!: string;

  @Field()
  role!: string;

  @Field(() => Int)
  weight!: number;
}
