import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { mapPage } from '@common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { CreateRuleDto, TestRuleDto, UpdateRuleDto } from './dto/rule-request.dto';
import { RuleListQueryDto } from './dto/rule-list-query.dto';
import { RulePageDto, RuleResponseDto, RuleTestResultDto } from './dto/rule-response.dto';
import { RulesService } from './rules.service';

@ApiTags('rules')
@AdminApi()
@ApiPathIds('accountId')
@Controller('accounts/:accountId/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'listRules', summary: 'the account’s rules in the order they are tried' })
  @ApiOkResponse({ type: RulePageDto, description: 'one page of rules, highest priority first' })
  @ApiErrors('account_not_found')
  async list(@Param('accountId') accountId: string, @Query() query: RuleListQueryDto): Promise<RulePageDto> {
    const page = await this.rules.list(accountId, query.limit, query.cursor ?? null, query.trigger);
    return mapPage(page, (rule) => RuleResponseDto.from(rule));
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createRule', summary: 'add a response rule' })
  @ApiCreatedResponse({ type: RuleResponseDto, description: 'the rule as stored' })
  @ApiErrors('account_not_found')
  async create(@Param('accountId') accountId: string, @Body() body: CreateRuleDto): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.create(accountId, body.toNewRule()));
  }

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'testRules',
    summary: 'which rule would answer a message, comment or postback, and with what; nothing is sent',
  })
  @ApiOkResponse({ type: RuleTestResultDto, description: 'what the account would answer' })
  @ApiErrors('account_not_found')
  async test(@Param('accountId') accountId: string, @Body() body: TestRuleDto): Promise<RuleTestResultDto> {
    return RuleTestResultDto.from(await this.rules.test(accountId, body));
  }

  @Get(':ruleId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getRule', summary: 'one rule' })
  @ApiPathIds('ruleId')
  @ApiOkResponse({ type: RuleResponseDto, description: 'the rule' })
  @ApiErrors('account_not_found', 'rule_not_found')
  async get(@Param('accountId') accountId: string, @Param('ruleId') ruleId: string): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.get(accountId, ruleId));
  }

  @Put(':ruleId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'updateRule', summary: 'change any of the rule’s fields' })
  @ApiPathIds('ruleId')
  @ApiOkResponse({ type: RuleResponseDto, description: 'the rule as changed' })
  @ApiErrors('account_not_found', 'rule_not_found')
  async update(
    @Param('accountId') accountId: string,
    @Param('ruleId') ruleId: string,
    @Body() body: UpdateRuleDto,
  ): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.update(accountId, ruleId, body.toChanges()));
  }

  @Delete(':ruleId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteRule', summary: 'delete a rule (replies it made keep its id)' })
  @ApiPathIds('ruleId')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors('account_not_found', 'rule_not_found')
  async delete(@Param('accountId') accountId: string, @Param('ruleId') ruleId: string): Promise<void> {
    await this.rules.delete(accountId, ruleId);
  }
}
