import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrorResponses } from '../common/admin-api/admin-api.decorator';
import { AccountsService } from './accounts.service';
import { AccountListQueryDto } from './dto/account-list-query.dto';
import { AccountPageDto, AccountResponseDto, SubscriptionResponseDto } from './dto/account-response.dto';
import { CreateAccountDto, CreateAccountQueryDto } from './dto/create-account.dto';
import { UpdateAccountDto } from './dto/update-account.dto';

@ApiTags('accounts')
@AdminApi()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'add an Instagram professional account' })
  @ApiCreatedResponse({ type: AccountResponseDto })
  @ApiErrorResponses(400, 409, 422, 502)
  async create(@Body() body: CreateAccountDto, @Query() query: CreateAccountQueryDto): Promise<AccountResponseDto> {
    return AccountResponseDto.from(
      await this.accounts.create(body.toNewAccount(), { validateToken: query.validate === true }),
    );
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'all accounts, active and inactive, oldest first; or only those whose token is invalid or expiring',
  })
  @ApiOkResponse({ type: AccountPageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: AccountListQueryDto): Promise<AccountPageDto> {
    return AccountPageDto.from(await this.accounts.list(query.limit, query.cursor ?? null, query.toFilter()));
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'one account' })
  @ApiOkResponse({ type: AccountResponseDto })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string): Promise<AccountResponseDto> {
    return AccountResponseDto.from(await this.accounts.get(id));
  }

  @Put(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'change any of the account’s fields; credentials given are re-encrypted' })
  @ApiOkResponse({ type: AccountResponseDto })
  @ApiErrorResponses(400, 404, 409)
  async update(@Param('id') id: string, @Body() body: UpdateAccountDto): Promise<AccountResponseDto> {
    return AccountResponseDto.from(await this.accounts.update(id, body.toChanges()));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'deactivate (history is kept; its webhooks answer 404)' })
  @ApiNoContentResponse({ description: 'deactivated' })
  @ApiErrorResponses(404)
  async deactivate(@Param('id') id: string): Promise<void> {
    await this.accounts.deactivate(id);
  }

  @Post(':id/subscribe')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'subscribe the account to this app’s webhooks (also re-subscribes one Meta dropped)',
  })
  @ApiOkResponse({ type: SubscriptionResponseDto })
  @ApiErrorResponses(404, 409, 422, 502)
  async subscribe(@Param('id') id: string): Promise<SubscriptionResponseDto> {
    return { subscribed: true, fields: [...(await this.accounts.subscribe(id))] };
  }
}
