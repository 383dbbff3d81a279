import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Access, Rule } from '../access/access-rule';
import { READINESS_CHECK, type ReadinessCheck } from './readiness.port';

@ApiTags('operations')
@Controller()
export class HealthController {
  private check: ReadinessCheck | null | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  @Get('healthz')
  @Access(Rule.public())
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Access(Rule.public())
  ready(@Res() reply: FastifyReply) {
    const readiness = this.readinessCheck()?.readiness() ?? { ready: true };
    const status = readiness.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    void reply
      .status(status)
      .send({ status: readiness.ready ? 'ready' : 'not ready', ...readiness.details });
  }

  // The check lives in the service module, which this platform module must not import.
  private readinessCheck(): ReadinessCheck | null {
    if (this.check === undefined) {
      try {
        this.check = this.moduleRef.get<ReadinessCheck>(READINESS_CHECK, { strict: false });
      } catch {
        this.check = null;
      }
    }
    return this.check;
  }
}
