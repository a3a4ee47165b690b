import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@codeplanet/service-kit';
import { Ctx, type RequestContext } from '../common/request-context.js';
import { AccountDto, CreateAccountDto } from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/admin/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: AccountDto })
  async create(@Ctx() context: RequestContext, @Body() body: CreateAccountDto): Promise<AccountDto> {
    const account = await this.accounts.create(context, body.name);
    return { id: account.id, name: account.name, created_at: account.createdAt.toISOString() };
  }
}
