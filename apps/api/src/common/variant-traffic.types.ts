import { Field, Float, Int, InterfaceType } from '@nestjs/graphql';

/**
 * The figures every per-variant traffic view shares: an endpoint's live statistics and the SLO
 * judge's windows both implement it, so a client can render either with one fragment.
 */
@InterfaceType('VariantTrafficStats', {
  description: "One variant's traffic over a window: requests, faults and latency percentiles.",
})
export abstract class VariantTrafficStats {
  @Field({ description: 'Variant name: <model>-v<version>.' })
  variant!: string;

  @Field(() => Int, { description: 'Requests answered in the window (successes, client and server errors).' })
  requests!: number;

  @Field(() => Int, { description: 'Server-side faults (5xx, timeouts, model failures).' })
  errors!: number;

  @Field(() => Int, { description: 'Client errors (4xx).' })
  clientErrors!: number;

  @Field(() => Float)
  p50Ms!: number;

  @Field(() => Float)
  p95Ms!: number;

  @Field(() => Float)
  p99Ms!: number;

  @Field(() => Int, { nullable: true, description: 'Shadow variants: mirrored requests compared with the primary.' })
  shadowSamples!: number | null;

  @Field(() => Float, { nullable: true, description: 'Shadow variants: the share of compared predictions that agree.' })
  agreement!: number | null;
}
