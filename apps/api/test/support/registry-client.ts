import { createHash } from 'node:crypto';

import {
  CreateModelDocument,
  CreateUploadDocument,
  FledgeApiError,
  type UploadFieldsFragment,
  type UploadKind,
} from '@fledge/client';
import { type ErrorCode } from '@fledge/errors';
import { type RawGraphqlResult, type TestApi } from '@fledge/testing';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The error code of a raw GraphQL answer (`rawGraphql`); undefined when it succeeded. */
export function errorCode(result: RawGraphqlResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/** The error a typed request was refused with; fails the test when the request succeeded. */
export async function refusal(request: Promise<unknown>): Promise<FledgeApiError> {
  try {
    await request;
  } catch (error) {
    if (error instanceof FledgeApiError) return error;
    throw error;
  }
  throw new Error('the request succeeded, but a refusal was expected');
}

/** The code a typed request was refused with, or undefined when it succeeded. */
export async function outcome(request: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    if (error instanceof FledgeApiError) return error.code;
    throw error;
  }
}

/** createUpload + PUT with one key, as the CLI does; answers the upload (refusals throw FledgeApiError). */
export async function upload(
  api: TestApi,
  key: string,
  kind: 'model' | 'dataset',
  bytes: Uint8Array,
): Promise<UploadFieldsFragment> {
  const client = api.clientWithKey(key);
  const { createUpload } = await client.request(CreateUploadDocument, {
    input: { kind: kind.toUpperCase() as UploadKind, filename: `file.${kind === 'model' ? 'onnx' : 'jsonl'}` },
  });
  return client.upload(createUpload.url, bytes);
}

export async function createModel(api: TestApi, key: string, name: string) {
  return (
    await api.clientWithKey(key).request(CreateModelDocument, {
      input: { name, task: 'CLASSIFICATION', modality: 'IMAGE' },
    })
  ).createModel;
}
