import 'reflect-metadata';

import { Controller, Get, Headers, Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from '@jest/globals';
// Nest injects by emitted type metadata: PinoLogger must stay a value import.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
import { Logger as NestPinoLogger, LoggerModule, PinoLogger } from 'nestjs-pino';
import request from 'supertest';

import { nestLoggerParams, REQUEST_ID_HEADER } from './index.js';

const lines: string[] = [];
const apiKey = 'fk_scientist_0123456789abcdefghij';

@Injectable()
class ModelService {
  constructor(private readonly logger: PinoLogger) {}

  register(): string {
    this.logger.info({ apiKey }, 'registering model');
    return 'ok';
  }
}

@Controller()
class ModelController {
  private readonly nestLogger = new Logger(ModelController.name);

  constructor(private readonly service: ModelService) {}

  @Get('models')
  list(@Headers('authorization') _authorization?: string): string {
    this.nestLogger.log('listing models');
    return this.service.register();
  }
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      useFactory: () =>
        nestLoggerParams({
          level: 'info',
          name: 'api',
          destination: { write: (line: string) => void lines.push(line) },
        }),
    }),
  ],
  controllers: [ModelController],
  providers: [ModelService],
})
class AppModule {}

describe(nestLoggerParams.name, () => {
  it('gives every line of a Nest request its request id and keeps secrets out', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(NestPinoLogger));
    await app.init();
    try {
      const response = await request(app.getHttpServer())
        .get('/models')
        .set(REQUEST_ID_HEADER, 'nest-req-1')
        .set('authorization', `Bearer ${apiKey}`)
        .expect(200);
      expect(response.headers[REQUEST_ID_HEADER]).toBe('nest-req-1');

      const records = lines.map((line) => JSON.parse(line) as Record<string, any>);
      const ofRequest = records.filter((r) =>
        ['listing models', 'registering model', 'request completed'].includes(r.msg),
      );
      expect(ofRequest.map((r) => r.msg)).toEqual(['listing models', 'registering model', 'request completed']);
      for (const record of ofRequest) expect(record.requestId).toBe('nest-req-1');
      expect(lines.join('')).not.toContain(apiKey);
    } finally {
      await app.close();
    }
  });
});
