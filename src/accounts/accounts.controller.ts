import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { AccountsService } from './accounts.service';
import { AccountListQueryDto } from './dto/account-list-query.dto';
import { AccountPageDto, AccountResponseDto, SubscriptionResponseDto } from './dto/account-response.dto';
import { CreateAccountDto, CreateAccountQueryDto } from './dto/create-account.dto';
import { SubscribeRequestDto } from './dto/subscribe-request.dto';
import { UpdateAccountDto } from './dto/update-account.dto';

@ApiTags('accounts')
@AdminApi()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createAccount', summary: 'add an Instagram professional account' })
  @ApiCreatedResponse({ type: AccountResponseDto, description: 'the account as stored, without its credentials' })
  @ApiErrors('conflict', 'token_rejected', 'graph_api_rejected', 'graph_api_unavailable')
  async create(@Body() body: CreateAccountDto, @Query() query: CreateAccountQueryDto): Promise<AccountResponseDto> {
    return AccountResponseDto.from(
      await this.accounts.create(body.toNewAccount(), { validateToken: query.validate === true }),
    );
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'listAccounts',
    summary: 'all accounts, active and inactive, oldest first; or only those whose token is invalid or expiring',
  })
  @ApiOkResponse({ type: AccountPageDto, description: 'one page of accounts' })
  @ApiErrors()
  async list(@Query() query: AccountListQueryDto): Promise<AccountPageDto> {
    return AccountPageDto.from(await this.accounts.list(query.limit, query.cursor ?? null, query.toFilter()));
  }

  @Get(':accountId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getAccount', summary: 'one account' })
  @ApiPathIds('accountId')
  @ApiOkResponse({ type: AccountResponseDto, description: 'the account' })
  @ApiErrors('account_not_found')
  async get(@Param('accountId') accountId: string): Promise<AccountResponseDto> {
    return AccountResponseDto.from(await this.accounts.get(accountId));
  }

  @Put(':accountId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'updateAccount',
    summary: 'change any of the account’s fields; credentials given are re-encrypted',
  })
  @ApiPathIds('accountId')
  @ApiOkResponse({ type: AccountResponseDto, description: 'the account as changed' })
  @ApiErrors('account_not_found', 'conflict')
  async update(@Param('accountId') accountId: string, @Body() body: UpdateAccountDto): Promise<AccountResponseDto> {
    return AccountResponseDto.from(await this.accounts.update(accountId, body.toChanges()));
  }

  @Delete(':accountId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deactivateAccount', summary: 'deactivate (history is kept; its webhooks answer 404)' })
  @ApiPathIds('accountId')
  @ApiNoContentResponse({ description: 'deactivated' })
  @ApiErrors('account_not_found')
  async deactivate(@Param('accountId') accountId: string): Promise<void> {
    await this.accounts.deactivate(accountId);
  }

  @Post(':accountId/subscribe')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'subscribeAccount',
    summary: 'subscribe the account to this app’s webhooks (also re-subscribes one Meta dropped)',
  })
  @ApiPathIds('accountId')
  @ApiOkResponse({ type: SubscriptionResponseDto, description: 'the webhook fields Meta now sends for the account' })
  @ApiErrors(
    'account_not_found',
    'account_inactive',
    'token_rejected',
    'graph_api_rejected',
    'graph_api_unavailable',
    'credentials_unreadable',
  )
  async subscribe(
    @Param('accountId') accountId: string,
    @Body() body: SubscribeRequestDto,
  ): Promise<SubscriptionResponseDto> {
    return { subscribed: true, fields: [...(await this.accounts.subscribe(accountId, body.fields))] };
  }
}
