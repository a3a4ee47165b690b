import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@codeplanet/service-kit';
import { RecoverRequest, ReplayRequest, type JobView } from './dto.js';
import { JobsService } from './jobs.service.js';

interface RequestWithId {
  id?: string;
}

type Accepted = { job_id: string; status: string; duplicate: boolean };

/** Account keys (their own endpoints) and the admin token. Any replica accepts; the leader runs the job. */
@Controller('v1')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('endpoints/:id/recover')
  @HttpCode(202)
  recover(
    @CurrentPrincipal() principal: Principal,
    @Param('id') endpointId: string,
    @Body() body: RecoverRequest,
    @Req() request: RequestWithId,
  ): Promise<Accepted> {
    return this.jobs.recover(principal, endpointId, body, request.id ?? null);
  }

  @Post('endpoints/:id/replay')
  @HttpCode(202)
  replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id') endpointId: string,
    @Body() body: ReplayRequest,
    @Req() request: RequestWithId,
  ): Promise<Accepted> {
    return this.jobs.replay(principal, endpointId, body, request.id ?? null);
  }

  @Get('jobs/:id')
  job(@CurrentPrincipal() principal: Principal, @Param('id') jobId: string): Promise<JobView> {
    return this.jobs.get(principal, jobId);
  }
}
