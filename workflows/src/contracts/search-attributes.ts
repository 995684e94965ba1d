import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * What Fledge's workflows carry for operators to find them in Temporal's list, e.g.
 * `FledgeRolloutId = '…'` or `FledgeModel = 'digits' AND ExecutionStatus = 'Failed'`. A namespace
 * refuses attributes it does not know: every place that starts a Temporal server registers
 * `fledgeSearchAttributes` (scripts/stack, docker-compose.yml, the all-in-one process, the test
 * environments).
 */

export const FledgeEndpointAttribute = defineSearchAttributeKey('FledgeEndpoint', SearchAttributeType.KEYWORD);
export const FledgeModelAttribute = defineSearchAttributeKey('FledgeModel', SearchAttributeType.KEYWORD);
export const FledgeModelVersionAttribute = defineSearchAttributeKey('FledgeModelVersion', SearchAttributeType.INT);
export const FledgeRolloutStateAttribute = defineSearchAttributeKey('FledgeRolloutState', SearchAttributeType.KEYWORD);
export const FledgeRolloutIdAttribute = defineSearchAttributeKey('FledgeRolloutId', SearchAttributeType.KEYWORD);
export const FledgeDatasetAttribute = defineSearchAttributeKey('FledgeDataset', SearchAttributeType.KEYWORD);
export const FledgeDatasetVersionAttribute = defineSearchAttributeKey('FledgeDatasetVersion', SearchAttributeType.INT);

export const fledgeSearchAttributes = [
  FledgeEndpointAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
  FledgeRolloutStateAttribute,
  FledgeRolloutIdAttribute,
  FledgeDatasetAttribute,
  FledgeDatasetVersionAttribute,
] as const;
