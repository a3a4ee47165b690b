import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Allow } from '@codeplanet/service-kit';
import type { EventType } from '@codeplanet/event-schemas';
import { CurrentScope, type AccountScope } from '../common/account-scope.js';
import { PageQueryDto, pageRequestOf } from '../common/pagination.dto.js';
import { Ctx, type RequestContext } from '../common/request-context.js';
import {
  CreateEndpointDto,
  CreatedEndpointDto,
  EndpointDto,
  EndpointPageDto,
  SecretDto,
  SendTestEventDto,
  TestEventAcceptedDto,
  UpdateEndpointDto,
} from './dto/endpoint.dto.js';
import { EndpointSecretsService } from './endpoint-secrets.service.js';
import { EndpointTestsService } from './endpoint-tests.service.js';
import { EndpointsService } from './endpoints.service.js';

/** Account routes: every id is looked up inside the key's account, so other accounts' ids answer 404. */
@ApiTags('endpoints')
@ApiBearerAuth()
@Allow('account')
@Controller('v1/endpoints')
export class EndpointsController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly secrets: EndpointSecretsService,
    private readonly tests: EndpointTestsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiCreatedResponse({ type: CreatedEndpointDto })
  create(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Body() body: CreateEndpointDto,
  ): Promise<CreatedEndpointDto> {
    return this.endpoints.create(scope, ctx, body);
  }

  @Get()
  @ApiOkResponse({ type: EndpointPageDto })
  list(@CurrentScope() scope: AccountScope, @Query() query: PageQueryDto): Promise<EndpointPageDto> {
    return this.endpoints.list(scope, pageRequestOf(query));
  }

  @Get(':id')
  @ApiOkResponse({ type: EndpointDto })
  get(@CurrentScope() scope: AccountScope, @Param('id') id: string): Promise<EndpointDto> {
    return this.endpoints.get(scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: EndpointDto })
  update(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointDto> {
    return this.endpoints.update(scope, ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<void> {
    return this.endpoints.remove(scope, ctx, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: EndpointDto })
  enable(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<EndpointDto> {
    return this.endpoints.setEnabled(scope, ctx, id, true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: EndpointDto })
  disable(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<EndpointDto> {
    return this.endpoints.setEnabled(scope, ctx, id, false);
  }

  @Get(':id/secret')
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ type: SecretDto })
  async revealSecret(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<SecretDto> {
    return { secret: await this.secrets.reveal(scope, ctx, id) };
  }

  @Post(':id/secret/rotate')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ type: SecretDto })
  async rotateSecret(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<SecretDto> {
    return { secret: await this.secrets.rotate(scope, ctx, id) };
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TestEventAcceptedDto })
  async sendTest(
    @CurrentScope() scope: AccountScope,
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Body() body: SendTestEventDto,
  ): Promise<TestEventAcceptedDto> {
    return { event_id: await this.tests.send(scope, ctx, id, body.type as EventType) };
  }
}
