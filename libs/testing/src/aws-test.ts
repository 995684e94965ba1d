import { stackEnv } from './stack-env.js';

/** An execution role and images for SageMaker tests (moto accepts any; AWS-shaped all the same). */
export const SAGEMAKER_TEST_ROLE = 'arn:aws:iam::123456789012:role/fledge-sagemaker';
export const SAGEMAKER_TEST_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/fledge-serving:test';
/** The image name Fledge's moto extension fails at its health check (`fledge-test-fails-ping`). */
export const SAGEMAKER_FAILING_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/fledge-test-fails-ping:1';

/**
 * The moto server AWS tests use: `FLEDGE_TEST_AWS_ENDPOINT` when set (a moto of one's own), else the
 * stack's. Fails clearly when that moto runs without Fledge's extension (scripts/moto_ext), which
 * the SageMaker, CloudWatch-alarm and signed-SNS tests need.
 */
export async function awsTestEndpoint(): Promise<string> {
  const endpoint =
    process.env.FLEDGE_TEST_AWS_ENDPOINT ?? process.env.FLEDGE_STACK_AWS_ENDPOINT ?? stackEnv().s3Endpoint;
  const res = await fetch(`${endpoint}/_fledge/health`).catch(() => null);
  if (!res?.ok) {
    throw new Error(
      `the moto server at ${endpoint} runs without Fledge's extension: restart it with "bash scripts/stack up moto" ` +
        '(or point FLEDGE_TEST_AWS_ENDPOINT at one started by scripts/moto_ext/fledge_moto_server.py)',
    );
  }
  return endpoint;
}

export interface AwsFaultSpec {
  /** The AWS action, e.g. `UpdateEndpointWeightsAndCapacities`. */
  action: string;
  /** Text the request body must contain (e.g. the test's endpoint name): scopes the fault to one test. */
  match: string;
  /** How many matching requests fail. */
  count: number;
  status?: number;
  code?: string;
  message?: string;
}

export interface AwsFault {
  id: string;
  /** Matching requests answered with the error so far. */
  failed: number;
  /** Matching requests let through after the fault was spent. */
  passed: number;
}

/** Makes moto answer the next `count` matching requests with an AWS error (see scripts/moto_ext). */
export async function injectAwsFault(endpoint: string, spec: AwsFaultSpec): Promise<() => Promise<AwsFault>> {
  const res = await fetch(`${endpoint}/_fledge/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (!res.ok) throw new Error(`moto refused the fault: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return async () => (await (await fetch(`${endpoint}/_fledge/faults/${id}`)).json()) as AwsFault;
}

/** The test CA that signs the SNS deliveries of this moto (PEM). */
export async function snsTestCa(endpoint: string): Promise<string> {
  return (await fetch(`${endpoint}/_fledge/sns/ca.pem`)).text();
}

export interface SageMakerEndpointChange {
  event: 'CreateEndpoint' | 'UpdateEndpoint' | 'UpdateEndpointWeightsAndCapacities' | 'DeleteEndpoint';
  status: string;
  config: string;
  productionVariants: { name: string; weight: number; instanceCount: number }[];
  shadowVariants: { name: string; weight: number; instanceCount: number }[];
  failureReason: string | null;
}

/** Every change a SageMaker endpoint went through on this moto, as DescribeEndpoint showed it once settled. */
export async function sageMakerHistory(endpoint: string, name: string): Promise<SageMakerEndpointChange[]> {
  return (await (
    await fetch(`${endpoint}/_fledge/sagemaker/endpoints/${encodeURIComponent(name)}/history`)
  ).json()) as SageMakerEndpointChange[];
}
