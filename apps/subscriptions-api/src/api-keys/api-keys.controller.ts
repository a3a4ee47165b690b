import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@codeplanet/service-kit';
import { Ctx, type RequestContext } from '../common/request-context.js';
import { CreatedApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/admin/accounts/:accountId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @Ctx() context: RequestContext,
    @Param('accountId') accountId: string,
  ): Promise<CreatedApiKeyDto> {
    const created = await this.keys.create(context, accountId);
    return {
      id: created.id,
      key: created.key,
      prefix: created.prefix,
      created_at: created.createdAt.toISOString(),
    };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The key no longer authenticates.' })
  async revoke(
    @Ctx() context: RequestContext,
    @Param('accountId') accountId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(context, accountId, keyId);
  }
}
