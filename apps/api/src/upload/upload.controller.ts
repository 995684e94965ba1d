import { Controller, HttpCode, Param, Put, Req } from '@nestjs/common';
import { type Request } from 'express';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { toUploadObject } from './upload.resolver.js';
import { UploadService } from './upload.service.js';

/** Receives upload bytes as a raw streamed body (never parsed or buffered whole). */
@Controller('uploads')
export class UploadController {
  constructor(private readonly uploads: UploadService) {}

  @Put(':id')
  @HttpCode(200)
  async put(@Caller() call: CallContext, @Param('id') id: string, @Req() req: Request) {
    const header = req.headers['content-length'];
    const contentLength = header === undefined ? null : Number(header);
    const upload = toUploadObject(
      await this.uploads.receive(call, id, req, Number.isFinite(contentLength) ? contentLength : null),
    );
    // Spelled like the GraphQL enums, so clients read one representation of an upload.
    return { ...upload, kind: upload.kind.toUpperCase(), status: upload.status.toUpperCase() };
  }
}
