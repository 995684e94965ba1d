import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { type UploadRecord } from '@fledge/db';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { UploadService } from './upload.service.js';
import { CreateUploadInput, UploadObject } from './upload.types.js';

export const uploadPath = (id: string) => `/uploads/${id}`;

export const toUploadObject = (u: UploadRecord): UploadObject => ({
  id: u.id,
  kind: u.kind as UploadObject['kind'],
  status: u.status as UploadObject['status'],
  url: uploadPath(u.id),
  maxBytes: u.maxBytes,
  sha256: u.sha256,
  sizeBytes: u.sizeBytes,
  expiresAt: u.expiresAt,
});

@Resolver(() => UploadObject)
export class UploadResolver {
  constructor(private readonly uploads: UploadService) {}

  @Mutation(() => UploadObject, { description: 'Starts an upload; PUT the raw file to the returned url.' })
  async createUpload(@Caller() call: CallContext, @Args('input') input: CreateUploadInput) {
    return toUploadObject(await this.uploads.create(call, input.kind, input.filename ?? null));
  }
}
